/**
 * Folder > Sync: a destination folder made to match a source folder, run as a real workflow and
 * checked against the server with a plain SDK client: what is copied (byte for byte), what is left,
 * what is deleted, and that a second run has nothing to do. Also to a destination credential:
 * another user of the same Ceph RGW, or (on s3rver) a second s3rver, with the copies streamed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import { getClient } from '../../nodes/S3Storage/transport/client';
import * as engine from '../support/engine';
import { bucketParam, runNode, runNodeError, S3_NODE_TYPE, type WorkflowRun } from '../support/harness';
import { startS3rver, type S3rverInstance } from '../support/s3rver';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const client = rawClient();
const buckets: string[] = [];

async function newBucket(label: string, s3: S3Client = client): Promise<string> {
	const bucket = uniqueBucket(label);
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	buckets.push(bucket);
	return bucket;
}

/** Every key under a prefix with its size, paged with the raw client. */
async function listing(bucket: string, prefix = '', s3: S3Client = client): Promise<Array<[string, number]>> {
	const entries: Array<[string, number]> = [];
	let token: string | undefined;
	do {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
		entries.push(...(page.Contents ?? []).map((object): [string, number] => [object.Key ?? '', object.Size ?? 0]));
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return entries;
}

async function keys(bucket: string, prefix = ''): Promise<string[]> {
	return (await listing(bucket, prefix)).map(([key]) => key);
}

async function body(bucket: string, key: string): Promise<Buffer> {
	const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return Buffer.from(await object.Body!.transformToByteArray());
}

/** Puts objects (key -> content), `parallel` at a time. */
async function putAll(bucket: string, objects: Array<[string, string | Buffer]>, parallel = 32): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < objects.length) {
				const [key, content] = objects[next++];
				await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content }));
			}
		}),
	);
}

function syncParams(bucket: string, folder: string, destinationFolder: string, extra: IDataObject = {}): IDataObject {
	return { resource: 'folder', operation: 'sync', bucket: bucketParam(bucket), folder, destinationFolder, ...extra };
}

async function sync(params: IDataObject): Promise<IDataObject> {
	const [item] = await runNode(params);
	return item.json;
}

const counts = (summary: IDataObject) => ({
	copied: summary.copied,
	skipped: summary.skipped,
	deleted: summary.deleted,
	failed: summary.failed,
});

afterAll(async () => {
	for (const bucket of buckets) {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } }).catch(() => undefined);
	}
	client.destroy();
});

describe('same bucket, folder to folder', () => {
	let bucket: string;
	const binary = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7919) % 256));
	const initial: Array<[string, string | Buffer]> = [
		['src/', Buffer.alloc(0)],
		['src/a.txt', 'alpha'],
		['src/photo.bin', binary],
		['src/sub/b.csv', 'id,name\n1,b\n'],
		['src/sub/deeper/c.txt', 'c'],
		['src/Zoë ünïcode/ü.txt', 'unicode ✓'],
		['srcsibling/not-mine.txt', 'outside the folder'],
	];

	beforeAll(async () => {
		bucket = await newBucket('sync');
		await putAll(bucket, initial);
	});

	it('copies everything on the first run, byte for byte, with keys relative to the folders', async () => {
		const summary = await sync(syncParams(bucket, 'src', 'mirror'));
		expect(summary).toEqual({
			sourceBucket: bucket,
			sourceFolder: 'src/',
			destinationBucket: bucket,
			destinationFolder: 'mirror/',
			dryRun: false,
			copied: 5,
			skipped: 0,
			deleted: 0,
			failed: 0,
			filtered: 0,
			bytes: 5 + binary.length + 'id,name\n1,b\n'.length + 1 + Buffer.byteLength('unicode ✓'),
		});
		expect(await keys(bucket, 'mirror/')).toEqual(['mirror/Zoë ünïcode/ü.txt', 'mirror/a.txt', 'mirror/photo.bin', 'mirror/sub/b.csv', 'mirror/sub/deeper/c.txt'].sort());
		expect((await body(bucket, 'mirror/photo.bin')).equals(binary)).toBe(true);
		expect((await body(bucket, 'mirror/Zoë ünïcode/ü.txt')).toString()).toBe('unicode ✓');
	});

	it('copies nothing on a second run', async () => {
		const summary = await sync(syncParams(bucket, 'src/', '/mirror/'));
		expect(counts(summary)).toEqual({ copied: 0, skipped: 5, deleted: 0, failed: 0 });
		expect(summary.bytes).toBe(0);
	});

	it('copies a changed object again, and only that one', async () => {
		await putAll(bucket, [['src/sub/b.csv', 'id,name\n1,b\n2,changed\n']]);
		const actions = await runNode(syncParams(bucket, 'src', 'mirror', { output: 'actions' }));
		expect(actions.map((item) => [item.json.key, item.json.action, item.json.reason])).toEqual([
			['Zoë ünïcode/ü.txt', 'skip', 'unchanged'],
			['a.txt', 'skip', 'unchanged'],
			['photo.bin', 'skip', 'unchanged'],
			['sub/b.csv', 'copy', 'size differs'],
			['sub/deeper/c.txt', 'skip', 'unchanged'],
		]);
		expect(actions[3].json).toMatchObject({ sourceKey: 'src/sub/b.csv', destinationKey: 'mirror/sub/b.csv', size: 22, dryRun: false });
		expect((await body(bucket, 'mirror/sub/b.csv')).toString()).toBe('id,name\n1,b\n2,changed\n');
		expect(counts(await sync(syncParams(bucket, 'src', 'mirror')))).toEqual({ copied: 0, skipped: 5, deleted: 0, failed: 0 });
	});

	it('by ETag, a change of content at the same size is seen at once', async () => {
		await putAll(bucket, [['src/a.txt', 'ALPHA']]);
		const summary = await sync(syncParams(bucket, 'src', 'mirror', { compareBy: 'etag' }));
		expect(counts(summary)).toEqual({ copied: 1, skipped: 4, deleted: 0, failed: 0 });
		expect((await body(bucket, 'mirror/a.txt')).toString()).toBe('ALPHA');
	});

	it('leaves objects only at the destination alone by default, and deletes them when asked', async () => {
		await putAll(bucket, [
			['mirror/old.txt', 'gone from the source'],
			['mirror/sub/old2.txt', 'also gone'],
		]);
		const kept = await sync(syncParams(bucket, 'src', 'mirror'));
		expect(counts(kept)).toEqual({ copied: 0, skipped: 7, deleted: 0, failed: 0 });
		expect(await keys(bucket, 'mirror/')).toContain('mirror/old.txt');

		const deleted = await sync(syncParams(bucket, 'src', 'mirror', { deleteExtraneous: true }));
		expect(counts(deleted)).toEqual({ copied: 0, skipped: 5, deleted: 2, failed: 0 });
		expect(await keys(bucket, 'mirror/')).toEqual(['mirror/Zoë ünïcode/ü.txt', 'mirror/a.txt', 'mirror/photo.bin', 'mirror/sub/b.csv', 'mirror/sub/deeper/c.txt'].sort());
		expect(await keys(bucket, 'src')).toEqual(initial.map(([key]) => key).sort());
	});

	it('Dry Run reports what it would do and changes nothing', async () => {
		await putAll(bucket, [
			['src/new.txt', 'new'],
			['mirror/extra.txt', 'extra'],
		]);
		const before = await listing(bucket);
		const summary = await sync(syncParams(bucket, 'src', 'mirror', { dryRun: true, deleteExtraneous: true }));
		expect(summary).toMatchObject({ dryRun: true, copied: 1, skipped: 5, deleted: 1, failed: 0, bytes: 3 });
		const actions = await runNode(syncParams(bucket, 'src', 'mirror', { dryRun: true, deleteExtraneous: true, output: 'actions' }));
		expect(actions.filter((item) => item.json.action !== 'skip').map((item) => [item.json.action, item.json.destinationKey, item.json.dryRun])).toEqual([
			['delete', 'mirror/extra.txt', true],
			['copy', 'mirror/new.txt', true],
		]);
		expect(await listing(bucket)).toEqual(before);
	});

	it('a key pattern and a date limit what is copied; excluded keys are never deleted', async () => {
		const summary = await sync(
			syncParams(bucket, 'src', 'filtered', { deleteExtraneous: true, options: { keyPattern: '**/*.{txt,csv}' } }),
		);
		expect(summary).toMatchObject({ copied: 5, filtered: 1, failed: 0 });
		expect(await keys(bucket, 'filtered/')).not.toContain('filtered/photo.bin');

		await putAll(bucket, [['filtered/keep.bin', 'not matched by the pattern, so not extraneous']]);
		const again = await sync(
			syncParams(bucket, 'src', 'filtered', { deleteExtraneous: true, options: { keyPattern: '**/*.{txt,csv}' } }),
		);
		expect(counts(again)).toEqual({ copied: 0, skipped: 7, deleted: 0, failed: 0 });
		expect(await keys(bucket, 'filtered/')).toContain('filtered/keep.bin');

		// Everything in the source is older than a minute from now: nothing qualifies.
		const future = new Date(Date.now() + 60_000).toISOString();
		const dated = await sync(syncParams(bucket, 'src', 'dated', { options: { modifiedAfter: future } }));
		expect(dated).toMatchObject({ copied: 0, filtered: 6 });
		// Everything was written within the last hour: a minimum age of an hour leaves it all for later.
		const young = await sync(syncParams(bucket, 'src', 'dated', { options: { minAgeMinutes: 60 } }));
		expect(young).toMatchObject({ copied: 0, filtered: 6 });
		expect(await keys(bucket, 'dated/')).toEqual([]);
	});

	it('refuses folders that contain each other in the same bucket', async () => {
		for (const [folder, destinationFolder] of [
			['src', 'src/backup'],
			['', 'mirror'],
			['src', 'src'],
		]) {
			const error = await runNodeError(syncParams(bucket, folder, destinationFolder));
			expect(error.message).toMatch(/overlap/);
		}
	});

	it('fails when the source bucket does not exist, naming it', async () => {
		const error = await runNodeError(syncParams(uniqueBucket('sync-missing'), 'src', 'mirror'));
		expect(error.message).toMatch(/does not exist|NoSuchBucket|not found/i);
	});
});

it('syncs into a folder of another bucket, and a whole bucket into another', async () => {
	const source = await newBucket('sync-from');
	const destination = await newBucket('sync-to');
	await putAll(source, [
		['data/x.json', '{"x":1}'],
		['data/y/z.json', '{"z":2}'],
		['top.txt', 'top'],
	]);
	const summary = await sync(syncParams(source, 'data', 'backup/data', { destinationBucket: bucketParam(destination) }));
	expect(summary).toMatchObject({ sourceBucket: source, destinationBucket: destination, destinationFolder: 'backup/data/', copied: 2, failed: 0 });
	expect(await keys(destination)).toEqual(['backup/data/x.json', 'backup/data/y/z.json']);
	expect((await body(destination, 'backup/data/y/z.json')).toString()).toBe('{"z":2}');

	const whole = await sync(syncParams(source, '', '', { destinationBucket: bucketParam(destination) }));
	expect(counts(whole)).toEqual({ copied: 3, skipped: 2, deleted: 0, failed: 0 });
	expect(await keys(destination)).toEqual(['backup/data/x.json', 'backup/data/y/z.json', 'data/x.json', 'data/y/z.json', 'top.txt']);
});

describe('2,500 keys: more than two listing pages on both sides', () => {
	const COUNT = 2_500;
	const key = (index: number) => `k/${String(index).padStart(5, '0')}.txt`;
	let source: string;
	let destination: string;

	beforeAll(async () => {
		source = await newBucket('sync-many-src');
		destination = await newBucket('sync-many-dst');
		const sourceObjects = Array.from({ length: COUNT }, (_, index): [string, string] => [`in/${key(index)}`, `object ${index}`]);
		await putAll(source, sourceObjects, 48);
		// Destination: every 5th key the same (skipped), every 5th + 1 different in size (copied),
		// the rest missing (copied), and 1,500 keys the source does not have between them (deleted).
		const destinationObjects: Array<[string, string]> = [];
		for (let index = 0; index < COUNT; index++) {
			if (index % 5 === 0) destinationObjects.push([`out/${key(index)}`, `object ${index}`]);
			if (index % 5 === 1) destinationObjects.push([`out/${key(index)}`, `stale copy of ${index}`]);
			if (index < 1_500) destinationObjects.push([`out/${key(index)}.old`, 'extraneous']);
		}
		await putAll(destination, destinationObjects, 48);
	}, 300_000);

	it('copies, skips and deletes exactly what differs, merging the listings page by page, then has nothing to do', async () => {
		const params = syncParams(source, 'in', 'out', { destinationBucket: bucketParam(destination), deleteExtraneous: true, options: { parallelCopies: 16 } });
		// The requests the node's (cached) client sends, in order: listing pages by bucket, copies, deletes.
		const sent: string[] = [];
		const stack = getClient(credentialFor(getTarget())).client.middlewareStack;
		stack.add(
			(next, context) => async (args) => {
				const name = context.commandName ?? '';
				sent.push(name === 'ListObjectsV2Command' ? `list ${(args.input as { Bucket?: string }).Bucket === source ? 'source' : 'destination'}` : name);
				return await next(args);
			},
			{ step: 'initialize', name: 'syncRequestOrder' },
		);
		try {
			expect(counts(await sync(params))).toEqual({ copied: 2_000, skipped: 500, deleted: 1_500, failed: 0 });
		} finally {
			stack.remove('syncRequestOrder');
		}
		// 2,500 keys a side, 1,000 a page: three pages each, each asked for once.
		expect(sent.filter((name) => name === 'list source')).toHaveLength(3);
		expect(sent.filter((name) => name === 'list destination')).toHaveLength(3);
		// Merged as the pages arrive: copies and deletes start before either side is listed to its end.
		const lastPage = Math.min(sent.lastIndexOf('list source'), sent.lastIndexOf('list destination'));
		expect(sent.indexOf('CopyObjectCommand')).toBeLessThan(lastPage);
		expect(sent.indexOf('DeleteObjectsCommand')).toBeLessThan(lastPage);
		const after = await listing(destination, 'out/');
		expect(after.map(([name]) => name)).toEqual(Array.from({ length: COUNT }, (_, index) => `out/${key(index)}`));
		expect(after.every(([name, size]) => size === `object ${Number(name.slice(6, 11))}`.length)).toBe(true);

		expect(counts(await sync(params))).toEqual({ copied: 0, skipped: COUNT, deleted: 0, failed: 0 });
	}, 300_000);
});

/**
 * Memory: 20,000 keys per side, synced with live heap and RSS sampled while the node runs. Runs on
 * s3rver only (a private instance, so its directory can be filled in a second instead of 40,000 PUTs
 * taking minutes); s3rver runs in a child process, so this process's memory is the node's alone.
 */
(getTarget().server === 's3rver' ? describe : describe.skip)('memory with 20,000 keys', () => {
	const COUNT = Number(process.env.SYNC_MEMORY_KEYS ?? 20_000);
	// Long keys make holding a listing expensive, so a node that did would show clearly.
	const key = (index: number) => `${String(index % 100).padStart(3, '0')}/${'a-rather-long-path-segment-'.repeat(6)}${String(index).padStart(6, '0')}.txt`;
	let server: Awaited<ReturnType<typeof startS3rver>>;
	let s3: S3Client;
	const source = 'sync-memory-source';
	const destination = 'sync-memory-mirror';

	/** Writes an object the way s3rver stores it (its filesystem store: the content beside "._S3rver_object"). */
	const seed = (bucket: string, name: string, content: string, modified?: Date) => {
		const path = join(server.directory, bucket, `${name}._S3rver_object`);
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, content);
		writeFileSync(join(server.directory, bucket, `${name}._S3rver_metadata.json`), '{"content-type":"text/plain"}');
		if (modified) utimesSync(path, modified, modified);
	};

	beforeAll(async () => {
		server = await startS3rver();
		s3 = rawClient({ ...getTarget(), endpoint: server.endpoint, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
		await s3.send(new CreateBucketCommand({ Bucket: source }));
		await s3.send(new CreateBucketCommand({ Bucket: destination }));
		const later = new Date(Date.now() + 3_600_000);
		for (let index = 0; index < COUNT; index++) {
			seed(source, `in/${key(index)}`, `object ${index}`);
			// 19,000 already mirrored (newer, same size), 1,000 missing, 1,000 extraneous.
			if (index % 20 !== 0) seed(destination, `out/${key(index)}`, `object ${index}`, later);
			if (index % 20 === 1) seed(destination, `out/${key(index)}.old`, 'extraneous', later);
		}
	}, 120_000);

	afterAll(async () => {
		s3?.destroy();
		await server?.stop();
	});

	it('keeps memory flat: live heap and RSS grow far less than holding the keys would cost', async () => {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const credential = credentialFor({ ...getTarget(), endpoint: server.endpoint, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
		const params = { ...syncParams(source, 'in', 'out', { destinationBucket: bucketParam(destination), deleteExtraneous: true }) };

		// Warm up (modules, client, engine) on an empty folder, then measure from a collected heap.
		await runNode({ ...params, folder: 'nothing', destinationFolder: 'nothing-either' }, undefined, { credential });
		gc();
		const base = process.memoryUsage();
		let peakHeap = 0;
		let peakRss = 0;
		const sampler = setInterval(() => {
			gc();
			const now = process.memoryUsage();
			peakHeap = Math.max(peakHeap, now.heapUsed - base.heapUsed);
			peakRss = Math.max(peakRss, now.rss - base.rss);
		}, 1_000);
		let summary: IDataObject;
		const started = Date.now();
		try {
			[{ json: summary }] = await runNode(params, undefined, { credential });
		} finally {
			clearInterval(sampler);
		}
		const seconds = (Date.now() - started) / 1000;
		expect(counts(summary)).toEqual({ copied: COUNT / 20, skipped: COUNT - COUNT / 20, deleted: COUNT / 20, failed: 0 });

		// What holding one side's listing costs: every object of the source, as listed, kept.
		gc();
		const beforeHolding = process.memoryUsage().heapUsed;
		const held: unknown[] = [];
		let token: string | undefined;
		do {
			const page = await s3.send(new ListObjectsV2Command({ Bucket: source, ContinuationToken: token }));
			held.push(...(page.Contents ?? []));
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
		gc();
		const holdingOneSide = process.memoryUsage().heapUsed - beforeHolding;
		expect(held).toHaveLength(COUNT);

		const MiB = 1024 * 1024;
		console.log(
			`sync of ${COUNT} keys per side in ${seconds.toFixed(1)} s: live heap +${(peakHeap / MiB).toFixed(1)} MiB, RSS +${(peakRss / MiB).toFixed(1)} MiB; holding one side's listing: ${(holdingOneSide / MiB).toFixed(1)} MiB`,
		);
		// Holding both sides would cost twice that in live heap alone; the merge holds a page per side
		// and a batch of planned actions. (Measured: +5 MiB live, +12.5 MiB RSS against 9.4 MiB per side.)
		expect(peakHeap).toBeLessThan(holdingOneSide * 0.75);
		expect(peakRss).toBeLessThan(holdingOneSide * 2);
	}, 180_000);
});

/** Ceph RGW's second user (tools/rgw.sh): another account on the same server. */
const otherKeys =
	process.env.S3_TEST_OTHER_ACCESS_KEY_ID && process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY
		? { accessKeyId: process.env.S3_TEST_OTHER_ACCESS_KEY_ID, secretAccessKey: process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY }
		: undefined;

const syncNode = {
	s3Storage: new S3Storage(),
	input: {
		description: { name: 'input', version: 1, inputs: ['main'], outputs: ['main'], properties: [] },
		async execute(this: IExecuteFunctions) {
			return [this.getInputData()];
		},
	},
};

/** Runs one Sync node with the suite's credential as the node's and `destination` as the destination credential. */
async function runSyncTo(parameters: IDataObject, destination: IDataObject): Promise<WorkflowRun> {
	const nodes = [
		{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'sync',
			name: 'Sync',
			type: S3_NODE_TYPE,
			typeVersion: 2,
			position: [200, 0],
			parameters,
			credentials: { s3StorageApi: { id: '1', name: 'Source' }, s3StorageDestinationApi: { id: '2', name: 'Destination' } },
		},
	];
	return await engine.runWorkflow(
		{ nodes, connections: { Input: { main: [[{ node: 'Sync', type: 'main', index: 0 }]] } } },
		{
			nodes: { s3Storage: syncNode.s3Storage, 'test.input': syncNode.input },
			credentials: { s3StorageApi: credentialFor(getTarget()), s3StorageDestinationApi: destination },
			startData: { main: [[{ json: {} }]] },
		},
	);
}

async function syncTo(parameters: IDataObject, destination: IDataObject): Promise<IDataObject> {
	const run = await runSyncTo(parameters, destination);
	const error = run.nodeError('Sync');
	if (error) throw error;
	return run.output('Sync')![0].json;
}

describe(`to a destination credential (${otherKeys ? 'another user of the same server' : 'a second s3rver'})`, () => {
	const MiB = 1024 * 1024;
	// Above one 8 MiB part: streamed as ranged reads into a multipart upload.
	const large = randomBytes(11 * MiB + 4321);
	let source: string;
	const destinationBucket = uniqueBucket('sync-other');
	let other: S3rverInstance | undefined;
	let otherClient: S3Client;
	let destination: IDataObject;

	const otherBody = async (key: string) => {
		const object = await otherClient.send(new GetObjectCommand({ Bucket: destinationBucket, Key: key }));
		return Buffer.from(await object.Body!.transformToByteArray());
	};

	beforeAll(async () => {
		source = await newBucket('sync-cross');
		if (otherKeys) {
			const otherTarget = { ...getTarget(), ...otherKeys };
			otherClient = rawClient(otherTarget);
			destination = credentialFor(otherTarget);
		} else {
			other = await startS3rver();
			const otherTarget = { ...getTarget(), endpoint: other.endpoint, accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey };
			otherClient = rawClient(otherTarget);
			destination = credentialFor(otherTarget);
		}
		await otherClient.send(new CreateBucketCommand({ Bucket: destinationBucket }));
		await putAll(source, [
			['in/a.txt', 'alpha'],
			['in/sub/b.csv', 'id\n1\n'],
		]);
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'in/large.bin', Body: large, ContentType: 'application/x-large', Metadata: { origin: 'sync' } }));
		await otherClient.send(new PutObjectCommand({ Bucket: destinationBucket, Key: 'out/extra.txt', Body: 'only at the destination' }));
	});

	afterAll(async () => {
		const listed = await otherClient.send(new ListObjectsV2Command({ Bucket: destinationBucket }));
		for (const object of listed.Contents ?? []) await otherClient.send(new DeleteObjectCommand({ Bucket: destinationBucket, Key: object.Key }));
		await otherClient.send(new DeleteBucketCommand({ Bucket: destinationBucket }));
		otherClient.destroy();
		await other?.stop();
	});

	const params = (extra: IDataObject = {}) => ({
		...syncParams(source, 'in', 'out'),
		destinationConnection: 'destinationCredential',
		destinationBucket: bucketParam(destinationBucket),
		deleteExtraneous: true,
		...extra,
	});

	it('copies through the node, byte for byte with content type and metadata, and deletes what only the destination has', async () => {
		const summary = await syncTo(params(), destination);
		expect(summary).toMatchObject({ sourceBucket: source, destinationBucket, copied: 3, skipped: 0, deleted: 1, failed: 0, bytes: 5 + 5 + large.length });
		const listed = await otherClient.send(new ListObjectsV2Command({ Bucket: destinationBucket }));
		expect((listed.Contents ?? []).map((object) => object.Key)).toEqual(['out/a.txt', 'out/large.bin', 'out/sub/b.csv']);
		expect((await otherBody('out/large.bin')).equals(large)).toBe(true);
		expect((await otherBody('out/sub/b.csv')).toString()).toBe('id\n1\n');
		const head = await otherClient.send(new HeadObjectCommand({ Bucket: destinationBucket, Key: 'out/large.bin' }));
		expect(head).toMatchObject({ ContentType: 'application/x-large', Metadata: { origin: 'sync' } });
	});

	it('copies nothing on a second run, by size and date and by ETag (the multipart copy compared by size)', async () => {
		expect(counts(await syncTo(params(), destination))).toEqual({ copied: 0, skipped: 3, deleted: 0, failed: 0 });
		expect(counts(await syncTo(params({ compareBy: 'etag' }), destination))).toEqual({ copied: 0, skipped: 3, deleted: 0, failed: 0 });
	});

	it('by ETag, a change at the same size is copied again (both plain MD5 ETags)', async () => {
		await putAll(source, [['in/a.txt', 'ALPHA']]);
		const summary = await syncTo(params({ compareBy: 'etag', output: 'actions' }), destination);
		expect(summary).toMatchObject({ key: 'a.txt', action: 'copy', reason: 'ETag differs' });
		expect((await otherBody('out/a.txt')).toString()).toBe('ALPHA');
	});

	it('an empty Destination Bucket means the destination credential\'s default bucket', async () => {
		const summary = await syncTo({ ...params(), destinationBucket: bucketParam(''), destinationFolder: 'defaulted' }, { ...destination, defaultBucket: destinationBucket });
		expect(summary).toMatchObject({ destinationBucket, destinationFolder: 'defaulted/', copied: 3, failed: 0 });
		expect((await otherBody('defaulted/large.bin')).equals(large)).toBe(true);
	});

	(otherKeys ? it : it.skip)('on the same server, folders of one bucket that contain each other are refused whoever writes', async () => {
		const run = await runSyncTo({ ...syncParams(source, 'in', 'in/copy'), destinationConnection: 'destinationCredential', destinationBucket: bucketParam(source) }, destination);
		expect(run.nodeError('Sync')?.message).toMatch(/overlap/);
	});

	it('with the same account as the destination credential, the server copies (as with the node\'s own credential)', async () => {
		const copyBucket = await newBucket('sync-same');
		// The commands the node's (cached) client sends.
		const commands: string[] = [];
		const stack = getClient(credentialFor(getTarget())).client.middlewareStack;
		stack.add((next, context) => async (args) => (commands.push(context.commandName ?? ''), await next(args)), { step: 'initialize', name: 'syncCommands' });
		try {
			const summary = await syncTo({ ...params(), destinationBucket: bucketParam(copyBucket), deleteExtraneous: false }, credentialFor(getTarget()));
			expect(summary).toMatchObject({ destinationBucket: copyBucket, copied: 3, failed: 0 });
		} finally {
			stack.remove('syncCommands');
		}
		expect(commands.filter((name) => name === 'CopyObjectCommand')).toHaveLength(3);
		expect(commands.filter((name) => ['GetObjectCommand', 'PutObjectCommand', 'UploadPartCommand'].includes(name))).toEqual([]);
		expect((await body(copyBucket, 'out/large.bin')).equals(large)).toBe(true);
	});
});
