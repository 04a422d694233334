/**
 * Customer-provided encryption keys (SSE-C) on Upload (single request and both multipart paths),
 * Read, Download, Get Metadata, Copy and Move: the bytes come back with the key, a missing or wrong
 * key is a clear error, and the key never appears in an output or an error. Servers without SSE-C
 * (s3rver) store the object unencrypted: there the upload must fail saying so, never pass silently.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';

import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { binaryToBuffer, bucketParam, makeBinary, runNode, runNodeError, runSteps, setBinaryMode } from '../support/harness';
import { capabilities, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const can = capabilities(target);
const client = rawClient();
const bucket = uniqueBucket('ssec');
const MiB = 1024 * 1024;

/** A 32-character key typed as text, and a base64 one (the two forms the field takes). */
const RAW_KEY = 'n8n-sse-c-test-key-0123456789abc';
const BASE64_KEY = randomBytes(32).toString('base64');
const WRONG_KEY = 'a-different-32-character-key-xyz';
const ALL_KEY_FORMS = [RAW_KEY, Buffer.from(RAW_KEY).toString('base64'), BASE64_KEY, WRONG_KEY, Buffer.from(WRONG_KEY).toString('base64')];

const rawKey = (key: string) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: key });

/**
 * Everything a run shows of an error, to search for the key: its words and every property, as
 * JSON and inspected. Except `node`: that is the workflow's own node, parameters
 * included, where n8n keeps the key as it keeps any parameter (not part of the error's content).
 */
function shownOf(error: (Error & { description?: string; node?: unknown }) | undefined): string {
	const { node: _node, ...rest } = Object.fromEntries(Object.getOwnPropertyNames(error ?? {}).map((name) => [name, (error as never)[name]])) as Record<string, unknown>;
	return [String(error?.message), String(error?.description), JSON.stringify(rest), inspect(rest, { depth: 10, showHidden: true })].join('\n');
}

function expectNoKeyIn(text: string): void {
	for (const key of ALL_KEY_FORMS) expect(text).not.toContain(key);
}

async function storedBytes(key: string, customerKey: string): Promise<Buffer> {
	const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...rawKey(customerKey) }));
	return Buffer.from(await (answer.Body as Readable & { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

const upload = (parameters: IDataObject) => ({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), ...parameters });
const read = (key: string, options: IDataObject = {}) => ({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key, options });
const metadata = (key: string, options: IDataObject = {}) => ({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key, options });

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
});

afterAll(async () => {
	await setBinaryMode('memory');
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

describe('the key field', () => {
	it('refuses a key that is not 32 bytes, naming its length and never the key', async () => {
		const short = 'too-short-key-0123456789';
		const error = await runNodeError(upload({ dataSource: 'text', text: 'x', key: 'bad-key.txt', options: { customerKey: short } }));
		expect(error.message).toMatch(/"Customer Key \(SSE-C\)" of item 0 is not a 256-bit key \(24 bytes given\)/);
		expect(error.description).toMatch(/base64 \(44 characters/);
		expect(shownOf(error)).not.toContain(short);
		// nothing was written
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-key.txt' })).catch((failure: { name?: string }) => failure.name);
		expect(head).toBe('NotFound');
	});
});

(can.customerKeys ? describe : describe.skip)('with a server that encrypts with customer keys', () => {
	const content = 'secret content, encrypted with my own key';

	beforeAll(async () => {
		const [uploaded] = await runNode(upload({ dataSource: 'text', text: content, key: 'small.txt', options: { customerKey: RAW_KEY } }));
		expectNoKeyIn(JSON.stringify(uploaded));
		await runNode(upload({ dataSource: 'text', text: content, key: 'small-b64.txt', options: { customerKey: BASE64_KEY } }));
	});

	it('Upload stores the object encrypted with the key: the server gives it back only with that key', async () => {
		expect((await storedBytes('small.txt', RAW_KEY)).toString()).toBe(content);
		expect((await storedBytes('small-b64.txt', BASE64_KEY)).toString()).toBe(content);
		await expect(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'small.txt' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
	});

	it('Read and Download with the key give the bytes back; Get Metadata shows the algorithm', async () => {
		const [readItem] = await runNode(read('small.txt', { customerKey: RAW_KEY }));
		expect(readItem.json.objectData).toBe(content);
		const [downloaded] = await runNode({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'small-b64.txt', binaryPropertyName: 'data', options: { customerKey: BASE64_KEY } });
		expect((await binaryToBuffer(downloaded.binary!.data)).toString()).toBe(content);
		const [head] = await runNode(metadata('small.txt', { customerKey: RAW_KEY }));
		expect(head.json).toMatchObject({ exists: true, size: Buffer.byteLength(content), sseCustomerAlgorithm: 'AES256' });
		expectNoKeyIn(JSON.stringify([readItem, downloaded.json, head]));
	});

	it('without the key, Read, Download and Get Metadata say the object needs its key', async () => {
		for (const parameters of [
			read('small.txt'),
			{ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'small.txt', binaryPropertyName: 'data', options: {} },
			metadata('small.txt'),
		]) {
			const error = await runNodeError(parameters);
			expect(error.message).toMatch(/^Object "small.txt" in bucket "[^"]+" is encrypted with a customer-provided key \(SSE-C\): give the same key in Options > Customer Key/);
		}
	});

	it('with a wrong key, Read and Get Metadata say the key does not open the object, and the key appears nowhere', async () => {
		const readError = await runNodeError(read('small.txt', { customerKey: WRONG_KEY }));
		expect(readError.message).toMatch(/^The customer key given does not open object "small.txt"/);
		const headError = await runNodeError(metadata('small.txt', { customerKey: WRONG_KEY }));
		expect(headError.message).toMatch(/^The customer key given does not open object "small.txt"/);
		expectNoKeyIn(shownOf(readError));
		expectNoKeyIn(shownOf(headError));
		// Continue On Fail: the error item shows no key either
		const run = await runSteps([{ name: 'S3', parameters: read('small.txt', { customerKey: WRONG_KEY }), continueOnFail: true }]);
		const items = run.output('S3') ?? [];
		expect(String(items[0]?.json.error)).toMatch(/does not open/);
		expectNoKeyIn(JSON.stringify(items));
	});

	it.each([
		['filesystem', 'a file read from disk part by part'],
		['memory', 'a body in memory through the stream chunker'],
	] as const)('a multipart upload (%s binary mode: %s) carries the key on every part', async (mode: 'filesystem' | 'memory', _how: string) => {
		await setBinaryMode(mode);
		const bytes = randomBytes(6 * MiB + 11);
		const key = `multipart-${mode}.bin`;
		await runNode(upload({ key, options: { customerKey: BASE64_KEY, partSizeMiB: 5 } }), [
			{ json: {}, binary: { data: (await makeBinary(bytes, 'big.bin')) as never } },
		]);
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...rawKey(BASE64_KEY) }));
		expect(head.ETag).toMatch(/-2"$/);
		expect(head.SSECustomerAlgorithm).toBe('AES256');
		expect((await storedBytes(key, BASE64_KEY)).equals(bytes)).toBe(true);
		// and the node reads it back
		const [item] = await runNode(read(key, { customerKey: BASE64_KEY, range: 'bytes=0-15' }));
		expect(item.json.objectData).toBe(bytes.subarray(0, 16).toString('utf8'));
	});

	(can.customerKeyCopies ? it : it.skip)('Copy with the source key and a new destination key (single and multipart); Move keeps its keys', async () => {
		const [copied] = await runNode({
			resource: 'object', operation: 'copy', bucket: bucketParam(bucket), key: 'small.txt', destinationKey: 'copy.txt',
			options: { sourceCustomerKey: RAW_KEY, customerKey: BASE64_KEY },
		});
		expectNoKeyIn(JSON.stringify(copied));
		expect((await storedBytes('copy.txt', BASE64_KEY)).toString()).toBe(content);
		await runNode({
			resource: 'object', operation: 'copy', bucket: bucketParam(bucket), key: 'multipart-memory.bin', destinationKey: 'copy-multipart.bin',
			options: { sourceCustomerKey: BASE64_KEY, customerKey: RAW_KEY, multipartThresholdMiB: 5, partSizeMiB: 5 },
		});
		expect((await storedBytes('copy-multipart.bin', RAW_KEY)).equals(await storedBytes('multipart-memory.bin', BASE64_KEY))).toBe(true);
		await runNode({ resource: 'object', operation: 'move', bucket: bucketParam(bucket), key: 'copy.txt', destinationKey: 'moved.txt', options: { sourceCustomerKey: BASE64_KEY, customerKey: BASE64_KEY } });
		expect((await storedBytes('moved.txt', BASE64_KEY)).toString()).toBe(content);
	});

	(can.customerKeyCopies ? it.skip : it)('a server that cannot copy with customer keys gets a clear error, and Move keeps its source', async () => {
		// Ceph RGW 16 answers a copy of an SSE-C object with 501 NotImplemented.
		const copyError = await runNodeError({
			resource: 'object', operation: 'copy', bucket: bucketParam(bucket), key: 'small.txt', destinationKey: 'copy.txt',
			options: { sourceCustomerKey: RAW_KEY, customerKey: BASE64_KEY },
		});
		expect(copyError.message).toMatch(/cannot copy objects encrypted with a customer-provided key/);
		expect(copyError.description).toMatch(/Download the object with its key and upload it again/);
		expectNoKeyIn(shownOf(copyError));
		const moveError = await runNodeError({ resource: 'object', operation: 'move', bucket: bucketParam(bucket), key: 'small.txt', destinationKey: 'moved.txt', options: { sourceCustomerKey: RAW_KEY } });
		expect(moveError.message).toMatch(/cannot copy objects encrypted with a customer-provided key/);
		expect((await storedBytes('small.txt', RAW_KEY)).toString()).toBe(content);
		// Without the source key, the copy's first request already says what is missing.
		const noKey = await runNodeError({ resource: 'object', operation: 'copy', bucket: bucketParam(bucket), key: 'small.txt', destinationKey: 'copy.txt', options: {} });
		expect(noKey.message).toMatch(/is encrypted with a customer-provided key \(SSE-C\): give the same key/);
		// Ceph RGW 16 copies a plain object "into" a customer key unencrypted, saying nothing: the node must not pass that as success.
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'plain' }));
		const ignored = await runNodeError({ resource: 'object', operation: 'copy', bucket: bucketParam(bucket), key: 'plain.txt', destinationKey: 'plain-copy.txt', options: { customerKey: BASE64_KEY } });
		expect(ignored.message).toMatch(/the server did not confirm using the key, so the object it stored is probably not encrypted with it/);
		expectNoKeyIn(shownOf(ignored));
	});
});

(can.customerKeys ? it.skip : it)('a server without customer keys: Upload with a key fails saying the object is not encrypted with it', async () => {
	const error = await runNodeError(upload({ dataSource: 'text', text: 'x', key: 'ignored.txt', options: { customerKey: RAW_KEY } }));
	expect(error.message).toMatch(/^Could not upload object "ignored.txt" in bucket "[^"]+" encrypted with the customer key: the server did not confirm using the key/);
	expect(error.description).toMatch(/does not support customer-provided keys/);
	expectNoKeyIn(shownOf(error));
});
