/**
 * The workflows in examples/ are what users import; each one runs here as it is (only its bucket
 * names are swapped for unique ones), through n8n's engine with the real n8n-nodes-base nodes,
 * against a real S3 server. Webhook examples are driven by real HTTP requests to a loopback
 * server that hands them to the real Webhook node (see serveWebhooks in test/support/engine.js).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectsCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import * as engine from '../support/engine';
import { setBinaryMode, type BinaryMode, type WorkflowRun } from '../support/harness';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

interface WorkflowJson {
	name: string;
	nodes: Array<{ name: string; type: string; parameters: IDataObject; credentials?: IDataObject }>;
	connections: IDataObject;
}

const nodes = { s3Storage: new S3Storage() };
const credentials = () => ({ s3StorageApi: credentialFor(getTarget()) });

/** Reads an example as n8n would import it, with its bucket names replaced by unique ones. */
function loadExample(file: string, buckets: Record<string, string>): WorkflowJson {
	const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as WorkflowJson;
	const replace = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(replace);
		if (value && typeof value === 'object') {
			const object = value as IDataObject;
			if (object.__rl === true && typeof object.value === 'string' && object.value in buckets) {
				return { ...object, value: buckets[object.value] };
			}
			return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, replace(inner)]));
		}
		return value;
	};
	return replace(workflow) as WorkflowJson;
}

let s3: S3Client;
const created: string[] = [];

async function newBucket(label: string) {
	const bucket = uniqueBucket(label);
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	created.push(bucket);
	return bucket;
}

async function getText(bucket: string, key: string): Promise<string> {
	const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return await object.Body!.transformToString();
}

async function keysIn(bucket: string, prefix = ''): Promise<string[]> {
	const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
	return (page.Contents ?? []).map((object) => object.Key!).sort();
}

beforeAll(() => {
	s3 = rawClient();
});

afterAll(async () => {
	for (const bucket of created) {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
		if (page.Contents?.length) {
			await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key })) } }));
		}
		await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
	}
	s3.destroy();
});

function expectNoNodeErrors(run: WorkflowRun, workflow: WorkflowJson) {
	expect(run.error).toBeUndefined();
	for (const node of workflow.nodes) expect([node.name, run.nodeError(node.name)?.message]).toEqual([node.name, undefined]);
}

it('every example is importable: known node types, our credential, connections between existing nodes', () => {
	for (const file of ['webhook-upload.json', 'browser-direct-upload.json', 'scheduled-sync.json', 'scheduled-sync-one-node.json', 'csv-transform.json', 'delete-older-than-30-days.json']) {
		const workflow = loadExample(file, {});
		const names = new Set(workflow.nodes.map((node) => node.name));
		for (const node of workflow.nodes) {
			expect(node.type).toMatch(/^(n8n-nodes-base\.[a-zA-Z]+|n8n-nodes-s3-storage\.s3Storage)$/);
			if (node.type === 'n8n-nodes-s3-storage.s3Storage') {
				expect(node.credentials).toEqual({ s3StorageApi: { id: expect.any(String), name: expect.any(String) } });
			}
		}
		for (const [from, value] of Object.entries(workflow.connections)) {
			expect(names.has(from)).toBe(true);
			for (const target of JSON.stringify(value).matchAll(/"node":"([^"]+)"/g)) expect(names.has(target[1])).toBe(true);
		}
	}
});

// ai-agent-tools.json needs a chat model, so it does not run here: tools/n8n-e2e-agent.sh runs it in a
// real n8n, with n8n's AI Agent and OpenAI chat model nodes, against a scripted model on loopback.
it('ai-agent-tools.json is importable: five S3 Storage tools with our credential and $fromAI parameters, all attached to the agent; the model credential is left to the user', () => {
	const workflow = loadExample('ai-agent-tools.json', {});
	const types = new Set(workflow.nodes.map((node) => node.type));
	expect([...types].sort()).toEqual([
		'@n8n/n8n-nodes-langchain.agent',
		'@n8n/n8n-nodes-langchain.chatTrigger',
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
		'n8n-nodes-s3-storage.s3StorageTool',
	]);
	const tools = workflow.nodes.filter((node) => node.type === 'n8n-nodes-s3-storage.s3StorageTool');
	expect(tools.map((node) => `${node.name}: ${String(node.parameters.operation)}`)).toEqual([
		'List objects: getMany',
		'Read object: read',
		'Upload text: upload',
		'Get download link: getPresignedUrl',
		'Delete object: delete',
	]);
	for (const node of tools) {
		expect(node.credentials).toEqual({ s3StorageApi: { id: expect.any(String), name: expect.any(String) } });
		expect(JSON.stringify(node.parameters)).toMatch(/\$fromAI\('key'|\$fromAI\('prefix'/);
		expect(workflow.connections[node.name]).toEqual({ ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] });
	}
	expect(workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi')?.credentials).toBeUndefined();
	expect(workflow.connections['Chat Model']).toEqual({ ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] });
});

it('delete-older-than-30-days.json: deletes what is older than its age under logs/, keeps the rest', async () => {
	const bucket = await newBucket('ex-retention');
	const workflow = loadExample('delete-older-than-30-days.json', { 'n8n-logs': bucket });
	const deleteNode = workflow.nodes.find((node) => node.name === 'Delete Older Than 30 Days')!;
	expect(deleteNode.parameters.filters).toEqual({ olderThanDays: 30 });
	const run = async () => {
		const result = await engine.runWorkflow(workflow, { nodes, credentials: credentials() });
		expectNoNodeErrors(result, workflow);
		return result.output('Delete Older Than 30 Days')![0].json;
	};
	const put = (key: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `log line of ${key}` }));
	await Promise.all(['logs/2024-01-01.log', 'logs/app/2024-01-02.log', 'elsewhere/old.log'].map(put));

	// As shipped (30 days): objects written moments ago are young, so nothing goes.
	expect(await run()).toMatchObject({ deleted: true, objectsDeleted: 0, objectsSkipped: 2 });
	expect(await keysIn(bucket)).toEqual(['elsewhere/old.log', 'logs/2024-01-01.log', 'logs/app/2024-01-02.log']);

	// No test waits 30 days: the age is set to the fraction of a day that reaches back to a moment
	// between two uploads, so the objects before it are "older than" the age and the one after is not.
	// Listings give last-modified to the second, hence a clear gap either side (server and test
	// share this machine's clock); 0 days would only show "everything under the prefix goes".
	await new Promise((resolve) => setTimeout(resolve, 2500));
	const between = Date.now();
	await new Promise((resolve) => setTimeout(resolve, 2500));
	await put('logs/today.log');
	deleteNode.parameters.filters = { olderThanDays: (Date.now() - between) / 86_400_000 };
	expect(await run()).toMatchObject({
		deleted: true,
		objectsDeleted: 2,
		objectsSkipped: 1,
		deletedKeys: ['logs/2024-01-01.log', 'logs/app/2024-01-02.log'],
	});
	expect(await keysIn(bucket)).toEqual(['elsewhere/old.log', 'logs/today.log']);
});

describe.each<BinaryMode>(['filesystem', 'memory'])('examples in %s binary mode', (mode) => {
	beforeAll(async () => {
		await setBinaryMode(mode);
	});

	it('webhook-upload.json: a file POSTed to the webhook is stored, and the answer links to it', async () => {
		const bucket = await newBucket(`ex-wh-${mode.slice(0, 3)}`);
		const workflow = loadExample('webhook-upload.json', { 'n8n-uploads': bucket });
		const server = await engine.serveWebhooks(workflow, { nodes, credentials: credentials() });
		try {
			const content = Buffer.from(`%PDF-1.4 quarterly report ${mode} ✓\n`.repeat(200));
			const form = new FormData();
			form.append('file', new Blob([content], { type: 'application/pdf' }), 'report 2024 #1.pdf');
			const response = await fetch(server.url('upload'), { method: 'POST', body: form });
			const answer = (await response.json()) as { key: string; size: number; url: string; expiresAt: string };
			expect([response.status, answer]).toEqual([
				200,
				{
					key: expect.stringMatching(/^uploads\/\d{4}\/\d{2}\/\d{2}\/report 2024 #1\.pdf$/),
					size: content.length,
					url: expect.stringContaining('X-Amz-Signature='),
					expiresAt: expect.any(String),
				},
			]);
			expectNoNodeErrors(server.runs[0], workflow);

			const download = await fetch(answer.url);
			expect(download.status).toBe(200);
			expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);
			const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: answer.key }));
			expect(head.ContentType).toBe('application/pdf');
		} finally {
			await server.close();
		}
	});

	it('browser-direct-upload.json: the webhook answers with a POST form, and a browser-style form upload arrives', async () => {
		const bucket = await newBucket(`ex-post-${mode.slice(0, 3)}`);
		const workflow = loadExample('browser-direct-upload.json', { 'n8n-browser-uploads': bucket });
		const server = await engine.serveWebhooks(workflow, { nodes, credentials: credentials() });
		try {
			const response = await fetch(server.url('upload-form'));
			expect(response.status).toBe(200);
			expect(response.headers.get('access-control-allow-origin')).toBe('*');
			const policy = (await response.json()) as { url: string; fields: Record<string, string>; expiresAt: string };
			expect(policy.fields).toEqual(expect.objectContaining({ key: 'incoming/${filename}', Policy: expect.any(String) }));

			// What an HTML form (or fetch with FormData) in a browser sends: the fields, then the file.
			const upload = async (content: Buffer, fileName: string, key?: string) => {
				const form = new FormData();
				for (const [name, value] of Object.entries(policy.fields)) form.append(name, name === 'key' && key ? key : value);
				form.append('file', new Blob([content], { type: 'image/png' }), fileName);
				return await fetch(policy.url, { method: 'POST', body: form });
			};
			// The page may pick any key under the allowed prefix...
			const content = Buffer.from(`browser upload ${mode} ✓`);
			const accepted = await upload(content, 'IMG_0001.png', 'incoming/photo 1.png');
			expect(accepted.status).toBeGreaterThanOrEqual(200);
			expect(accepted.status).toBeLessThan(300);
			expect(await getText(bucket, 'incoming/photo 1.png')).toBe(content.toString());
			if (capabilities().checksSignatures) {
				// ...or leave the key field as signed: S3 puts the file under its own name (s3rver does not).
				const asSigned = await upload(content, 'as signed.png');
				expect(asSigned.status).toBeLessThan(300);
				expect(await getText(bucket, 'incoming/as signed.png')).toBe(content.toString());
				// A key outside the prefix is refused.
				const outside = await upload(content, 'x.png', 'elsewhere/x.png');
				expect(outside.status).toBe(403);
			}

			if (capabilities().checksSignatures) {
				// The policy's size limit (10 MiB) is enforced by the server.
				const refused = await upload(Buffer.alloc(10 * 1024 * 1024 + 1), 'too-big.png');
				expect(refused.status).toBe(400);
				expect(await keysIn(bucket, 'incoming/too-big')).toEqual([]);
			}
		} finally {
			await server.close();
		}
	});

	it('scheduled-sync.json: mirrors new and changed objects, and a second run copies nothing', async () => {
		const source = await newBucket(`ex-src-${mode.slice(0, 3)}`);
		const mirror = await newBucket(`ex-mir-${mode.slice(0, 3)}`);
		const workflow = loadExample('scheduled-sync.json', { 'n8n-sync-source': source, 'n8n-sync-mirror': mirror });
		const run = async () => {
			const result = await engine.runWorkflow(workflow, { nodes, credentials: credentials() });
			expectNoNodeErrors(result, workflow);
			return (result.output('Copy to Mirror') ?? []).map((item) => item.json.destinationKey ?? item.json.key);
		};
		for (const key of ['outgoing/a.txt', 'outgoing/sub/b.txt', 'elsewhere/c.txt']) {
			await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: `content of ${key}` }));
		}

		expect((await run()).length).toBe(2);
		expect(await keysIn(mirror)).toEqual(['mirror/a.txt', 'mirror/sub/b.txt']);
		expect(await getText(mirror, 'mirror/sub/b.txt')).toBe('content of outgoing/sub/b.txt');

		expect(await run()).toEqual([]);

		await s3.send(new PutObjectCommand({ Bucket: source, Key: 'outgoing/a.txt', Body: 'a, changed and longer' }));
		await s3.send(new PutObjectCommand({ Bucket: source, Key: 'outgoing/new.txt', Body: 'new' }));
		expect((await run()).length).toBe(2);
		expect(await getText(mirror, 'mirror/a.txt')).toBe('a, changed and longer');
		expect(await keysIn(mirror)).toEqual(['mirror/a.txt', 'mirror/new.txt', 'mirror/sub/b.txt']);
		expect(await run()).toEqual([]);
	});

	it('scheduled-sync-one-node.json: the same mirror in one Sync node; a second run copies nothing', async () => {
		const source = await newBucket(`ex-src1-${mode.slice(0, 3)}`);
		const mirror = await newBucket(`ex-mir1-${mode.slice(0, 3)}`);
		const workflow = loadExample('scheduled-sync-one-node.json', { 'n8n-sync-source': source, 'n8n-sync-mirror': mirror });
		const run = async () => {
			const result = await engine.runWorkflow(workflow, { nodes, credentials: credentials() });
			expectNoNodeErrors(result, workflow);
			const [summary] = result.output('Sync to Mirror') ?? [];
			return { copied: summary.json.copied, failed: summary.json.failed };
		};
		for (const key of ['outgoing/a.txt', 'outgoing/sub/b.txt', 'elsewhere/c.txt']) {
			await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: `content of ${key}` }));
		}

		expect(await run()).toEqual({ copied: 2, failed: 0 });
		expect(await keysIn(mirror)).toEqual(['mirror/a.txt', 'mirror/sub/b.txt']);
		expect(await getText(mirror, 'mirror/sub/b.txt')).toBe('content of outgoing/sub/b.txt');

		expect(await run()).toEqual({ copied: 0, failed: 0 });

		await s3.send(new PutObjectCommand({ Bucket: source, Key: 'outgoing/a.txt', Body: 'a, changed and longer' }));
		await s3.send(new PutObjectCommand({ Bucket: source, Key: 'outgoing/new.txt', Body: 'new' }));
		expect(await run()).toEqual({ copied: 2, failed: 0 });
		expect(await getText(mirror, 'mirror/a.txt')).toBe('a, changed and longer');
		expect(await keysIn(mirror)).toEqual(['mirror/a.txt', 'mirror/new.txt', 'mirror/sub/b.txt']);
		expect(await run()).toEqual({ copied: 0, failed: 0 });
	});

	it('csv-transform.json: reads a CSV, adds a column, keeps some rows, writes a CSV back', async () => {
		const bucket = await newBucket(`ex-csv-${mode.slice(0, 3)}`);
		const workflow = loadExample('csv-transform.json', { 'n8n-data': bucket });
		const csv = [
			'orderId,customer,quantity,unitPrice',
			'1001, Ada Lovelace ,3,49.90',
			'1002,Grace Hopper,1,12.50',
			'1003,"Doe, Jane",10,10',
			'1004,Zoë Ünïcode,2,75.25',
		].join('\n');
		await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'imports/orders.csv', Body: csv, ContentType: 'text/csv' }));

		const result = await engine.runWorkflow(workflow, { nodes, credentials: credentials() });
		expectNoNodeErrors(result, workflow);
		expect(result.output('Read Rows')).toHaveLength(4);

		const written = (await getText(bucket, 'reports/large-orders.csv')).trim().split('\n');
		expect(written).toEqual([
			'orderId,customer,quantity,unitPrice,total',
			'1001,Ada Lovelace,3,49.90,149.7',
			'1003,"Doe, Jane",10,10,100',
			'1004,Zoë Ünïcode,2,75.25,150.5',
		]);
		const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'reports/large-orders.csv' }));
		expect(head.ContentType).toBe('text/csv');
	});
});
