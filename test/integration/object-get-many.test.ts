/**
 * Object > Get Many: prefix, delimiter (folders), start after, continuation tokens in and out,
 * max keys per request, Return All / Limit, presigned URLs per object.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';

import { bucketParam, runNode, runNodeError } from '../support/harness';
import { rawClient, uniqueBucket } from '../support/target';

const bucket = uniqueBucket('obj-list');
const client = rawClient();
const keys = [
	'a.txt',
	'b.txt',
	'docs/one.md',
	'docs/two.md',
	'docs/sub/deep.md',
	'img/x.png',
	'img/y.png',
	'img/z.png',
	'z-last.txt',
];

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await Promise.all(keys.map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `content of ${Key}` }))));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

const list = (parameters: Record<string, unknown>) =>
	runNode({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), ...parameters });
const sorted = [...keys].sort();

it('Return All lists every key with size, last modified, ETag and storage class', async () => {
	const items = await list({ returnAll: true });
	expect(items.map((item) => item.json.key)).toEqual(sorted);
	const first = items.find((item) => item.json.key === 'a.txt')!.json;
	expect(first).toMatchObject({ size: 'content of a.txt'.length, storageClass: 'STANDARD' });
	expect(first.etag).toMatch(/^"[0-9a-f]{32}"$/);
	expect(first.lastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
	expect(items.some((item) => item.json.nextContinuationToken)).toBe(false);
});

it('Return All pages through the listing with a small Max Keys per Request', async () => {
	const items = await list({ returnAll: true, options: { maxKeys: 2 } });
	expect(items.map((item) => item.json.key)).toEqual(sorted);
});

it('prefix narrows the listing', async () => {
	const items = await list({ returnAll: true, options: { prefix: 'docs/' } });
	expect(items.map((item) => item.json.key)).toEqual(['docs/one.md', 'docs/sub/deep.md', 'docs/two.md']);
});

it('delimiter turns common prefixes into folder items, in key order', async () => {
	const top = await list({ returnAll: true, options: { delimiter: '/' } });
	expect(top.map((item) => item.json)).toEqual([
		expect.objectContaining({ key: 'a.txt' }),
		expect.objectContaining({ key: 'b.txt' }),
		{ key: 'docs/', isFolder: true },
		{ key: 'img/', isFolder: true },
		expect.objectContaining({ key: 'z-last.txt' }),
	]);
	const docs = await list({ returnAll: true, options: { delimiter: '/', prefix: 'docs/' } });
	expect(docs.map((item) => [item.json.key, item.json.isFolder ?? false])).toEqual([
		['docs/one.md', false],
		['docs/sub/', true],
		['docs/two.md', false],
	]);
});

it('start after (ToolJet\'s offset) lists only later keys', async () => {
	const items = await list({ returnAll: true, options: { startAfter: 'docs/two.md' } });
	expect(items.map((item) => item.json.key)).toEqual(sorted.filter((key) => key > 'docs/two.md'));
});

it('Limit stops early and the last item carries the token that resumes exactly there', async () => {
	const seen: string[] = [];
	let token: string | undefined;
	let runs = 0;
	do {
		const items = await list({ returnAll: false, limit: 4, options: token ? { continuationToken: token } : {} });
		runs++;
		expect(items.length).toBeLessThanOrEqual(4);
		seen.push(...items.map((item) => item.json.key as string));
		// only the last item may carry a token
		expect(items.slice(0, -1).some((item) => item.json.nextContinuationToken)).toBe(false);
		token = items.at(-1)?.json.nextContinuationToken as string | undefined;
	} while (token && runs < 10);
	expect(runs).toBe(3);
	expect(seen).toEqual(sorted);
});

it('Limit larger than Max Keys per Request still ends on a resumable boundary', async () => {
	const first = await list({ returnAll: false, limit: 5, options: { maxKeys: 2 } });
	expect(first.map((item) => item.json.key)).toEqual(sorted.slice(0, 5));
	const token = first.at(-1)!.json.nextContinuationToken as string;
	expect(token).toBeTruthy();
	const rest = await list({ returnAll: true, options: { continuationToken: token } });
	expect(rest.map((item) => item.json.key)).toEqual(sorted.slice(5));
});

it('a listing that ends exactly at the limit has no token when nothing is left', async () => {
	const items = await list({ returnAll: false, limit: keys.length });
	expect(items).toHaveLength(keys.length);
	expect(items.at(-1)!.json.nextContinuationToken).toBeUndefined();
});

it('Include Presigned URL adds a working download URL with its expiry to each object (not to folders)', async () => {
	const before = Date.now();
	const items = await list({ returnAll: true, options: { delimiter: '/', includePresignedUrl: true, presignExpiryMinutes: 15 } });
	const files = items.filter((item) => !item.json.isFolder);
	const folders = items.filter((item) => item.json.isFolder);
	expect(folders.every((item) => item.json.presignedUrl === undefined)).toBe(true);
	expect(files).toHaveLength(3);
	for (const item of files) {
		const url = item.json.presignedUrl as string;
		expect(url).toMatch(/X-Amz-Expires=900/);
		const expiresAt = Date.parse(item.json.presignedUrlExpiresAt as string);
		expect(expiresAt - before).toBeGreaterThanOrEqual(899_000);
		expect(expiresAt - before).toBeLessThan(905_000);
		const response = await fetch(url);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe(`content of ${item.json.key}`);
	}
});

it('an empty bucket lists nothing; a missing bucket names it', async () => {
	const empty = uniqueBucket('empty');
	await runNode({ resource: 'bucket', operation: 'create', bucketName: empty });
	try {
		expect(await runNode({ resource: 'object', operation: 'getMany', bucket: bucketParam(empty), returnAll: true })).toEqual([]);
	} finally {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(empty) });
	}
	const missing = uniqueBucket('missing');
	const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(missing), returnAll: true });
	expect(error.message).toBe(`Bucket "${missing}" does not exist [item 0]`);
});
