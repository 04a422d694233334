/**
 * Object > Transfer: an object copied to another credential. Same user on the same endpoint: the
 * server copies it. Another user (Ceph RGW's second user) or another server (a second s3rver
 * started here): through the node, a small object in one GetObject and one PutObject, a larger one
 * part by part (ranged GetObjects, several at once, each sent as UploadPart). Both sides are
 * checked with raw clients: bytes, content type, metadata and tags; the source's requests are
 * watched through a fault proxy to see the ranged reads, their overlap, and a cut part resumed.
 */
import { createHash, randomBytes } from 'node:crypto';

import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	GetObjectCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	PutObjectTaggingCommand,
	S3Client,
} from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import * as engine from '../support/engine';
import { s3ErrorAnswer, startFaultProxy, type FaultProxy, type ProxyRecord } from '../support/faultProxy';
import { bucketParam, recordSuccesses, runNode, S3_NODE_TYPE, type WorkflowRun } from '../support/harness';
import { startS3rver, type S3rverInstance } from '../support/s3rver';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket, type S3Target } from '../support/target';


const MiB = 1024 * 1024;
const target = getTarget();
const caps = capabilities(target);
const source = rawClient();
const bucket = uniqueBucket('xfer-src');
const content = randomBytes(12 * MiB + 12345);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Ceph RGW's second user (tools/rgw.sh): another account on the same server. */
const otherKeys =
	process.env.S3_TEST_OTHER_ACCESS_KEY_ID && process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY
		? { accessKeyId: process.env.S3_TEST_OTHER_ACCESS_KEY_ID, secretAccessKey: process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY }
		: undefined;

const nodeInstances = {
	s3Storage: new S3Storage(),
	input: {
		description: { name: 'input', version: 1, inputs: ['main'], outputs: ['main'], properties: [] },
		async execute(this: IExecuteFunctions) {
			return [this.getInputData()];
		},
	},
};

/** Runs one Transfer node with the node's credential (the suite's server) and `destination` as the destination credential. */
async function runTransfer(
	parameters: IDataObject,
	destination: IDataObject,
	onStart?: (cancel: () => void) => void,
	sourceCredential: IDataObject = credentialFor(target),
): Promise<WorkflowRun> {
	const nodes = [
		{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'transfer',
			name: 'Transfer',
			type: S3_NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: { resource: 'object', operation: 'transfer', bucket: bucketParam(bucket), ...parameters },
			credentials: { s3StorageApi: { id: '1', name: 'Source' }, s3StorageDestinationApi: { id: '2', name: 'Destination' } },
		},
	];
	return await engine.runWorkflow(
		{ nodes, connections: { Input: { main: [[{ node: 'Transfer', type: 'main', index: 0 }]] } } },
		{
			nodes: { s3Storage: nodeInstances.s3Storage, 'test.input': nodeInstances.input },
			credentials: { s3StorageApi: sourceCredential, s3StorageDestinationApi: destination },
			startData: { main: [[{ json: {} }]] },
			onStart,
		},
	);
}

async function transfer(parameters: IDataObject, destination: IDataObject): Promise<INodeExecutionData[]> {
	const run = await runTransfer(parameters, destination);
	const error = run.nodeError('Transfer');
	if (error) throw error;
	recordSuccesses(run, [{ name: 'Transfer', parameters: { resource: 'object', operation: 'transfer' } }], credentialFor(target));
	return run.output('Transfer') ?? [];
}

function clientFor(where: S3Target): S3Client {
	return new S3Client({
		endpoint: where.endpoint,
		region: where.region,
		forcePathStyle: true,
		credentials: { accessKeyId: where.accessKeyId, secretAccessKey: where.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
}

async function bytesOf(client: S3Client, where: string, key: string): Promise<Buffer> {
	const response = await client.send(new GetObjectCommand({ Bucket: where, Key: key }));
	return Buffer.from(await response.Body!.transformToByteArray());
}

async function emptyAndDelete(client: S3Client, name: string): Promise<void> {
	const listed = await client.send(new ListObjectsV2Command({ Bucket: name }));
	for (const object of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: name, Key: object.Key }));
	await client.send(new DeleteBucketCommand({ Bucket: name }));
}

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await source.send(
		new PutObjectCommand({
			Bucket: bucket,
			Key: 'src/archive.bin',
			Body: content,
			ContentType: 'application/x-archive',
			Metadata: { origin: 'nightly', owner: 'ops' },
			CacheControl: 'max-age=60',
			ContentDisposition: 'attachment; filename="archive.bin"',
		}),
	);
	await source.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'src/archive.bin', Tagging: { TagSet: [{ Key: 'project', Value: 'apollo' }] } }));
	await source.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/small.txt', Body: 'hello transfer', ContentType: 'text/plain', Metadata: { kind: 'note' } }));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

/** What a destination must hold after a transfer of src/archive.bin with its metadata kept. */
async function expectArchiveAt(client: S3Client, where: string, key: string): Promise<void> {
	expect(sha256(await bytesOf(client, where, key))).toBe(sha256(content));
	const head = await client.send(new HeadObjectCommand({ Bucket: where, Key: key }));
	expect(head.ContentType).toBe('application/x-archive');
	expect(head.Metadata).toEqual({ origin: 'nightly', owner: 'ops' });
	expect(head.CacheControl).toBe('max-age=60');
	expect(head.ContentDisposition).toBe('attachment; filename="archive.bin"');
	const tagging = await client.send(new GetObjectTaggingCommand({ Bucket: where, Key: key }));
	expect(tagging.TagSet).toEqual([{ Key: 'project', Value: 'apollo' }]);
}

describe('same credential on both sides', () => {
	it('copies server-side, keeping content type, metadata and tags', async () => {
		const [item] = await transfer({ key: 'src/archive.bin', destinationBucket: bucket, destinationKey: 'copies/archive.bin' }, credentialFor(target));
		expect(item.json).toMatchObject({ sourceBucket: bucket, sourceKey: 'src/archive.bin', bucket, key: 'copies/archive.bin', size: content.length, method: 'server-side' });
		await expectArchiveAt(source, bucket, 'copies/archive.bin');
	});
});

describe('to another server (a second s3rver)', () => {
	let other: S3rverInstance;
	let client: S3Client;
	const destinationBucket = uniqueBucket('xfer-dst');

	beforeAll(async () => {
		other = await startS3rver();
		client = clientFor(other);
		await client.send(new CreateBucketCommand({ Bucket: destinationBucket }));
	});

	afterAll(async () => {
		await emptyAndDelete(client, destinationBucket);
		client.destroy();
		await other.stop();
	});

	const destination = () => credentialFor(other, { defaultBucket: destinationBucket });

	it('streams the object in parts, byte for byte, with content type, metadata and tags', async () => {
		const [item] = await transfer({ key: 'src/archive.bin', options: { partSizeMiB: 5 } }, destination());
		expect(item.json).toMatchObject({ bucket: destinationBucket, key: 'src/archive.bin', size: content.length, method: 'streamed' });
		await expectArchiveAt(client, destinationBucket, 'src/archive.bin');
	});

	it('a small object goes up in one request; Keep Metadata and Tags off leaves them behind', async () => {
		const [item] = await transfer({ key: 'src/small.txt', destinationKey: 'plain.txt', options: { keepMetadata: false } }, destination());
		expect(item.json).toMatchObject({ key: 'plain.txt', size: 14, method: 'streamed' });
		expect((await bytesOf(client, destinationBucket, 'plain.txt')).toString()).toBe('hello transfer');
		const head = await client.send(new HeadObjectCommand({ Bucket: destinationBucket, Key: 'plain.txt' }));
		expect(head.Metadata).toEqual({});
		expect(head.ContentType).not.toBe('text/plain');
	});

	it('Do Not Overwrite refuses a key the destination already has, and keeps what is there', async () => {
		await client.send(new PutObjectCommand({ Bucket: destinationBucket, Key: 'kept.bin', Body: 'keep me' }));
		const run = await runTransfer({ key: 'src/archive.bin', destinationKey: 'kept.bin', options: { doNotOverwrite: true, partSizeMiB: 5 } }, destination());
		expect(run.nodeError('Transfer')?.message).toContain('already exists');
		expect((await bytesOf(client, destinationBucket, 'kept.bin')).toString()).toBe('keep me');
	});

	it('a missing source object fails naming it; nothing is written', async () => {
		const run = await runTransfer({ key: 'src/missing.bin' }, destination());
		expect(run.nodeError('Transfer')?.message).toBe(`Object "src/missing.bin" not found in bucket "${bucket}" [item 0]`);
		const listed = await client.send(new ListObjectsV2Command({ Bucket: destinationBucket, Prefix: 'src/missing' }));
		expect(listed.KeyCount ?? 0).toBe(0);
	});
});

(otherKeys ? describe : describe.skip)('to another user of the same server (Ceph RGW\'s second user)', () => {
	const destinationBucket = uniqueBucket('xfer-other');
	const otherTarget = { ...target, ...otherKeys! };
	let client: S3Client;

	beforeAll(async () => {
		client = clientFor(otherTarget);
		await client.send(new CreateBucketCommand({ Bucket: destinationBucket }));
	});

	afterAll(async () => {
		await emptyAndDelete(client, destinationBucket);
		client.destroy();
	});

	it('streams (the other user cannot read the source), byte for byte, with content type, metadata and tags', async () => {
		const [item] = await transfer(
			{ key: 'src/archive.bin', destinationBucket, destinationKey: 'from-tester/archive.bin', options: { partSizeMiB: 5 } },
			credentialFor(otherTarget),
		);
		expect(item.json).toMatchObject({ bucket: destinationBucket, key: 'from-tester/archive.bin', size: content.length, method: 'streamed' });
		// Ceph RGW 16 answers CompleteMultipartUpload with an empty ETag, so the object's own is checked
		expect((await client.send(new HeadObjectCommand({ Bucket: destinationBucket, Key: 'from-tester/archive.bin' }))).ETag).toMatch(/-3"$/);
		await expectArchiveAt(client, destinationBucket, 'from-tester/archive.bin');
	});

	it('a failure on the destination (no such bucket) leaves no incomplete upload', async () => {
		const run = await runTransfer({ key: 'src/archive.bin', destinationBucket: `${destinationBucket}-none`, options: { partSizeMiB: 5 } }, credentialFor(otherTarget));
		expect(run.nodeError('Transfer')?.message).toContain('does not exist');
		if (caps.multipartAbort) {
			const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: destinationBucket }));
			expect(listed.Uploads ?? []).toHaveLength(0);
		}
	});
});

/** The most requests that were in flight at one moment. */
function mostAtOnce(records: ProxyRecord[]): number {
	const edges = records.flatMap((record) => [
		[record.at, 1],
		[record.finishedAt ?? Infinity, -1],
	]);
	edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let most = 0;
	for (const [, change] of edges) most = Math.max(most, (now += change));
	return most;
}

describe('part by part, with the source read in ranges (source behind a fault proxy)', () => {
	const PART = 5 * MiB;
	const destinationBucket = uniqueBucket('xfer-parts');
	let proxy: FaultProxy;
	let other: S3rverInstance | undefined;
	let client: S3Client;
	let destination: IDataObject;
	let sourceEtag: string;

	beforeAll(async () => {
		proxy = await startFaultProxy(target.endpoint);
		// Another account of the same server where there is one (Ceph RGW), else a second s3rver.
		if (otherKeys) {
			destination = credentialFor({ ...target, ...otherKeys }, { defaultBucket: destinationBucket });
			client = clientFor({ ...target, ...otherKeys });
		} else {
			other = await startS3rver();
			destination = credentialFor(other, { defaultBucket: destinationBucket });
			client = clientFor(other);
		}
		await client.send(new CreateBucketCommand({ Bucket: destinationBucket }));
		sourceEtag = (await source.send(new HeadObjectCommand({ Bucket: bucket, Key: 'src/archive.bin' }))).ETag!;
	});

	beforeEach(() => {
		proxy.rule = undefined;
		proxy.clear();
	});

	afterAll(async () => {
		await proxy?.stop();
		await emptyAndDelete(client, destinationBucket);
		client.destroy();
		await other?.stop();
	});

	const viaProxy = () => credentialFor(target, { endpoint: proxy.endpoint, maxAttempts: 3, idleTimeout: 10 });
	const ranges = () => proxy.named('GetObject').map((request) => String(request.headers.range));

	it('reads the source in ranges pinned to its ETag, several at once, and writes it byte for byte with its metadata and tags', async () => {
		// Each ranged read is held back a moment, so reads made one after another could not overlap.
		proxy.rule = (request) => (request.name === 'GetObject' ? { kind: 'hold', ms: 400 } : undefined);
		const run = await runTransfer({ key: 'src/archive.bin', destinationKey: 'parts/archive.bin', options: { partSizeMiB: 5, queueSize: 3 } }, destination, undefined, viaProxy());
		expect(run.nodeError('Transfer')).toBeUndefined();
		expect(run.output('Transfer')?.[0].json).toMatchObject({ key: 'parts/archive.bin', size: content.length, method: 'streamed' });
		await expectArchiveAt(client, destinationBucket, 'parts/archive.bin');

		const reads = proxy.named('GetObject');
		expect(ranges().sort()).toEqual([`bytes=0-${PART - 1}`, `bytes=${2 * PART}-${content.length - 1}`, `bytes=${PART}-${2 * PART - 1}`]);
		expect(reads.every((request) => request.headers['if-match'] === sourceEtag)).toBe(true);
		expect(mostAtOnce(reads)).toBeGreaterThanOrEqual(2);
	});

	it('Parallel Parts 1 reads one range at a time', async () => {
		proxy.rule = (request) => (request.name === 'GetObject' ? { kind: 'hold', ms: 200 } : undefined);
		const run = await runTransfer({ key: 'src/archive.bin', destinationKey: 'parts/one-at-a-time.bin', options: { partSizeMiB: 5, queueSize: 1 } }, destination, undefined, viaProxy());
		expect(run.nodeError('Transfer')).toBeUndefined();
		expect(sha256(await bytesOf(client, destinationBucket, 'parts/one-at-a-time.bin'))).toBe(sha256(content));
		expect(proxy.named('GetObject')).toHaveLength(3);
		expect(mostAtOnce(proxy.named('GetObject'))).toBe(1);
	});

	it('a part whose read is cut mid-way is resumed from the byte it stopped at, and only that part', async () => {
		let cut = false;
		proxy.rule = (request) => {
			if (request.name !== 'GetObject' || request.headers.range !== `bytes=${PART}-${2 * PART - 1}` || cut) return undefined;
			cut = true;
			return { kind: 'resetBody', afterBytes: MiB };
		};
		const run = await runTransfer({ key: 'src/archive.bin', destinationKey: 'parts/resumed.bin', options: { partSizeMiB: 5 } }, destination, undefined, viaProxy());
		expect(run.nodeError('Transfer')).toBeUndefined();
		await expectArchiveAt(client, destinationBucket, 'parts/resumed.bin');

		const reads = proxy.named('GetObject');
		expect(reads).toHaveLength(4);
		const rest = reads.find((request) => {
			const start = Number(/^bytes=(\d+)-/.exec(String(request.headers.range))![1]);
			return start > PART && start < 2 * PART;
		});
		// The rest of part 2, from where the cut left it, to the part's end; never part 2 from its start again.
		expect(rest?.headers.range).toMatch(new RegExp(`^bytes=\\d+-${2 * PART - 1}$`));
		expect(rest?.headers['if-match']).toBe(sourceEtag);
		expect(ranges().filter((range) => range === `bytes=${PART}-${2 * PART - 1}`)).toHaveLength(1);
	});

	it('a part that cannot be read stops the transfer: the error names both objects, the part and the upload, which is aborted', async () => {
		proxy.rule = (request) =>
			request.name === 'GetObject' && request.headers.range === `bytes=${PART}-${2 * PART - 1}` ? s3ErrorAnswer(500, 'InternalError', 'We encountered an internal error.') : undefined;
		const run = await runTransfer({ key: 'src/archive.bin', destinationKey: 'parts/failed.bin', options: { partSizeMiB: 5, queueSize: 1 } }, destination, undefined, viaProxy());
		const error = run.nodeError('Transfer') as (Error & { description?: string }) | undefined;
		expect(error?.message).toContain(`"src/archive.bin" in bucket "${bucket}"`);
		expect(error?.description).toContain(`The transfer of "src/archive.bin" in bucket "${bucket}" to "parts/failed.bin" in bucket "${destinationBucket}" stopped at part 2 of 3 (bytes ${PART}-${2 * PART - 1})`);
		// s3rver has no AbortMultipartUpload: there the description says which upload is left and how to remove it.
		expect(error?.description).toMatch(caps.multipartAbort ? /its multipart upload \S+ was aborted, nothing was left behind/ : /incomplete multipart upload \S+ of this object could not be removed/);
		// Retried within the budget (3 attempts), then given up; part 3 never started (one part at a time).
		expect(ranges().filter((range) => range === `bytes=${PART}-${2 * PART - 1}`)).toHaveLength(3);
		expect(ranges()).not.toContain(`bytes=${2 * PART}-${content.length - 1}`);
		const listed = await client.send(new ListObjectsV2Command({ Bucket: destinationBucket, Prefix: 'parts/failed' }));
		expect(listed.KeyCount ?? 0).toBe(0);
		if (caps.multipartAbort) {
			const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: destinationBucket }));
			expect(uploads.Uploads ?? []).toHaveLength(0);
		}
	});

	it('a cancelled execution stops the reads in flight and aborts the upload; nothing is left', async () => {
		let cancel: (() => void) | undefined;
		let holding = false;
		proxy.rule = (request) => {
			if (request.name !== 'GetObject' || request.headers.range === `bytes=0-${PART - 1}`) return undefined;
			// Parts 2 and 3 are held back; the execution is cancelled while they wait.
			if (!holding) {
				holding = true;
				setTimeout(() => cancel?.(), 300);
			}
			return { kind: 'hold', ms: 5_000 };
		};
		const started = Date.now();
		const run = await runTransfer({ key: 'src/archive.bin', destinationKey: 'parts/cancelled.bin', options: { partSizeMiB: 5, queueSize: 3 } }, destination, (cancelExecution) => (cancel = cancelExecution), viaProxy());
		// the engine either ends the run as cancelled or the node fails with the cancel
		if (!run.cancelled) {
			expect(run.output('Transfer')?.length ?? 0).toBe(0);
			expect(run.nodeError('Transfer')?.message).toMatch(/cancelled/);
		}
		// The held reads were given up at the cancel, not waited for.
		expect(Date.now() - started).toBeLessThan(4_500);
		await proxy.settled(300);
		const listed = await client.send(new ListObjectsV2Command({ Bucket: destinationBucket, Prefix: 'parts/cancelled' }));
		expect(listed.KeyCount ?? 0).toBe(0);
		if (caps.multipartAbort) {
			const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: destinationBucket }));
			expect(uploads.Uploads ?? []).toHaveLength(0);
		}
	});

	// s3rver does not check If-Match on GetObject, so only a real server can refuse the replaced object.
	(target.server === 's3rver' ? it.skip : it)('a source replaced mid-transfer fails the transfer instead of mixing its two versions', async () => {
		const key = 'src/changing.bin';
		await source.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content }));
		let replaced: Promise<unknown> | undefined;
		proxy.rule = (request) => {
			if (request.name !== 'GetObject' || request.key !== key || request.headers.range !== `bytes=${PART}-${2 * PART - 1}`) return undefined;
			// The second part's read goes out only once another writer has replaced the object.
			replaced ??= source.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(content.length) }));
			return { kind: 'hold', until: replaced };
		};
		const run = await runTransfer({ key, destinationKey: 'parts/changing.bin', options: { partSizeMiB: 5, queueSize: 1 } }, destination, undefined, viaProxy());
		expect(run.nodeError('Transfer')?.message).toContain(`Could not transfer object "${key}" in bucket "${bucket}": the object was replaced while it was being downloaded`);
		const listed = await client.send(new ListObjectsV2Command({ Bucket: destinationBucket, Prefix: 'parts/changing' }));
		expect(listed.KeyCount ?? 0).toBe(0);
	});
});
