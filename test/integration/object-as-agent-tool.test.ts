/**
 * The node as an AI agent's tool: the "S3 Storage Tool" variant n8n generates for usableAsTool
 * nodes, run by n8n's engine as the AI Agent (v3) runs its tools. Read gives a capped excerpt and
 * the range that reads on, Download a presigned URL instead of bytes, failures say what to do.
 * The same node outside an agent keeps its usual behaviour (object-read.test.ts).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import { TOOL_TEXT_LIMIT } from '../../nodes/S3Storage/helpers/toolMode';
import { bucketParam, runNode } from '../support/harness';
import * as engine from '../support/engine';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const bucket = uniqueBucket('agent-tool');
const client = rawClient();
// 33,000 characters (36,000 bytes) of 2-byte UTF-8 and ASCII: the cut falls inside, on a character boundary.
const longText = Array.from({ length: 3000 }, (_, i) => `line ${String(i).padStart(4, '0')}ü\n`).join('');

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	const put = (Key: string, Body: string, ContentType: string) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType }));
	await Promise.all([
		put('notes/short.txt', 'Grüße from the agent test ✓', 'text/plain; charset=utf-8'),
		put('logs/long.txt', longText, 'text/plain'),
		put('data/doc.json', '{"name":"n8n"}', 'application/json'),
	]);
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

/** One run of the node as n8n's generated tool variant ("<package>.s3StorageTool"). */
async function runAsTool(parameters: IDataObject) {
	const node = {
		id: 'tool',
		name: 'S3 Tool',
		type: 'n8n-nodes-s3-storage.s3StorageTool',
		typeVersion: 2,
		position: [0, 0],
		parameters: { bucket: bucketParam(bucket), ...parameters },
		credentials: { s3StorageApi: { id: '1', name: 'S3' } },
	};
	const run = await engine.runWorkflow(
		{ nodes: [node], connections: {} },
		{ nodes: { s3StorageTool: new S3Storage() }, credentials: { s3StorageApi: credentialFor(getTarget()) } },
	);
	return { output: run.output('S3 Tool'), error: run.nodeError('S3 Tool') as Error | undefined };
}

describe('Read as a tool', () => {
	it('gives a small object whole, marked as not cut', async () => {
		const { output, error } = await runAsTool({ resource: 'object', operation: 'read', key: 'notes/short.txt' });
		expect(error).toBeUndefined();
		expect(output?.[0].json).toMatchObject({
			key: 'notes/short.txt',
			objectData: 'Grüße from the agent test ✓',
			truncated: false,
			size: Buffer.byteLength('Grüße from the agent test ✓'),
		});
		expect(output?.[0].json.note).toBeUndefined();
	});

	it(`cuts a long text at ${TOOL_TEXT_LIMIT} characters, says so, and the range it names reads on exactly`, async () => {
		const range = '={{ $json.range ?? "" }}';
		const first = await runAsTool({ resource: 'object', operation: 'read', key: 'logs/long.txt', options: { range } });
		const json = first.output?.[0].json as IDataObject;
		expect(json.truncated).toBe(true);
		expect((json.objectData as string).length).toBe(TOOL_TEXT_LIMIT);
		expect(json.objectData).toBe(longText.slice(0, TOOL_TEXT_LIMIT));
		expect(json.size).toBe(Buffer.byteLength(longText));
		expect(json.note).toMatch(/^Content cut to 20,000 characters \(bytes 0-\d+ of an object of 36,000 bytes/);
		expect(json.note).toContain(`call this tool again with the range "${json.nextRange as string}"`);

		const second = await runAsTool({ resource: 'object', operation: 'read', key: 'logs/long.txt', options: { range: json.nextRange } });
		const rest = second.output?.[0].json as IDataObject;
		expect(rest.truncated).toBe(false);
		expect((json.objectData as string) + (rest.objectData as string)).toBe(longText);
	});

	it('without a range parameter, says it cannot read on and points to the download link', async () => {
		const { output } = await runAsTool({ resource: 'object', operation: 'read', key: 'logs/long.txt' });
		expect(output?.[0].json.note).toContain('This tool takes no range');
	});

	it('parses a small JSON object', async () => {
		const { output } = await runAsTool({ resource: 'object', operation: 'read', key: 'data/doc.json', readAs: 'json' });
		expect(output?.[0].json.objectData).toEqual({ name: 'n8n' });
	});

	it('turns a missing key into an instruction the model can act on', async () => {
		const { error } = await runAsTool({ resource: 'object', operation: 'read', key: 'notes/missing.txt' });
		expect(error?.message).toBe(
			`Object "notes/missing.txt" not found in bucket "${bucket}". What to do: Check the key: keys are case-sensitive and include the folder prefix. List the objects under the prefix to find the exact key, then call again with it.`,
		);
	});
});

describe('Download as a tool', () => {
	it('gives metadata and a presigned URL that serves the bytes, and no binary', async () => {
		const { output, error } = await runAsTool({ resource: 'object', operation: 'download', key: 'notes/short.txt', binaryPropertyName: 'data' });
		expect(error).toBeUndefined();
		const item = output?.[0];
		expect(item?.binary).toBeUndefined();
		expect(item?.json).toMatchObject({ key: 'notes/short.txt', contentType: 'text/plain; charset=utf-8', size: Buffer.byteLength('Grüße from the agent test ✓') });
		expect(item?.json.note).toContain('not passed to the agent');
		const response = await fetch(item?.json.url as string);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('Grüße from the agent test ✓');
		expect(Date.parse(item?.json.expiresAt as string) - Date.now()).toBeGreaterThan(3500 * 1000);
	});

	it('names a missing object in words the model can act on', async () => {
		const { error } = await runAsTool({ resource: 'object', operation: 'download', key: 'nope.bin', binaryPropertyName: 'data' });
		expect(error?.message).toMatch(/^Object "nope.bin" not found in bucket ".*"\. What to do: Check the key/);
	});
});

describe('the same operations outside an agent', () => {
	it('Read gives a long text whole (no cap) and Download gives the bytes as a binary', async () => {
		const [read] = await runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'logs/long.txt' });
		expect(read.json.objectData).toBe(longText);
		expect(read.json.truncated).toBeUndefined();
		const [download] = await runNode({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'notes/short.txt', binaryPropertyName: 'data' });
		expect(download.binary?.data).toBeDefined();
		expect(download.json.url).toBeUndefined();
	});

	it('Read takes a byte range', async () => {
		const [item] = await runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'logs/long.txt', options: { range: 'bytes=5-8' } });
		expect(item.json).toMatchObject({ objectData: '0000', size: 4, contentRange: `bytes 5-8/${Buffer.byteLength(longText)}` });
	});
});
