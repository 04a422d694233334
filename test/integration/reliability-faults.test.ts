/**
 * The node under network faults, through a fault-injecting proxy in front of the real server
 * (test/support/faultProxy.ts): stalled requests and bodies, connections reset mid-request and
 * mid-body, throttling, a proxy's 502 page, flipped bytes, a server that is down for a while and,
 * on Ceph RGW, a gateway killed and restarted mid-upload. Each test checks what the user sees
 * (the bytes, or an error naming the operation, bucket, key, item and what went wrong) and what
 * is left on the server (objects, incomplete multipart uploads).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';

import {
	AbortMultipartUploadCommand,
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectsCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	ListObjectsV2Command,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { destroyClients } from '../../nodes/S3Storage/transport/client';
import { binaryToBuffer, bucketParam, makeBinary, runSteps } from '../support/harness';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';
import {
	badGatewayHtml,
	seededShare,
	slowDown,
	startFaultProxy,
	type FaultProxy,
	type ProxyRecord,
} from '../support/faultProxy';

const MiB = 1024 * 1024;
const caps = capabilities();
const target = getTarget();
const bucket = uniqueBucket('faults');
const s3 = rawClient();
let proxy: FaultProxy;

/** A 3 MiB object stored in one PutObject (so its ETag is its MD5), fetched by the download and read tests. */
const SMALL_KEY = 'faults/three-mib.bin';
const small = randomBytes(3 * MiB + 17);
let smallEtag: string;

beforeAll(async () => {
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	smallEtag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: SMALL_KEY, Body: small }))).ETag!;
	proxy = await startFaultProxy(target.endpoint);
});

beforeEach(() => {
	proxy.rule = undefined;
	proxy.clear();
});

afterAll(async () => {
	await proxy?.stop();
	destroyClients();
	await removeBucket();
	s3.destroy();
});

/**
 * The credential a user would fill in, pointed at the proxy. The idle timeout is short enough for the
 * tests that do not stall and long enough that a busy server's slow answer is not taken for a stall;
 * the stall tests set 1 s.
 */
function credential(overrides: IDataObject = {}): IDataObject {
	return credentialFor(target, { endpoint: proxy.endpoint, idleTimeout: 10, maxAttempts: 3, ...overrides });
}
const STALL = { idleTimeout: 1 };

interface Outcome {
	output: INodeExecutionData[];
	error?: Error & { description?: string };
	ms: number;
}

/** Runs one node and returns what came out, the node's error if any, and how long it took. */
async function run(parameters: IDataObject, input: INodeExecutionData[] = [{ json: {} }], cred: IDataObject = credential()): Promise<Outcome> {
	const started = Date.now();
	const result = await runSteps([{ name: 'S3', parameters }], input, { credential: cred });
	return { output: result.output('S3') ?? [], error: result.nodeError('S3'), ms: Date.now() - started };
}

const download = (key: string) => ({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key, binaryPropertyName: 'data' });
const read = (key: string) => ({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key, readAs: 'base64', options: { maxSizeMiB: 20 } });
const upload = (key: string, options: IDataObject = {}) => ({
	resource: 'object',
	operation: 'upload',
	bucket: bucketParam(bucket),
	dataSource: 'binary',
	binaryPropertyName: 'data',
	key,
	options,
});

async function binaryItem(content: Buffer, fileName = 'file.bin'): Promise<INodeExecutionData[]> {
	return [{ json: {}, binary: { data: (await makeBinary(content, fileName)) as never } }];
}

/** The bytes a Download or Read handed on. */
async function bytesOf(outcome: Outcome): Promise<Buffer> {
	expect(outcome.error).toBeUndefined();
	expect(outcome.output).toHaveLength(1);
	const item = outcome.output[0];
	if (item.binary?.data) return binaryToBuffer(item.binary.data);
	return Buffer.from(item.json.objectData as string, 'base64');
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The stored object's bytes, or undefined when there is none. */
async function stored(key: string): Promise<Buffer | undefined> {
	try {
		const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
		return Buffer.from(await answer.Body!.transformToByteArray());
	} catch (error) {
		if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
		throw error;
	}
}

/** Incomplete multipart uploads of `key` left in the bucket (none where the server cannot list them). */
async function uploadsLeft(key: string): Promise<string[]> {
	if (!caps.multipartAbort) return [];
	const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
	return (listed.Uploads ?? []).map((upload) => `${upload.Key} ${upload.UploadId}`);
}

/** A byte count as a message may write it: 1048576 or 1,048,576. */
function count(n: number): string {
	return `(?:${n}|${n.toLocaleString('en-US')})`;
}

/** "waited 1 s", "within 1 s", "for 1 second"... */
const ONE_SECOND = /\b1(?:\.0)? ?(?:s|sec|second)s?\b/;

function expectNamed(error: Outcome['error'], parts: { action: RegExp; key?: string }) {
	expect(error).toBeDefined();
	expect(error!.message).toMatch(parts.action);
	expect(error!.message).toContain(`"${bucket}"`);
	if (parts.key) expect(error!.message).toContain(`"${parts.key}"`);
	expect(error!.message).toContain('[item 0]');
}

const attempts = (name: string): ProxyRecord[] => proxy.named(name);

async function removeBucket(): Promise<void> {
	if (caps.multipartAbort) {
		const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
		for (const upload of listed.Uploads ?? []) {
			await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
		}
	}
	const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
	if (listed.Contents?.length) {
		await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: listed.Contents.map((o) => ({ Key: o.Key })) } }));
	}
	await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}

describe('a request that is accepted and never answered', () => {
	it('a stalled GetObject is retried, then the download fails naming the key, bucket, item and the wait, within a bounded time', async () => {
		proxy.rule = (request) => (request.name === 'GetObject' ? { kind: 'stall' } : undefined);
		const outcome = await run(download(SMALL_KEY), undefined, credential({ ...STALL, maxAttempts: 2 }));

		expectNamed(outcome.error, { action: /download/i, key: SMALL_KEY });
		expect(outcome.error!.message).toMatch(ONE_SECOND);
		expect(outcome.output).toHaveLength(0);
		expect(attempts('GetObject')).toHaveLength(2);
		// two waits of 1 s and one backoff, not 300 s
		expect(outcome.ms).toBeLessThan(15_000);
	}, 30_000);

	it('a stalled UploadPart is retried, then the upload fails naming the key and the wait, and the multipart upload is aborted', async () => {
		const key = 'faults/stalled-part.bin';
		proxy.rule = (request) => (request.name === 'UploadPart' ? { kind: 'stall' } : undefined);
		const outcome = await run(upload(key, { partSizeMiB: 5, queueSize: 2 }), await binaryItem(randomBytes(12 * MiB)), credential({ ...STALL, maxAttempts: 2 }));

		expectNamed(outcome.error, { action: /upload/i, key });
		expect(outcome.error!.message).toMatch(ONE_SECOND);
		expect(outcome.ms).toBeLessThan(20_000);
		expect(attempts('UploadPart').length).toBeGreaterThanOrEqual(2);
		await proxy.settled(500);
		expect(await stored(key)).toBeUndefined();
		expect(await uploadsLeft(key)).toEqual([]);
	}, 40_000);

	it('a stalled ListObjectsV2 is retried, then Get Many fails naming the bucket and the wait', async () => {
		proxy.rule = (request) => (request.name === 'ListObjectsV2' ? { kind: 'stall' } : undefined);
		const outcome = await run({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true }, undefined, credential({ ...STALL, maxAttempts: 2 }));

		expectNamed(outcome.error, { action: /list/i });
		expect(outcome.error!.message).toMatch(ONE_SECOND);
		expect(attempts('ListObjectsV2')).toHaveLength(2);
		expect(outcome.ms).toBeLessThan(15_000);
	}, 30_000);

	it('a single stall is retried and the download is byte-identical', async () => {
		proxy.rule = (request) => (request.name === 'GetObject' && request.nth === 1 ? { kind: 'stall' } : undefined);
		const outcome = await run(download(SMALL_KEY), undefined, credential(STALL));

		expect(sha256(await bytesOf(outcome))).toBe(sha256(small));
		expect(attempts('GetObject')).toHaveLength(2);
		expect(outcome.ms).toBeLessThan(15_000);
	}, 30_000);
});

describe('a body cut mid-way', () => {
	const CUT = MiB;

	it.each([
		['Download', 'stalled', download, 'stallBody'],
		['Download', 'reset', download, 'resetBody'],
		['Read', 'stalled', read, 'stallBody'],
		['Read', 'reset', read, 'resetBody'],
	] as const)('%s: a body %s after 1 MiB is fetched again from that byte, pinned to the ETag, and comes out byte-identical', async (_name, _how, operation, kind) => {
		proxy.rule = (request) => (request.name === 'GetObject' && request.nth === 1 ? { kind, afterBytes: CUT } : undefined);
		const outcome = await run(operation(SMALL_KEY), undefined, credential(STALL));

		expect(sha256(await bytesOf(outcome))).toBe(sha256(small));
		const gets = attempts('GetObject');
		expect(gets.length).toBeGreaterThanOrEqual(2);
		expect(gets[0].responseBytes).toBe(CUT);
		// the resume asks for the rest only, and only of the same object version
		expect(gets[1].headers.range).toMatch(new RegExp(`^bytes=${CUT}-`));
		expect(gets[1].headers['if-match']).toBe(smallEtag);
	}, 30_000);

	it.each([
		['Download', download],
		['Read', read],
	] as const)('%s: a body cut on every attempt fails naming the key, bucket, item and "N of M bytes", and hands nothing on', async (_name, operation) => {
		// the first answer stops after 1 MiB, every later one right after its headers: 1 MiB arrives in all
		proxy.rule = (request) => (request.name === 'GetObject' ? { kind: 'resetBody', afterBytes: request.nth === 1 ? CUT : 0 } : undefined);
		const outcome = await run(operation(SMALL_KEY));

		expectNamed(outcome.error, { action: /download|read/i, key: SMALL_KEY });
		expect(outcome.error!.message).toMatch(new RegExp(`${count(CUT)} of ${count(small.length)} bytes`));
		expect(outcome.output).toHaveLength(0);
		expect(attempts('GetObject').length).toBeGreaterThanOrEqual(2);
		expect(outcome.ms).toBeLessThan(20_000);
	}, 30_000);

	it('an object replaced between the cut and the resume fails the download instead of mixing two versions', async () => {
		const key = 'faults/replaced.bin';
		const first = randomBytes(2 * MiB);
		const second = randomBytes(2 * MiB);
		await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: first }));
		let replaced: Promise<unknown> | undefined;
		proxy.rule = (request) => {
			if (request.name !== 'GetObject') return undefined;
			if (request.nth === 1) return { kind: 'resetBody', afterBytes: MiB };
			replaced ??= s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: second }));
			return { kind: 'hold', until: replaced };
		};
		const outcome = await run(download(key));

		expectNamed(outcome.error, { action: /download/i, key });
		expect(outcome.output).toHaveLength(0);
		expect(sha256((await stored(key))!)).toBe(sha256(second));
	}, 30_000);
});

describe('uploads through resets, throttling and outages', () => {
	it('a connection reset mid-request on a small upload is retried and the object is byte-identical', async () => {
		const content = randomBytes(MiB + 3);
		proxy.rule = (request) => (request.name === 'PutObject' && request.nth === 1 ? { kind: 'resetRequest', afterBytes: 64 * 1024 } : undefined);
		const outcome = await run(upload('faults/reset-put.bin'), await binaryItem(content));

		expect(outcome.error).toBeUndefined();
		expect(outcome.output[0].json).toMatchObject({ key: 'faults/reset-put.bin', size: content.length });
		expect(attempts('PutObject')).toHaveLength(2);
		expect(sha256((await stored('faults/reset-put.bin'))!)).toBe(sha256(content));
	}, 30_000);

	it('a connection reset mid-request on one part of a multipart upload is retried and the object is byte-identical', async () => {
		const key = 'faults/reset-part.bin';
		const content = randomBytes(12 * MiB + 5);
		proxy.rule = (request) => (request.name === 'UploadPart' && request.nth === 2 ? { kind: 'resetRequest', afterBytes: MiB } : undefined);
		const outcome = await run(upload(key, { partSizeMiB: 5, queueSize: 2 }), await binaryItem(content));

		expect(outcome.error).toBeUndefined();
		expect(attempts('UploadPart')).toHaveLength(4);
		expect(sha256((await stored(key))!)).toBe(sha256(content));
		expect(await uploadsLeft(key)).toEqual([]);
	}, 30_000);

	it('30 % of requests answered 503 SlowDown: a 40 MiB multipart upload with the default Max Attempts succeeds byte-identical, leaving no incomplete upload', async () => {
		const key = 'faults/throttled.bin';
		const content = randomBytes(40 * MiB);
		const throttled = seededShare(0.3, 7);
		proxy.rule = (request) => (request.bucket === bucket && throttled() ? slowDown() : undefined);
		const outcome = await run(upload(key, { partSizeMiB: 5 }), await binaryItem(content), credential({ maxAttempts: undefined, idleTimeout: undefined }));

		expect(outcome.error).toBeUndefined();
		expect(outcome.output[0].json).toMatchObject({ key: key, size: content.length });
		// the faults really happened, and were ridden through
		expect(proxy.requests.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(3);
		expect(attempts('UploadPart').filter((r) => r.status === 200)).toHaveLength(8);
		expect(sha256((await stored(key))!)).toBe(sha256(content));
		expect(await uploadsLeft(key)).toEqual([]);
	}, 120_000);

	it('a proxy answering 502 with an HTML page is retried, then reported as a 502 that is not an S3 answer (not as an XML parse error)', async () => {
		proxy.rule = () => badGatewayHtml();
		const outcome = await run(read(SMALL_KEY), undefined, credential({ maxAttempts: 2 }));

		expectNamed(outcome.error, { action: /read/i, key: SMALL_KEY });
		const said = `${outcome.error!.message} ${outcome.error!.description ?? ''}`;
		expect(outcome.error!.message).toContain('502');
		expect(said).toMatch(/not an S3 (answer|response)|proxy/i);
		expect(said).not.toMatch(/XML|parse|Deserializ/i);
		expect(attempts('GetObject')).toHaveLength(2);
	}, 30_000);

	it('the server down for 1.5 s in the middle of a multipart upload: the upload succeeds byte-identical, or fails with the upload aborted', async () => {
		const key = 'faults/outage.bin';
		const content = randomBytes(40 * MiB);
		let outage: Promise<void> | undefined;
		proxy.rule = (request) => {
			if (request.name === 'UploadPart' && request.nth === 3) outage ??= proxy.down(1500);
			return undefined;
		};
		const outcome = await run(upload(key, { partSizeMiB: 5, queueSize: 2 }), await binaryItem(content), credential({ maxAttempts: undefined, idleTimeout: undefined }));
		await outage;
		await proxy.settled(500);

		expect(outage).toBeDefined();
		expect(await uploadsLeft(key)).toEqual([]);
		if (outcome.error) {
			expectNamed(outcome.error, { action: /upload/i, key });
			expect(await stored(key)).toBeUndefined();
		} else {
			expect(sha256((await stored(key))!)).toBe(sha256(content));
		}
	}, 90_000);
});

describe('integrity', () => {
	it.each([
		['Download', download],
		['Read', read],
	] as const)('%s: a byte flipped in the answer fails the item as damaged and hands nothing on', async (_name, operation) => {
		proxy.rule = (request) => (request.name === 'GetObject' ? { kind: 'flipResponseByte', at: 1000 } : undefined);
		const outcome = await run(operation(SMALL_KEY));

		expect(outcome.error).toBeDefined();
		expect(outcome.error!.message).toMatch(/damaged/i);
		expect(outcome.error!.message).toContain(`"${SMALL_KEY}"`);
		expect(outcome.error!.message).toContain('[item 0]');
		expect(outcome.output).toHaveLength(0);
	}, 30_000);

	(caps.checksContentMd5 ? it.each : it.skip.each)([
		['a single PutObject', 'PutObject', MiB + 1, {}],
		['a part of a multipart upload', 'UploadPart', 12 * MiB, { partSizeMiB: 5, queueSize: 1 }],
	] as const)('a byte flipped in the body of %s is never stored', async (_name, requestName, size, options) => {
		const key = `faults/flipped-${requestName}.bin`;
		const content = randomBytes(size);
		proxy.rule = (request) => (request.name === requestName && request.nth === 1 ? { kind: 'flipRequestByte', at: 1000 } : undefined);
		const outcome = await run(upload(key, options), await binaryItem(content));
		await proxy.settled(300);

		// the server refused the damaged body
		expect(attempts(requestName)[0].status).toBe(400);
		if (outcome.error) {
			expectNamed(outcome.error, { action: /upload/i, key });
			expect(await stored(key)).toBeUndefined();
		} else {
			// retried with the right bytes
			expect(sha256((await stored(key))!)).toBe(sha256(content));
		}
		expect(await uploadsLeft(key)).toEqual([]);
	}, 30_000);
});

describe('Do Not Overwrite', () => {
	it('a multipart upload is refused with "already exists" when the key appears during the upload, and the other object stays intact', async () => {
		const key = 'faults/appeared.bin';
		const theirs = Buffer.from('written by someone else while the upload ran');
		let putTheirs: Promise<unknown> | undefined;
		proxy.rule = (request) => {
			if (request.name !== 'UploadPart') return undefined;
			// the first part waits until the other object is stored, so it is there before the upload completes
			putTheirs ??= s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: theirs }));
			return { kind: 'hold', until: putTheirs };
		};
		const outcome = await run(upload(key, { partSizeMiB: 5, doNotOverwrite: true }), await binaryItem(randomBytes(12 * MiB)));
		await proxy.settled(500);

		expect(putTheirs).toBeDefined();
		expectNamed(outcome.error, { action: /upload|exists/i, key });
		expect(outcome.error!.message).toMatch(/already exists/);
		expect((await stored(key))?.toString()).toBe(theirs.toString());
		expect(await uploadsLeft(key)).toEqual([]);
	}, 60_000);
});

const noStsEndpoint = process.env.S3_TEST_ENDPOINT_NO_STS;
(target.server === 'rgw' && noStsEndpoint ? describe : describe.skip)('a Ceph RGW gateway killed and restarted mid-upload', () => {
	let gatewayProxy: FaultProxy;

	beforeAll(async () => {
		// only in front of the second gateway: the first one serves everyone else's tests
		gatewayProxy = await startFaultProxy(noStsEndpoint!);
	});

	afterAll(async () => {
		await gatewayProxy?.stop();
	});

	/** tools/rgw.sh restart-gateway nosts: SIGKILL, down for `downSeconds`, started again and answering. */
	function restartGateway(downSeconds: number): Promise<string> {
		return new Promise((resolve, reject) => {
			const child = spawn('bash', [path.join(__dirname, '../../tools/rgw.sh'), 'restart-gateway', 'nosts', String(downSeconds)], {
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let said = '';
			child.stdout.on('data', (chunk) => (said += chunk));
			child.stderr.on('data', (chunk) => (said += chunk));
			child.on('error', reject);
			child.on('close', (code) => (code === 0 ? resolve(said) : reject(new Error(`restart-gateway exited with ${code}: ${said}`))));
		});
	}

	it('a 64 MiB upload survives the gateway being killed and restarted: byte-identical (or a named failure with the upload aborted), no incomplete upload left', async () => {
		const key = 'faults/gateway-restart.bin';
		const content = randomBytes(64 * MiB);
		let restart: Promise<string> | undefined;
		gatewayProxy.rule = (request) => {
			if (request.name === 'UploadPart' && request.nth === 3) restart ??= restartGateway(1);
			return undefined;
		};
		const outcome = await run(
			upload(key, { partSizeMiB: 8, queueSize: 2 }),
			await binaryItem(content),
			credentialFor(target, { endpoint: gatewayProxy.endpoint, maxAttempts: undefined }),
		);
		expect(restart).toBeDefined();
		await restart;
		await gatewayProxy.settled(500);

		// the gateway was really down: some request failed to reach it
		expect(gatewayProxy.requests.some((r) => r.error !== undefined)).toBe(true);
		expect(await uploadsLeft(key)).toEqual([]);
		if (outcome.error) {
			expectNamed(outcome.error, { action: /upload/i, key });
			expect(await stored(key)).toBeUndefined();
		} else {
			expect(sha256((await stored(key))!)).toBe(sha256(content));
			const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
			expect(head.ContentLength).toBe(content.length);
		}
	}, 120_000);
});
