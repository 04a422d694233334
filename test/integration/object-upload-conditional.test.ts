/**
 * Object > Upload's conditional writes: "Only If Unchanged (ETag)" (If-Match) replaces an object
 * only while it still has the ETag read earlier, for a single request and for both multipart paths,
 * and refuses with a clear error leaving the object as it was. s3rver ignores If-Match on writes:
 * there these tests are skipped (capability conditionalWrites), only the input checks run.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { bucketParam, makeBinary, runNode, runNodeError, setBinaryMode } from '../support/harness';
import { capabilities, rawClient, uniqueBucket } from '../support/target';

const can = capabilities();
const client = rawClient();
const bucket = uniqueBucket('ifmatch');
const MiB = 1024 * 1024;

const upload = (parameters: IDataObject) => ({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), ...parameters });
const text = (key: string, content: string, options: IDataObject = {}) => upload({ dataSource: 'text', text: content, key, options });

async function contentOf(key: string): Promise<string> {
	const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return await (answer.Body as Readable & { transformToString(): Promise<string> }).transformToString();
}

async function etagOf(key: string): Promise<string> {
	const [item] = await runNode({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key });
	return item.json.etag as string;
}

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
});

afterAll(async () => {
	await setBinaryMode('memory');
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

describe('input checks', () => {
	it('refuses "Only If Unchanged" together with "Do Not Overwrite", and a value that is not an ETag', async () => {
		const both = await runNodeError(text('both.txt', 'x', { ifMatch: '"abc"', doNotOverwrite: true }));
		expect(both.message).toBe('"Only If Unchanged (ETag)" and "Do Not Overwrite" cannot both be set');
		const notEtag = await runNodeError(text('both.txt', 'x', { ifMatch: 'two etags' }));
		expect(notEtag.message).toMatch(/^"two etags" is not an ETag/);
	});
});

(can.conditionalWrites ? describe : describe.skip)('Only If Unchanged (ETag)', () => {
	it('replaces the object while its ETag is the one read (quoted as output, or bare)', async () => {
		await runNode(text('doc.txt', 'v1'));
		const [second] = await runNode(text('doc.txt', 'v2', { ifMatch: await etagOf('doc.txt') }));
		expect(await contentOf('doc.txt')).toBe('v2');
		expect(second.json.etag).toBe(await etagOf('doc.txt'));
		await runNode(text('doc.txt', 'v3', { ifMatch: (second.json.etag as string).replace(/"/g, '') }));
		expect(await contentOf('doc.txt')).toBe('v3');
	});

	it('refuses when someone changed the object since: nothing is written, the error names the ETag', async () => {
		await runNode(text('race.txt', 'read by me'));
		const seen = await etagOf('race.txt');
		await runNode(text('race.txt', 'written by someone else'));
		const error = await runNodeError(text('race.txt', 'my change', { ifMatch: seen }));
		expect(error.message).toBe(`Object "race.txt" in bucket "${bucket}" changed since ETag ${seen} was read (or was deleted): nothing was written [item 0]`);
		expect(error.description).toMatch(/Only If Unchanged \(ETag\).*Get Metadata gives the current ETag/);
		expect(error.httpCode).toBe('412');
		expect(await contentOf('race.txt')).toBe('written by someone else');
	});

	it('"*" writes only over an existing object', async () => {
		const error = await runNodeError(text('missing.txt', 'x', { ifMatch: '*' }));
		expect(error.message).toMatch(/^No object exists under the key: object "missing.txt" in bucket "[^"]+" was not written/);
		await expect(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing.txt' }))).rejects.toMatchObject({ name: 'NotFound' });
		await runNode(text('present.txt', 'old'));
		await runNode(text('present.txt', 'new', { ifMatch: '*' }));
		expect(await contentOf('present.txt')).toBe('new');
	});

	it.each([
		['filesystem', 'a file read from disk part by part'],
		['memory', 'a body in memory through the stream chunker'],
	] as const)('multipart (%s binary mode: %s): a stale ETag is refused before anything is written, a current one replaces', async (mode: 'filesystem' | 'memory', _how: string) => {
		await setBinaryMode(mode);
		const key = `big-${mode}.bin`;
		await runNode(text(key, 'small original'));
		const seen = await etagOf(key);
		await runNode(text(key, 'changed by someone else'));
		const bytes = randomBytes(6 * MiB + 3);
		const input = async () => [{ json: {}, binary: { data: (await makeBinary(bytes, 'big.bin')) as never } }];
		const error = await runNodeError(upload({ key, options: { ifMatch: seen, partSizeMiB: 5 } }), await input());
		expect(error.message).toMatch(/changed since ETag .* was read \(or was deleted\): nothing was written/);
		expect(await contentOf(key)).toBe('changed by someone else');
		const pending = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
		expect(pending.Uploads ?? []).toEqual([]);
		await runNode(upload({ key, options: { ifMatch: await etagOf(key), partSizeMiB: 5 } }), await input());
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
		expect(head.ContentLength).toBe(bytes.length);
		expect(head.ETag).toMatch(/-2"$/);
	});
});
