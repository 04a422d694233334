/**
 * Large files in n8n's filesystem binary mode: multipart uploads that round-trip byte for byte,
 * memory that stays flat while 256 MiB go up and come back, cancellation that stops a transfer,
 * and failed uploads that leave no multipart upload behind. Requests are seen through a small
 * counting proxy in front of the server (test/support/bench-proxy.js).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	AbortMultipartUploadCommand,
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectsCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { startCountingProxy, type CountingProxy, type Intercept } from '../support/bench-proxy';
import { bucketParam, makeBinary, runSteps, setBinaryMode } from '../support/harness';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

// The same module instances the engine uses (jest's registry is per test file).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require('@n8n/di') as { Container: { get: (type: unknown) => BinaryStore } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BinaryDataService } = require('n8n-core') as { BinaryDataService: unknown };

interface BinaryStore {
	getAsStream(id: string): Promise<NodeJS.ReadableStream>;
	getPath(id: string): string;
}

const MiB = 1024 * 1024;
const caps = capabilities();
const bucket = uniqueBucket('streaming');
const s3 = rawClient();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-s3-streaming-'));
const PART = 'PUT partNumber&uploadId';

/** The proxy's behaviour for the test that is running (none by default). */
let intercept: Intercept | undefined;
let proxy: CountingProxy;
let credential: IDataObject;

/** A file of pseudo-random bytes on disk and its SHA-256. */
function makeFile(name: string, size: number): { file: string; sha256: string } {
	const file = path.join(workDir, name);
	const hash = createHash('sha256');
	const block = randomBytes(4 * MiB);
	const fd = fs.openSync(file, 'w');
	for (let written = 0; written < size; written += block.length) {
		const chunk = block.subarray(0, Math.min(block.length, size - written));
		block[0] ^= 0x5a;
		fs.writeSync(fd, chunk);
		hash.update(chunk);
	}
	fs.closeSync(fd);
	return { file, sha256: hash.digest('hex') };
}

async function sha256OfBinary(id: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of await Container.get(BinaryDataService).getAsStream(id)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** Samples this process's RSS every few milliseconds while `work` runs; returns the growth in MiB. */
async function rssGrowthDuring<T>(work: () => Promise<T>): Promise<{ result: T; growthMiB: number }> {
	(global as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, growthMiB: (peak - baseline) / MiB };
	} finally {
		clearInterval(timer);
	}
}

async function multipartUploadsLeft(): Promise<number> {
	const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
	return listed.Uploads?.length ?? 0;
}

async function objectExists(key: string): Promise<boolean> {
	try {
		await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
		return true;
	} catch {
		return false;
	}
}

/** Resolves once no request has reached the server for `quietMs`. */
async function settled(quietMs = 1500): Promise<void> {
	for (;;) {
		const last = proxy.requests.at(-1)?.at ?? 0;
		if (Date.now() - last >= quietMs) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

const upload = (key: string, options: IDataObject = {}) => ({
	name: 'Upload',
	parameters: { resource: 'object', operation: 'upload', bucket: bucketParam(bucket), binaryPropertyName: 'data', key, options },
});

beforeAll(async () => {
	await setBinaryMode('filesystem');
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	proxy = await startCountingProxy(getTarget().endpoint, { intercept: (req, record) => intercept?.(req, record) });
	credential = credentialFor(getTarget(), { endpoint: proxy.endpoint });
});

afterEach(() => {
	intercept = undefined;
});

/** Removes the test's bucket with its (large) objects, so repeated runs do not fill the server. */
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

afterAll(async () => {
	await proxy.stop();
	await removeBucket();
	s3.destroy();
	fs.rmSync(workDir, { recursive: true, force: true });
});

describe('large files in filesystem mode', () => {
	it('uploads a file larger than the part size as a multipart upload and gets it back byte for byte', async () => {
		const { file, sha256 } = makeFile('12mib.bin', 12 * MiB + 12345);
		const binary = await makeBinary(fs.createReadStream(file), '12mib.bin');
		proxy.reset();
		const run = await runSteps([upload('big/12mib.bin', { partSizeMiB: 5, queueSize: 2 })], [{ json: {}, binary: { data: binary as never } }], {
			credential,
		});
		expect(run.nodeError('Upload')).toBeUndefined();
		expect(run.output('Upload')![0].json).toMatchObject({ key: 'big/12mib.bin', size: 12 * MiB + 12345 });
		// 5 + 5 + 2 MiB: create, three parts, complete; no single PUT of the whole file
		// (plus one HEAD where the server completes with an empty ETag, as Ceph RGW 16 does)
		const { 'HEAD object': etagLookups = 0, ...requests } = proxy.stats().byOperation as Record<string, number>;
		expect(requests).toEqual({ 'POST uploads': 1, [PART]: 3, 'POST uploadId': 1 });
		expect(etagLookups).toBeLessThanOrEqual(getTarget().server === 'rgw' ? 1 : 0);

		const down = await runSteps(
			[{ name: 'Download', parameters: { resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'big/12mib.bin', binaryPropertyName: 'data' } }],
			[{ json: {} }],
			{ credential },
		);
		const downloaded = down.output('Download')![0].binary!.data as unknown as { id: string; bytes: number };
		expect(downloaded.id).toMatch(/^filesystem/);
		expect(downloaded.bytes).toBe(12 * MiB + 12345);
		expect(await sha256OfBinary(downloaded.id)).toBe(sha256);
	});

	it('keeps content type, metadata and (where the server stores them) tags on a multipart upload from disk', async () => {
		const { file } = makeFile('attrs.bin', 11 * MiB);
		const binary = await makeBinary(fs.createReadStream(file), 'attrs.bin', 'application/x-test');
		const options = {
			partSizeMiB: 5,
			metadata: { entries: [{ name: 'origin', value: 'bench' }] },
			tags: { tags: [{ key: 'project', value: 'apollo 11' }] },
		};
		const run = await runSteps([upload('big/attrs.bin', options)], [{ json: {}, binary: { data: binary as never } }], { credential });
		expect(run.nodeError('Upload')).toBeUndefined();
		const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big/attrs.bin' }));
		expect(head.ContentLength).toBe(11 * MiB);
		expect(head.ContentType).toBe('application/x-test');
		expect(head.Metadata).toEqual({ origin: 'bench' });
		if (caps.taggingOnUpload) {
			const tagging = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'big/attrs.bin' }));
			expect(tagging.TagSet).toEqual([{ Key: 'project', Value: 'apollo 11' }]);
			expect(head.ETag).toMatch(/-3"$/);
		}
	});

	it('sends a body that fits in one part as a single PutObject', async () => {
		const binary = await makeBinary(randomBytes(MiB), 'small.bin');
		proxy.reset();
		const run = await runSteps([upload('big/small.bin')], [{ json: {}, binary: { data: binary as never } }], { credential });
		expect(run.nodeError('Upload')).toBeUndefined();
		expect(proxy.stats().byOperation).toEqual({ 'PUT object': 1 });
	});

	it('keeps memory flat while 256 MiB go up and come back (RSS growth < 150 MiB each way)', async () => {
		const size = 256 * MiB;
		const { file, sha256 } = makeFile('256mib.bin', size);
		const binary = await makeBinary(fs.createReadStream(file), '256mib.bin');
		fs.rmSync(file);

		const up = await rssGrowthDuring(() => runSteps([upload('big/256mib.bin')], [{ json: {}, binary: { data: binary as never } }], { credential }));
		expect(up.result.nodeError('Upload')).toBeUndefined();
		expect(up.result.output('Upload')![0].json).toMatchObject({ size });

		const down = await rssGrowthDuring(() =>
			runSteps(
				[{ name: 'Download', parameters: { resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'big/256mib.bin', binaryPropertyName: 'data' } }],
				[{ json: {} }],
				{ credential },
			),
		);
		expect(down.result.nodeError('Download')).toBeUndefined();
		const downloaded = down.result.output('Download')![0].binary!.data as unknown as { id: string; bytes: number };
		expect(downloaded.bytes).toBe(size);
		expect(await sha256OfBinary(downloaded.id)).toBe(sha256);

		// a buffering implementation would grow by the file's size (256 MiB) or more
		expect(up.growthMiB).toBeLessThan(150);
		expect(down.growthMiB).toBeLessThan(150);
	});

	it('stops an in-flight large upload when the execution is cancelled, leaving no object (and on servers that have it, no multipart upload)', async () => {
		const size = 160 * MiB; // 20 parts of 8 MiB
		const { file } = makeFile('cancel.bin', size);
		const binary = await makeBinary(fs.createReadStream(file), 'cancel.bin');
		fs.rmSync(file);
		let cancel: (() => void) | undefined;
		let partsSeen = 0;
		intercept = (_req, record) => {
			if (`${record.method} ${record.operation}` !== PART) return undefined;
			partsSeen += 1;
			if (partsSeen === 2) setImmediate(() => cancel?.());
			return { delayMs: 150 }; // parts take a while, so the cancel lands mid-upload
		};
		proxy.reset();
		const run = await runSteps([upload('big/cancelled.bin')], [{ json: {}, binary: { data: binary as never } }], {
			credential,
			onStart: (cancelExecution) => (cancel = cancelExecution),
		});
		const finishedAt = Date.now();
		await settled();

		expect(run.output('Upload')?.length ?? 0).toBe(0);
		const parts = proxy.requests.filter((r) => `${r.method} ${r.operation}` === PART).length;
		// the parts in flight at the cancel may finish, no new ones start
		expect(parts).toBeLessThan(10);
		expect(proxy.requests.some((r) => r.operation === 'uploads')).toBe(true);
		expect(await objectExists('big/cancelled.bin')).toBe(false);
		// the node finishes only once the multipart upload has been aborted, not in the background later
		const abort = proxy.requests.find((r) => `${r.method} ${r.operation}` === 'DELETE uploadId');
		expect(abort).toBeDefined();
		expect(abort!.at).toBeLessThanOrEqual(finishedAt);
		if (caps.multipartAbort) expect(await multipartUploadsLeft()).toBe(0);
	});

	(caps.multipartAbort ? it : it.skip)('aborts the multipart upload when the source ends early (file truncated mid-upload)', async () => {
		const size = 96 * MiB; // 12 parts of 8 MiB
		const { file } = makeFile('truncated.bin', size);
		const binary = (await makeBinary(fs.createReadStream(file), 'truncated.bin')) as { id: string };
		fs.rmSync(file);
		const stored = Container.get(BinaryDataService).getPath(binary.id);
		let truncated = false;
		intercept = (_req, record) => {
			if (`${record.method} ${record.operation}` === PART && !truncated) {
				truncated = true;
				fs.truncateSync(stored, 6 * MiB);
			}
			return undefined;
		};
		proxy.reset();
		const run = await runSteps([upload('big/truncated.bin')], [{ json: {}, binary: { data: binary as never } }], { credential });

		expect(truncated).toBe(true);
		expect(run.nodeError('Upload')?.message).toEqual(expect.stringContaining('big/truncated.bin'));
		// lib-storage aborts before it reports the failure: nothing is left, at once
		expect(await multipartUploadsLeft()).toBe(0);
		expect(await objectExists('big/truncated.bin')).toBe(false);
	});

	(caps.multipartAbort ? it : it.skip)('stops at once and aborts the multipart upload when the server keeps refusing a part', async () => {
		const size = 160 * MiB; // 20 parts of 8 MiB
		const { file } = makeFile('refused.bin', size);
		const binary = await makeBinary(fs.createReadStream(file), 'refused.bin');
		fs.rmSync(file);
		intercept = (req, record) =>
			`${record.method} ${record.operation}` === PART && /[?&]partNumber=2(&|$)/.test(req.url ?? '')
				? { status: 500, body: '<Error><Code>InternalError</Code><Message>injected</Message></Error>' }
				: undefined;
		proxy.reset();
		const run = await runSteps([upload('big/refused.bin')], [{ json: {}, binary: { data: binary as never } }], { credential });

		// the server's answer, not a cancellation of the parts stopped after it
		expect(run.nodeError('Upload')?.message).toEqual(expect.stringContaining('big/refused.bin'));
		expect(run.nodeError('Upload')?.message).toEqual(expect.stringContaining('injected'));
		// the remaining parts are not sent once a part has failed for good
		const parts = proxy.requests.filter((r) => `${r.method} ${r.operation}` === PART).length;
		expect(parts).toBeLessThan(12);
		expect(proxy.requests.some((r) => `${r.method} ${r.operation}` === 'DELETE uploadId')).toBe(true);
		expect(await multipartUploadsLeft()).toBe(0);
		expect(await objectExists('big/refused.bin')).toBe(false);
	});
});
