/**
 * Object > Upload from URL: an HTTP(S) GET streamed straight into the bucket. The source is a
 * local HTTP server started here (chunked bodies, redirects, errors, a stall, auth); results are
 * checked on the S3 server with a raw client.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';

import { bucketParam, runNode, runNodeError, runSteps } from '../support/harness';
import { capabilities, rawClient, uniqueBucket } from '../support/target';

const MiB = 1024 * 1024;
const caps = capabilities();
const bucket = uniqueBucket('from-url');
const s3 = rawClient();

/** 1 MiB of random bytes; block i of a body is this with i in its first 8 bytes, so no two parts are alike. */
const pattern = randomBytes(MiB);
function block(index: number, length = MiB): Buffer {
	const chunk = Buffer.from(pattern.subarray(0, length));
	chunk.writeBigUInt64BE(BigInt(index), 0);
	return chunk;
}
function sha256Of(size: number): string {
	const hash = createHash('sha256');
	for (let i = 0; i * MiB < size; i++) hash.update(block(i, Math.min(MiB, size - i * MiB)));
	return hash.digest('hex');
}

interface Seen {
	path: string;
	headers: http.IncomingHttpHeaders;
	/** The response closed before its body was complete (the client went away). */
	cutShort?: boolean;
	sent: number;
}
const seen: Seen[] = [];

/** Writes `size` bytes (or forever when size is Infinity), with backpressure; stops after `stallAfter` bytes if given. */
function sendBody(res: http.ServerResponse, record: Seen, size: number, options: { stallAfter?: number; delayMs?: number } = {}) {
	let index = 0;
	res.on('close', () => {
		if (!res.writableFinished) record.cutShort = true;
	});
	const next = () => {
		while (record.sent < size) {
			if (res.destroyed) return;
			if (options.stallAfter !== undefined && record.sent >= options.stallAfter) return; // never ends
			const length = Math.min(MiB, size - record.sent);
			const ok = res.write(block(index++, length));
			record.sent += length;
			if (options.delayMs) {
				setTimeout(next, options.delayMs);
				return;
			}
			if (!ok) {
				res.once('drain', next);
				return;
			}
		}
		res.end();
	};
	next();
}

const server = http.createServer((req, res) => {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const record: Seen = { path: url.pathname, headers: req.headers, sent: 0 };
	seen.push(record);
	const size = Number(url.searchParams.get('size') ?? MiB);
	const [, route, rest] = /^\/([^/]+)\/?(.*)$/.exec(url.pathname) ?? [];
	switch (route) {
		case 'file':
			// ?chunked: no Content-Length (Node then sends Transfer-Encoding: chunked)
			res.writeHead(200, { 'content-type': url.searchParams.get('type') ?? 'application/x-test', ...(url.searchParams.has('chunked') ? {} : { 'content-length': size }) });
			sendBody(res, record, size);
			return;
		case 'redirect': {
			const left = Number(rest.split('/')[0]);
			const location = left > 1 ? `/redirect/${left - 1}/${rest.split('/').slice(1).join('/')}` : `/file/${rest.split('/').slice(1).join('/')}`;
			res.writeHead(302, { location: `${location}${url.search}` }).end();
			return;
		}
		case 'loop':
			res.writeHead(301, { location: '/loop/again' }).end();
			return;
		case 'stall':
			res.writeHead(200, { 'content-type': 'application/x-test', 'content-length': size });
			sendBody(res, record, size, { stallAfter: Number(url.searchParams.get('after')) });
			return;
		case 'slow':
			res.writeHead(200, { 'content-type': 'application/x-test' });
			sendBody(res, record, Infinity, { delayMs: 20 });
			return;
		case 'private': {
			const expected = url.searchParams.get('expect') ?? '';
			if (req.headers.authorization !== expected) {
				res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('no');
				return;
			}
			res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 7 }).end('private');
			return;
		}
		default:
			res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
	}
});
let base = '';

beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

const fromUrl = (url: string, parameters: Record<string, unknown> = {}) => ({
	resource: 'object',
	operation: 'uploadFromUrl',
	bucket: bucketParam(bucket),
	url,
	...parameters,
});

async function sha256OfObject(key: string): Promise<string> {
	const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	const hash = createHash('sha256');
	for await (const chunk of response.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
	return hash.digest('hex');
}

async function exists(key: string): Promise<boolean> {
	try {
		await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
		return true;
	} catch {
		return false;
	}
}

async function incompleteUploads(prefix: string): Promise<number> {
	const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
	return listed.Uploads?.length ?? 0;
}

/** Waits until the server shows no incomplete upload under `prefix` (an abort may land just after the node ends). */
async function noIncompleteUploadsLeft(prefix: string): Promise<void> {
	for (let tries = 0; tries < 20 && (await incompleteUploads(prefix)) > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 250));
	expect(await incompleteUploads(prefix)).toBe(0);
}

describe('streaming from a URL', () => {
	it('stores a 40 MiB chunked body (no Content-Length) byte for byte in 5 MiB parts; key from the URL, content type from the answer', async () => {
		const size = 40 * MiB;
		const [item] = await runNode(fromUrl(`${base}/file/exports/big%20file.bin?size=${size}&chunked=1&type=application/x-tar`, { options: { partSizeMiB: 5 } }));
		expect(item.json).toMatchObject({ bucket, key: 'big file.bin', size, contentType: 'application/x-tar' });
		expect(seen.at(-1)!.headers['content-length']).toBeUndefined();
		expect(await sha256OfObject('big file.bin')).toBe(sha256Of(size));
		const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big file.bin' }));
		if (caps.multipartAbort) expect(head.ETag).toMatch(/-8"$/);
		expect(head.ContentLength).toBe(size);
		expect(head.ContentType).toBe('application/x-tar');
	});

	it('stores a small body with a Content-Length as one object, under the given key, folder, content type and metadata', async () => {
		const [item] = await runNode(
			fromUrl(`${base}/file/small.bin?size=${3 * MiB}`, {
				key: 'renamed.dat',
				options: { folder: 'imports/', contentType: 'application/x-custom', metadata: { entries: [{ name: 'origin', value: 'web' }] } },
			}),
		);
		expect(item.json).toMatchObject({ key: 'imports/renamed.dat', size: 3 * MiB, contentType: 'application/x-custom' });
		expect(item.json.etag).not.toMatch(/-\d+"$/);
		const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'imports/renamed.dat' }));
		expect(head.ContentType).toBe('application/x-custom');
		expect(head.Metadata).toEqual({ origin: 'web' });
		expect(await sha256OfObject('imports/renamed.dat')).toBe(sha256Of(3 * MiB));
	});

	it('follows redirects, and names the URL without its secrets in the output', async () => {
		const [item] = await runNode(fromUrl(`http://user:hunter2@127.0.0.1:${new URL(base).port}/redirect/3/moved.bin?size=1000&X-Amz-Signature=abcdef&page=2`));
		expect(item.json).toMatchObject({ key: 'moved.bin', size: 1000 });
		expect(item.json.sourceUrl).toBe(`http://***@127.0.0.1:${new URL(base).port}/redirect/3/moved.bin?size=1000&X-Amz-Signature=***&page=2`);
		expect(await sha256OfObject('moved.bin')).toBe(sha256Of(1000));
	});

	it('fails after more than Max Redirects', async () => {
		const error = await runNodeError(fromUrl(`${base}/loop/start`, { key: 'loop.bin', options: { maxRedirects: 3 } }));
		expect(error.message).toBe(`Could not download ${base}/loop/start into object "loop.bin" in bucket "${bucket}": more than 3 redirects [item 0]`);
		expect(await exists('loop.bin')).toBe(false);
	});
});

describe('failures', () => {
	it('an HTTP 404 fails the item naming the URL (secrets redacted) and the status; nothing is stored', async () => {
		const error = await runNodeError(fromUrl(`${base}/nothing/here.bin?token=s3cr3t&v=1`));
		expect(error.message).toBe(`Could not download ${base}/nothing/here.bin?token=***&v=1 into object "here.bin" in bucket "${bucket}": the server answered HTTP 404 (Not Found); nothing was uploaded [item 0]`);
		expect(error.message).not.toContain('s3cr3t');
		expect(error.description).toContain('Check the URL');
		expect(await exists('here.bin')).toBe(false);
	});

	it('a server that stalls mid-body fails the item after the idle timeout; no object and no incomplete upload is left', async () => {
		const size = 30 * MiB;
		const started = Date.now();
		const error = await runNodeError(fromUrl(`${base}/stall/stalled.bin?size=${size}&after=${12 * MiB}`, { options: { partSizeMiB: 5, idleTimeout: 1 } }));
		expect(Date.now() - started).toBeLessThan(30_000);
		expect(error.message).toBe(
			`Could not download ${base}/stall/stalled.bin?size=${size}&after=${12 * MiB} into object "stalled.bin" in bucket "${bucket}": the server sent nothing for 1 s after 12,582,912 of 31,457,280 bytes [item 0]`,
		);
		expect(await exists('stalled.bin')).toBe(false);
		if (caps.multipartAbort) await noIncompleteUploadsLeft('stalled.bin');
	});

	it('Do Not Overwrite refuses an existing key', async () => {
		await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'taken.bin', Body: 'original' }));
		const error = await runNodeError(fromUrl(`${base}/file/taken.bin?size=${12 * MiB}`, { options: { doNotOverwrite: true, partSizeMiB: 5 } }));
		expect(error.message).toContain('already exists');
		const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'taken.bin' }));
		expect(await body.Body!.transformToString()).toBe('original');
		if (caps.multipartAbort) await noIncompleteUploadsLeft('taken.bin');
	});

	it('refuses a URL that is not http(s) before any request', async () => {
		const error = await runNodeError(fromUrl('ftp://example.com/file.bin'));
		expect(error.message).toBe('The URL of item 0 is not an http:// or https:// URL');
	});
});

describe('authentication and headers', () => {
	it('sends a bearer token; without it the server\'s 401 fails the item', async () => {
		const url = `${base}/private/doc.txt?expect=${encodeURIComponent('Bearer tok-123')}`;
		const [item] = await runNode(fromUrl(url, { urlAuthentication: 'bearer', urlToken: 'tok-123' }));
		expect(item.json).toMatchObject({ key: 'doc.txt', size: 7, contentType: 'text/plain' });
		expect(seen.at(-1)!.headers.authorization).toBe('Bearer tok-123');

		const error = await runNodeError(fromUrl(url));
		expect(error.message).toContain('the server answered HTTP 401 (Unauthorized)');
		expect(error.description).toContain('Authentication');
	});

	it('sends basic auth and the given headers', async () => {
		const expected = `Basic ${Buffer.from('ann:pa:ss').toString('base64')}`;
		const [item] = await runNode(
			fromUrl(`${base}/private/basic.txt?expect=${encodeURIComponent(expected)}`, {
				urlAuthentication: 'basic',
				urlUser: 'ann',
				urlPassword: 'pa:ss',
				urlHeaders: { headers: [{ name: 'X-Api-Key', value: 'k-42' }] },
			}),
		);
		expect(item.json.size).toBe(7);
		expect(seen.at(-1)!.headers['x-api-key']).toBe('k-42');
	});
});

describe('cancel and memory', () => {
	it('a cancelled execution stops the download and the upload; no object and no incomplete upload is left', async () => {
		let cancel: (() => void) | undefined;
		const before = seen.length;
		const watcher = setInterval(() => {
			const download = seen.slice(before).find((record) => record.path.startsWith('/slow'));
			if (download && download.sent >= 14 * MiB) {
				clearInterval(watcher);
				cancel?.();
			}
		}, 20);
		const run = await runSteps([{ name: 'S3', parameters: fromUrl(`${base}/slow/endless.bin`, { options: { partSizeMiB: 5 } }) }], [{ json: {} }], {
			onStart: (cancelExecution) => (cancel = cancelExecution),
		});
		clearInterval(watcher);
		// the engine either ends the run as cancelled or the node fails with the cancel
		if (!run.cancelled) {
			expect(run.output('S3')?.length ?? 0).toBe(0);
			expect(run.nodeError('S3')?.message).toMatch(/cancelled/);
		}
		const download = seen.slice(before).find((record) => record.path.startsWith('/slow'))!;
		// the server sees its client go away soon after the cancel, not an endless download
		for (let tries = 0; tries < 40 && !download.cutShort; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
		expect(download.cutShort).toBe(true);
		const sentAtClose = download.sent;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(download.sent).toBe(sentAtClose);
		expect(await exists('endless.bin')).toBe(false);
		if (caps.multipartAbort) await noIncompleteUploadsLeft('endless.bin');
	});

	it('streams 200 MiB of unknown length with live memory growth well below the size (< 100 MiB)', async () => {
		const size = 200 * MiB;
		// Live memory (JS heap + buffers), read right after a full collection: RSS in a jest process that
		// has run 70 test files before this one also counts garbage the collector has not reached yet,
		// which made it vary by tens of MiB from run to run. A body held whole would still show 200 MiB.
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const live = () => {
			gc();
			const { heapUsed, external } = process.memoryUsage();
			return heapUsed + external;
		};
		// A first, smaller multipart upload loads the code and the socket and part buffers every upload
		// uses, so the baseline counts them and the growth below is what the size of the body costs.
		await runNode(fromUrl(`${base}/file/warm.bin?size=${24 * MiB}&chunked=1`));
		const baseline = live();
		let peak = baseline;
		let samples = 0;
		const timer = setInterval(() => {
			peak = Math.max(peak, live());
			samples++;
		}, 50);
		let items;
		try {
			items = await runNode(fromUrl(`${base}/file/mem.bin?size=${size}&chunked=1`));
		} finally {
			clearInterval(timer);
		}
		expect(items[0].json.size).toBe(size);
		expect((peak - baseline) / MiB).toBeLessThan(100);
		// Measured while the upload ran, not only before and after it.
		expect(samples).toBeGreaterThanOrEqual(10);
		console.log(`200 MiB Upload from URL: live memory peak +${((peak - baseline) / MiB).toFixed(1)} MiB over ${samples} samples`);
		const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mem.bin' }));
		expect(head.ContentLength).toBe(size);
	});
});
