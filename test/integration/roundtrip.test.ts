/**
 * Issue 2's end-to-end proof: bytes go up and come back identical, in both of n8n's binary
 * modes, for awkward sizes and awkward keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { HeadObjectCommand } from '@aws-sdk/client-s3';

import { binaryToBuffer, bucketParam, makeBinary, runNode, setBinaryMode, type BinaryMode } from '../support/harness';
import { rawClient, uniqueBucket } from '../support/target';

const MiB = 1024 * 1024;

/** Deterministic bytes streamed in chunks, so large inputs never sit whole in the test's memory. */
function patternStream(size: number): Readable {
	let sent = 0;
	return new Readable({
		read() {
			if (sent >= size) {
				this.push(null);
				return;
			}
			const chunk = Buffer.alloc(Math.min(MiB, size - sent));
			for (let i = 0; i < chunk.length; i++) chunk[i] = (sent + i) % 251;
			sent += chunk.length;
			this.push(chunk);
		},
	});
}

async function sha256OfStream(stream: Readable): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of stream) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

describe.each<BinaryMode>(['filesystem', 'memory'])('round-trip in %s binary mode', (mode) => {
	const bucket = uniqueBucket(`rt-${mode.slice(0, 3)}`);

	beforeAll(async () => {
		await setBinaryMode(mode);
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	});

	const sizes: Array<[string, number]> = [
		['empty', 0],
		['1 byte', 1],
		['5 MiB + 1 (multipart at a 5 MiB part size)', 5 * MiB + 1],
		['64 MiB', 64 * MiB],
	];

	it.each(sizes)('%s comes back byte-identical, with its name, type and size', async (_label, size) => {
		const key = `sizes/file-${size}.bin`;
		const binary = await makeBinary(patternStream(size), `file-${size}.bin`, 'application/x-test');
		const uploaded = await runNode(
			{
				resource: 'object',
				operation: 'upload',
				bucket: bucketParam(bucket),
				binaryPropertyName: 'data',
				key,
				options: { partSizeMiB: 5 },
			},
			[{ json: {}, binary: { data: binary as never } }],
		);
		expect(uploaded[0].json).toMatchObject({ bucket, key, size });

		const head = await rawClient().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
		expect(head.ContentLength).toBe(size);
		expect(head.ContentType).toBe('application/x-test');

		const downloaded = await runNode({
			resource: 'object',
			operation: 'download',
			bucket: bucketParam(bucket),
			key,
			binaryPropertyName: 'file',
		});
		const received = downloaded[0].binary!.file;
		expect(received.fileName).toBe(`file-${size}.bin`);
		expect(received.mimeType).toBe('application/x-test');
		expect(downloaded[0].json.size).toBe(size);
		if (mode === 'filesystem') expect(received.id).toBeDefined();
		const bytes = await binaryToBuffer(received);
		expect(bytes.length).toBe(size);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(await sha256OfStream(patternStream(size)));
	});

	const keys = [
		'with space.txt',
		'plus+sign.txt',
		'equals=sign.txt',
		'colon:name.txt',
		'hash#name.txt',
		'percent%20literal.txt',
		'question?mark.txt',
		'ünïcödé/日本語のファイル.txt',
		'emoji 🚀/файл.txt',
		'deep/nested/path/with spaces/and+plus=equal.txt',
	];

	it.each(keys)('key %j uploads, lists, downloads and deletes', async (key) => {
		const content = randomBytes(257);
		const binary = await makeBinary(content, 'x.bin');
		await runNode(
			{ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), binaryPropertyName: 'data', key },
			[{ json: {}, binary: { data: binary as never } }],
		);
		const list = () =>
			runNode({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true, options: { prefix: key } });
		expect((await list()).map((item) => item.json.key)).toEqual([key]);

		const downloaded = await runNode({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key, binaryPropertyName: 'data' });
		expect((await binaryToBuffer(downloaded[0].binary!.data)).equals(content)).toBe(true);
		expect(downloaded[0].binary!.data.fileName).toBe(key.slice(key.lastIndexOf('/') + 1));

		const deleted = await runNode({ resource: 'object', operation: 'delete', bucket: bucketParam(bucket), key });
		expect(deleted[0].json).toEqual({ bucket, key, deleted: true });
		expect(await list()).toHaveLength(0);
	});
});
