/**
 * Object > Upload: every data source and option, checked on the server with a raw client.
 */
import { createHash } from 'node:crypto';

import { GetObjectAclCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';

import { bucketParam, makeBinary, runNode, runNodeError, runSteps, setBinaryMode } from '../support/harness';
import { capabilities, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const caps = capabilities(target);
/** s3rver ignores If-None-Match and ACLs on PUT and stores no storage class but its own list. */
const real = target.server !== 's3rver';
const bucket = uniqueBucket('obj-up');
const client = rawClient();
const MiB = 1024 * 1024;

beforeAll(async () => {
	await setBinaryMode('filesystem');
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

const upload = (parameters: Record<string, unknown>) => ({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), ...parameters });

async function bytesOf(key: string): Promise<Buffer> {
	const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return Buffer.from(await response.Body!.transformToByteArray());
}

const head = (key: string) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));

async function binaryItem(content: Buffer, fileName: string, mimeType?: string) {
	return [{ json: {}, binary: { data: (await makeBinary(content, fileName, mimeType)) as never } }];
}

describe('data sources', () => {
	it('binary (default): key defaults to the file name, content type to the binary\'s', async () => {
		const content = Buffer.from('%PDF-1.4 fake');
		const [item] = await runNode(upload({ binaryPropertyName: 'data' }), await binaryItem(content, 'report.pdf', 'application/pdf'));
		expect(item.json).toMatchObject({ bucket, key: 'report.pdf', size: content.length, contentType: 'application/pdf' });
		expect(item.json.etag).toEqual(expect.stringContaining(createHash('md5').update(content).digest('hex')));
		expect((await bytesOf('report.pdf')).equals(content)).toBe(true);
	});

	it('binary under a Folder, with an explicit key or the file name', async () => {
		const items = await runNode(upload({ binaryPropertyName: 'data', options: { folder: 'in/2024/' } }), await binaryItem(Buffer.from('a'), 'a.txt', 'text/plain'));
		expect(items[0].json.key).toBe('in/2024/a.txt');
		const named = await runNode(upload({ key: 'renamed.txt', options: { folder: 'in' } }), await binaryItem(Buffer.from('b'), 'b.txt', 'text/plain'));
		expect(named[0].json.key).toBe('in/renamed.txt');
		expect((await bytesOf('in/renamed.txt')).toString()).toBe('b');
	});

	it('text is stored as UTF-8 with a text content type', async () => {
		const text = 'Grüße, 世界 🚀\nline 2';
		const [item] = await runNode(upload({ dataSource: 'text', text, key: 'notes/hello.txt' }));
		expect(item.json).toMatchObject({ key: 'notes/hello.txt', size: Buffer.byteLength(text), contentType: 'text/plain; charset=utf-8' });
		expect((await bytesOf('notes/hello.txt')).toString('utf8')).toBe(text);
		// no extension: still text
		const [plain] = await runNode(upload({ dataSource: 'text', text: 'x', key: 'notes/README' }));
		expect(plain.json.contentType).toBe('text/plain; charset=utf-8');
	});

	it('base64 is decoded and stored as bytes, never as base64 text or with Content-Encoding', async () => {
		const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
		const [item] = await runNode(upload({ dataSource: 'base64', base64Data: bytes.toString('base64'), key: 'img/pixel.png' }));
		expect(item.json).toMatchObject({ key: 'img/pixel.png', size: bytes.length, contentType: 'image/png' });
		expect((await bytesOf('img/pixel.png')).equals(bytes)).toBe(true);
		const stored = await head('img/pixel.png');
		expect(stored.ContentEncoding).toBeUndefined();
		expect(stored.ContentType).toBe('image/png');
	});

	it('base64: data URLs give the type; URL-safe, unpadded and wrapped base64 are accepted', async () => {
		const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x01]);
		const [fromUrl] = await runNode(upload({ dataSource: 'base64', base64Data: `data:image/gif;base64,${bytes.toString('base64')}`, key: 'b64/a' }));
		expect(fromUrl.json.contentType).toBe('image/gif');
		expect((await bytesOf('b64/a')).equals(bytes)).toBe(true);
		const urlSafe = bytes.toString('base64url');
		expect(urlSafe).toMatch(/[-_]/);
		await runNode(upload({ dataSource: 'base64', base64Data: urlSafe, key: 'b64/b.bin' }));
		expect((await bytesOf('b64/b.bin')).equals(bytes)).toBe(true);
		const big = Buffer.alloc(200, 7);
		const wrapped = big.toString('base64').replace(/(.{76})/g, '$1\r\n');
		await runNode(upload({ dataSource: 'base64', base64Data: wrapped, key: 'b64/c.bin' }));
		expect((await bytesOf('b64/c.bin')).equals(big)).toBe(true);
	});

	it.each([
		['not base64 at all!', /character "!" at position 18 is not a base64 character/],
		['aGVsbG8=aGVsbG8=', /padding may only appear at the end/],
		['aGVsb', /not a valid base64 length/],
		['a+b_', /mixes the standard/],
	])('invalid base64 %j fails with an error naming the item', async (base64Data, reason) => {
		const error = await runNodeError(upload({ dataSource: 'base64', base64Data, key: 'b64/bad.bin' }));
		expect(error.message).toMatch(/^The base64 data of item 0 is not valid base64: /);
		expect(error.message).toMatch(reason);
		expect(error.description).toMatch(/standard base64/);
	});

	it('invalid base64 under Continue On Fail: the bad item fails, the others are uploaded, nothing bad is stored', async () => {
		const run = await runSteps(
			[{ name: 'S3', continueOnFail: true, parameters: upload({ dataSource: 'base64', base64Data: '={{ $json.data }}', key: '={{ $json.key }}' }) }],
			[
				{ json: { key: 'cof/ok1.bin', data: 'AAEC' } },
				{ json: { key: 'cof/bad.bin', data: 'AA$C' } },
				{ json: { key: 'cof/ok2.bin', data: 'AwQF' } },
			],
		);
		const output = run.output('S3')!;
		expect(output).toHaveLength(3);
		expect(output[0].json).toMatchObject({ key: 'cof/ok1.bin', size: 3 });
		expect(output[1].json.error).toBe('The base64 data of item 1 is not valid base64: character "$" at position 3 is not a base64 character');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[2].json).toMatchObject({ key: 'cof/ok2.bin', size: 3 });
		await expect(head('cof/bad.bin')).rejects.toMatchObject({ name: 'NotFound' });
		expect((await bytesOf('cof/ok2.bin')).equals(Buffer.from([3, 4, 5]))).toBe(true);
	});

	it('JSON: a typed JSON text is stored as typed, an expression\'s object as JSON', async () => {
		const typed = '{\n  "a": 1,\n  "b": [true, null]\n}';
		const [item] = await runNode(upload({ dataSource: 'json', jsonData: typed, key: 'data/typed.json' }));
		expect(item.json.contentType).toBe('application/json; charset=utf-8');
		expect((await bytesOf('data/typed.json')).toString()).toBe(typed);
		await runNode(upload({ dataSource: 'json', jsonData: '={{ $json.payload }}', key: 'data/expr' }), [
			{ json: { payload: { name: 'Zoë', list: [1, 2] } } },
		]);
		expect(JSON.parse((await bytesOf('data/expr')).toString())).toEqual({ name: 'Zoë', list: [1, 2] });
		expect((await head('data/expr')).ContentType).toBe('application/json; charset=utf-8');
	});

	it('JSON: invalid JSON text fails and says so', async () => {
		const error = await runNodeError(upload({ dataSource: 'json', jsonData: '{"a": ', key: 'data/bad.json' }));
		expect(error.message).toMatch(/^The JSON of item 0 is not valid: /);
	});

	it('text, base64 and JSON need a key', async () => {
		const error = await runNodeError(upload({ dataSource: 'text', text: 'x' }));
		expect(error.message).toBe('No object key given for item 0');
	});
});

describe('content type', () => {
	it('given > binary\'s MIME type > key\'s extension', async () => {
		const [given] = await runNode(upload({ options: { contentType: 'text/csv' } }), await binaryItem(Buffer.from('a,b'), 'ct1.txt', 'text/plain'));
		expect(given.json.contentType).toBe('text/csv');
		expect((await head('ct1.txt')).ContentType).toBe('text/csv');
		const [binary] = await runNode(upload({ key: 'ct2.json' }), await binaryItem(Buffer.from('{}'), 'x.bin', 'application/x-custom'));
		expect(binary.json.contentType).toBe('application/x-custom');
		const [extension] = await runNode(upload({}), await binaryItem(Buffer.from('<svg/>'), 'ct3.svg', 'application/octet-stream'));
		expect(extension.json.contentType).toBe('image/svg+xml');
		expect((await head('ct3.svg')).ContentType).toBe('image/svg+xml');
		const [unknown] = await runNode(upload({ dataSource: 'base64', base64Data: 'AAAA', key: 'ct4.unknownext' }));
		expect(unknown.json.contentType).toBe('application/octet-stream');
	});
});

describe('stored attributes', () => {
	it('user metadata, cache control and content disposition are stored', async () => {
		await runNode(
			upload({
				dataSource: 'text',
				text: 'meta',
				key: 'attrs/meta.txt',
				options: {
					metadata: { entries: [{ name: 'Customer-Id', value: '4711' }, { name: 'source', value: 'n8n test' }] },
					cacheControl: 'public, max-age=60',
					contentDisposition: 'attachment; filename="m.txt"',
				},
			}),
		);
		const stored = await head('attrs/meta.txt');
		expect(stored.Metadata).toEqual({ 'customer-id': '4711', source: 'n8n test' });
		expect(stored.CacheControl).toBe('public, max-age=60');
		expect(stored.ContentDisposition).toBe('attachment; filename="m.txt"');
	});

	it('metadata that cannot travel in a header is refused before any request', async () => {
		const badValue = await runNodeError(
			upload({ dataSource: 'text', text: 'x', key: 'attrs/x', options: { metadata: { entries: [{ name: 'city', value: 'Zürich' }] } } }),
		);
		expect(badValue.message).toBe('The value of metadata "city" contains characters S3 cannot store in a header');
		const badName = await runNodeError(
			upload({ dataSource: 'text', text: 'x', key: 'attrs/x', options: { metadata: { entries: [{ name: 'my name', value: 'v' }] } } }),
		);
		expect(badName.message).toBe('Metadata name "my name" cannot be used');
		await expect(head('attrs/x')).rejects.toMatchObject({ name: 'NotFound' });
	});

	it('more than 10 tags are refused', async () => {
		const tags = { tags: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })) };
		const error = await runNodeError(upload({ dataSource: 'text', text: 'x', key: 'attrs/t', options: { tags } }));
		expect(error.message).toBe('11 tags given; an object can have at most 10');
	});

	(caps.taggingOnUpload ? it : it.skip)('tags given on upload are stored (single request and multipart)', async () => {
		const tags = { tags: [{ key: 'project', value: 'apollo 11' }, { key: 'team', value: 'a&b=c' }] };
		await runNode(upload({ dataSource: 'text', text: 'tagged', key: 'attrs/tagged.txt', options: { tags } }));
		const single = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'attrs/tagged.txt' }));
		expect(single.TagSet).toEqual(expect.arrayContaining([{ Key: 'project', Value: 'apollo 11' }, { Key: 'team', Value: 'a&b=c' }]));

		const big = Buffer.alloc(5 * MiB + 1, 1);
		await runNode(
			upload({ key: 'attrs/tagged-multipart.bin', options: { tags, partSizeMiB: 5, metadata: { entries: [{ name: 'kind', value: 'multi' }] } } }),
			await binaryItem(big, 'big.bin'),
		);
		const multi = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'attrs/tagged-multipart.bin' }));
		expect(multi.TagSet).toHaveLength(2);
		const stored = await head('attrs/tagged-multipart.bin');
		expect(stored.ContentLength).toBe(big.length);
		expect(stored.Metadata).toEqual({ kind: 'multi' });
		expect(stored.ETag).toMatch(/-2"$/);
	});

	it('storage class is sent', async () => {
		// RGW has only STANDARD unless placement targets are configured; s3rver stores what it is given.
		const storageClass = real ? 'STANDARD' : 'REDUCED_REDUNDANCY';
		await runNode(upload({ dataSource: 'text', text: 'sc', key: 'attrs/sc.txt', options: { storageClass } }));
		expect((await head('attrs/sc.txt')).StorageClass).toBe(storageClass);
	});

	(real ? it : it.skip)('an unsupported storage class is the server\'s error, naming the object', async () => {
		const error = await runNodeError(upload({ dataSource: 'text', text: 'sc', key: 'attrs/sc2.txt', options: { storageClass: 'GLACIER' } }));
		expect(error.message).toMatch(/attrs\/sc2\.txt/);
	});

	(real ? it : it.skip)('ACL: public-read grants AllUsers READ', async () => {
		await runNode(upload({ dataSource: 'text', text: 'public', key: 'attrs/public.txt', options: { acl: 'public-read' } }));
		const acl = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'attrs/public.txt' }));
		expect(acl.Grants).toEqual(
			expect.arrayContaining([expect.objectContaining({ Grantee: expect.objectContaining({ URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }), Permission: 'READ' })]),
		);
		await runNode(upload({ dataSource: 'text', text: 'private', key: 'attrs/private.txt', options: { acl: 'private' } }));
		const privateAcl = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'attrs/private.txt' }));
		expect(JSON.stringify(privateAcl.Grants)).not.toMatch(/AllUsers/);
	});

	it('server-side encryption with S3-managed keys is accepted and the data round-trips', async () => {
		await runNode(upload({ dataSource: 'text', text: 'secret', key: 'attrs/sse.txt', options: { serverSideEncryption: 'AES256' } }));
		expect((await bytesOf('attrs/sse.txt')).toString()).toBe('secret');
	});

	(real ? it : it.skip)('server-side encryption with a KMS key sends the key ID (RGW has no such key and says so)', async () => {
		const error = await runNodeError(
			upload({ dataSource: 'text', text: 'k', key: 'attrs/kms.txt', options: { serverSideEncryption: 'aws:kms', kmsKeyId: 'n8n-test-key-id' } }),
		);
		expect(error.message).toMatch(/kms-keyid: n8n-test-key-id/);
		expect(error.message).toMatch(/attrs\/kms\.txt/);
	});

	(real ? it : it.skip)('Do Not Overwrite: a new key is written, an existing one is refused and kept', async () => {
		const first = await runNode(upload({ dataSource: 'text', text: 'first', key: 'attrs/once.txt', options: { doNotOverwrite: true } }));
		expect(first[0].json.key).toBe('attrs/once.txt');
		const error = await runNodeError(upload({ dataSource: 'text', text: 'second', key: 'attrs/once.txt', options: { doNotOverwrite: true } }));
		expect(error.message).toMatch(/already exists/);
		expect(error.description).toMatch(/not to overwrite/);
		expect((await bytesOf('attrs/once.txt')).toString()).toBe('first');
		// without the option the object is replaced
		await runNode(upload({ dataSource: 'text', text: 'third', key: 'attrs/once.txt' }));
		expect((await bytesOf('attrs/once.txt')).toString()).toBe('third');
	});

	it('returns key, ETag, size and (where versioning is on) a version ID', async () => {
		const [item] = await runNode(upload({ dataSource: 'text', text: 'abc', key: 'attrs/result.txt' }));
		expect(Object.keys(item.json).sort()).toEqual(expect.arrayContaining(['bucket', 'contentType', 'etag', 'key', 'size']));
		expect(item.json.etag).toBe(`"${createHash('md5').update('abc').digest('hex')}"`);
		expect(item.json.size).toBe(3);
	});

	it('a multipart upload and a multipart copy return the stored object\'s ETag, quoted like every other (RGW answers an empty one)', async () => {
		const content = Buffer.alloc(6 * MiB + 7, 5);
		const [uploaded] = await runNode(upload({ key: 'attrs/multipart.bin', options: { partSizeMiB: 5 } }), [
			{ json: {}, binary: { data: (await makeBinary(content, 'multipart.bin')) as never } },
		]);
		const stored = (await head('attrs/multipart.bin')).ETag;
		// s3rver hashes the whole object; real servers give the multipart form
		expect(stored).toMatch(real ? /^"[0-9a-f]{32}-2"$/ : /^"[0-9a-f]{32}"$/);
		expect(uploaded.json.etag).toBe(stored);
		if (!real) return; // s3rver has no UploadPartCopy
		const [copied] = await runNode({
			resource: 'object',
			operation: 'copy',
			bucket: bucketParam(bucket),
			key: 'attrs/multipart.bin',
			destinationBucket: bucketParam(bucket),
			destinationKey: 'attrs/multipart-copy.bin',
			options: { multipartThresholdMiB: 5, partSizeMiB: 5 },
		});
		expect(copied.json.etag).toBe((await head('attrs/multipart-copy.bin')).ETag);
		expect(copied.json.etag).toMatch(/^"[0-9a-f]{32}(-\d+)?"$/);
	});
});

it('a missing bucket under Continue On Fail is an error item naming the bucket', async () => {
	const missing = uniqueBucket('nope');
	const run = await runSteps([
		{ name: 'S3', continueOnFail: true, parameters: { resource: 'object', operation: 'upload', bucket: bucketParam(missing), dataSource: 'text', text: 'x', key: 'a.txt' } },
	]);
	expect(run.output('S3')![0].json.error).toBe(`Bucket "${missing}" does not exist [item 0]`);
});
