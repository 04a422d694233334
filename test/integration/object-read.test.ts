/**
 * Object > Read, Download (range, version) and Get Metadata, including missing objects and
 * buckets under Continue On Fail.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';

import { binaryToBuffer, bucketParam, runNode, runNodeError, runSteps, setBinaryMode } from '../support/harness';
import { getTarget, rawClient, uniqueBucket } from '../support/target';

const bucket = uniqueBucket('obj-read');
const client = rawClient();
const binaryBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

beforeAll(async () => {
	await setBinaryMode('filesystem');
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	const put = (Key: string, Body: Buffer | string, ContentType?: string, extra: object = {}) =>
		client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType, ...extra }));
	await Promise.all([
		put('text/utf8.txt', 'Grüße 🚀', 'text/plain; charset=utf-8'),
		put('text/latin1.txt', Buffer.from('Grüße', 'latin1'), 'text/plain; charset=iso-8859-1'),
		put('text/utf16.txt', Buffer.from('Ωmega', 'utf16le')),
		put('data/doc.json', '\ufeff{"name":"n8n","list":[1,2,3]}', 'application/json'),
		put('data/broken.json', '{"name":', 'application/json'),
		put('bin/all-bytes.bin', binaryBytes, 'application/octet-stream'),
		put('big/11mib.bin', Buffer.alloc(11 * 1024 * 1024, 0x61)),
		put('meta/described.txt', 'hello', 'text/plain', {
			Metadata: { owner: 'ops', 'customer-id': '42' },
			CacheControl: 'no-cache',
			ContentDisposition: 'inline',
		}),
	]);
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

const read = (key: string, parameters: Record<string, unknown> = {}) =>
	runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key, ...parameters });

describe('read', () => {
	it('reads text (UTF-8 by default) into objectData', async () => {
		const [item] = await read('text/utf8.txt');
		expect(item.json).toMatchObject({ bucket, key: 'text/utf8.txt', objectData: 'Grüße 🚀', contentType: 'text/plain; charset=utf-8' });
		expect(item.json.size).toBe(Buffer.byteLength('Grüße 🚀'));
		expect(item.json.etag).toBeDefined();
		expect(item.json.lastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	it('reads text in other encodings', async () => {
		expect((await read('text/latin1.txt', { options: { encoding: 'latin1' } }))[0].json.objectData).toBe('Grüße');
		expect((await read('text/utf16.txt', { options: { encoding: 'utf16le' } }))[0].json.objectData).toBe('Ωmega');
	});

	it('reads JSON parsed (byte order mark ignored), into a chosen field', async () => {
		const [item] = await read('data/doc.json', { readAs: 'json', options: { outputField: 'doc' } });
		expect(item.json.doc).toEqual({ name: 'n8n', list: [1, 2, 3] });
		expect(item.json.objectData).toBeUndefined();
	});

	it('invalid JSON fails and suggests reading as text', async () => {
		const error = await runNodeError({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'data/broken.json', readAs: 'json' });
		expect(error.message).toMatch(/^Object "data\/broken.json" is not valid JSON: /);
		expect(error.description).toMatch(/Text/);
	});

	it('reads any bytes as base64 (ILLA\'s objectData), exactly', async () => {
		const [item] = await read('bin/all-bytes.bin', { readAs: 'base64' });
		expect(Buffer.from(item.json.objectData as string, 'base64').equals(binaryBytes)).toBe(true);
	});

	it('refuses objects over Max Size (10 MiB by default) and points to Download', async () => {
		const error = await runNodeError({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'big/11mib.bin' });
		expect(error.message).toBe('Object "big/11mib.bin" is 11 MiB, more than the 10 MiB Read allows');
		expect(error.description).toMatch(/Object > Download/);
		const small = await runNodeError({
			resource: 'object',
			operation: 'read',
			bucket: bucketParam(bucket),
			key: 'text/utf8.txt',
			options: { maxSizeMiB: 0.000001 },
		});
		expect(small.message).toMatch(/is 12 bytes, more than the 1 bytes Read allows/);
		const raised = await read('big/11mib.bin', { options: { maxSizeMiB: 12 } });
		expect((raised[0].json.objectData as string).length).toBe(11 * 1024 * 1024);
	});
});

describe('download', () => {
	const download = (key: string, options: Record<string, unknown> = {}) =>
		runNode({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key, binaryPropertyName: 'data', options });

	it.each([
		['bytes=0-9', 0, 10],
		['10-19', 10, 20],
		['250-', 250, 256],
		// s3rver answers a suffix range with bytes 0-6; real servers with the last 6
		...(getTarget().server === 's3rver' ? [] : [['-6', 250, 256] as [string, number, number]]),
	])('range %s downloads just those bytes', async (range, start, end) => {
		const [item] = await download('bin/all-bytes.bin', { range });
		expect((await binaryToBuffer(item.binary!.data)).equals(binaryBytes.subarray(start, end))).toBe(true);
		expect(item.json.size).toBe(end - start);
		expect(item.json.contentRange).toBe(`bytes ${start}-${end - 1}/256`);
	});

	it('a malformed range is refused before any request', async () => {
		const error = await runNodeError({
			resource: 'object',
			operation: 'download',
			bucket: bucketParam(bucket),
			key: 'bin/all-bytes.bin',
			binaryPropertyName: 'data',
			options: { range: '9-3' },
		});
		expect(error.message).toBe('"9-3" is not a byte range');
	});

	it('the file name option names the binary', async () => {
		const [item] = await download('text/utf8.txt', { fileName: 'greeting.txt' });
		expect(item.binary!.data.fileName).toBe('greeting.txt');
		expect(item.binary!.data.mimeType).toBe('text/plain; charset=utf-8');
	});
});

describe('get metadata', () => {
	const getMetadata = (key: string, options: Record<string, unknown> = {}, bucketName = bucket) =>
		runNode({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucketName), key, options });

	it('returns size, type, ETag, last modified, storage class and user metadata', async () => {
		const [item] = await getMetadata('meta/described.txt');
		expect(item.json).toMatchObject({
			bucket,
			key: 'meta/described.txt',
			exists: true,
			size: 5,
			contentType: 'text/plain',
			etag: '"5d41402abc4b2a76b9719d911017c592"',
			storageClass: 'STANDARD',
			metadata: { owner: 'ops', 'customer-id': '42' },
			cacheControl: 'no-cache',
			contentDisposition: 'inline',
		});
		expect(item.json.lastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	it('a missing object fails, or gives exists: false with the option', async () => {
		const error = await runNodeError({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: 'nope.txt' });
		expect(error.message).toBe(`Object "nope.txt" not found in bucket "${bucket}" [item 0]`);
		const [item] = await getMetadata('nope.txt', { notFoundAsFalse: true });
		expect(item.json).toEqual({ bucket, key: 'nope.txt', exists: false });
	});

	it('a missing bucket is an error even with the option', async () => {
		const missing = uniqueBucket('nobucket');
		const error = await runNodeError({
			resource: 'object',
			operation: 'getMetadata',
			bucket: bucketParam(missing),
			key: 'nope.txt',
			options: { notFoundAsFalse: true },
		});
		expect(error.message).toBe(`Bucket "${missing}" does not exist [item 0]`);
	});
});

describe('missing objects and buckets under Continue On Fail', () => {
	const missingBucket = uniqueBucket('gone');
	it.each([
		['read', { readAs: 'text' }],
		['download', { binaryPropertyName: 'data' }],
		['getMetadata', {}],
		['getTags', {}],
		['delete', {}],
	])('%s: a missing key / bucket becomes an error item, other items go on', async (operation, extra) => {
		const run = await runSteps(
			[
				{
					name: 'S3',
					continueOnFail: true,
					parameters: { resource: 'object', operation, bucket: bucketParam('={{ $json.bucket }}'), key: '={{ $json.key }}', ...extra },
				},
			],
			[{ json: { bucket, key: 'text/utf8.txt' } }, { json: { bucket, key: 'missing/key.txt' } }, { json: { bucket: missingBucket, key: 'a.txt' } }],
		);
		const output = run.output('S3')!;
		expect(output).toHaveLength(3);
		expect(output[0].json.error).toBeUndefined();
		expect(output[0].json.key).toBe('text/utf8.txt');
		if (operation === 'delete') {
			// S3 deletes idempotently: a missing key is not an error, a missing bucket is.
			expect(output[1].json).toMatchObject({ key: 'missing/key.txt', deleted: true });
		} else {
			expect(output[1].json.error).toBe(`Object "missing/key.txt" not found in bucket "${bucket}" [item 1]`);
		}
		expect(output[2].json.error).toMatch(new RegExp(`Bucket "${missingBucket}" does not exist|not found in bucket "${missingBucket}"`));
		expect(output.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		if (operation === 'delete') {
			// put the deleted object back for the other cases
			await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'text/utf8.txt', Body: 'Grüße 🚀', ContentType: 'text/plain; charset=utf-8' }));
		}
	});
});
