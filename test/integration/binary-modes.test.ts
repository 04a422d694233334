/**
 * Every place n8n 2.x keeps binaries: `filesystem` (regular mode's default), `database` (queue
 * mode's default: each file whole in a database row, refused above a size), and the workflow
 * setting `binaryMode: 'combined'` that moves binaries into `json._files`. The operations that
 * read or write binaries run in each, and bytes come back identical.
 */
import { createHash } from 'node:crypto';

import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { S3StorageTrigger } from '../../nodes/S3StorageTrigger/S3StorageTrigger.node';
import {
	binaryToBuffer,
	bucketParam,
	databaseManagerInUse,
	makeBinary,
	runNode,
	runNodeError,
	runSteps,
	setBinaryMode,
	type BinaryMode,
	type BinaryModeOptions,
} from '../support/harness';
import * as engine from '../support/engine';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const MiB = 1024 * 1024;

/** Deterministic bytes of any size (a different pattern per seed). */
function bytesOf(size: number, seed = 0): Buffer {
	const buffer = Buffer.alloc(size);
	for (let i = 0; i < size; i++) buffer[i] = (i * 7 + seed) % 251;
	return buffer;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const SIZES: Array<[string, number]> = [
	['0 B', 0],
	['1 B', 1],
	['5 MiB + 1', 5 * MiB + 1],
];

interface ModeCase {
	label: string;
	mode: BinaryMode;
	options: BinaryModeOptions;
	/** How the ids of binaries stored in this mode start. */
	idPrefix: string;
}

const MODES: ModeCase[] = [
	{ label: 'filesystem', mode: 'filesystem', options: {}, idPrefix: 'filesystem-v2:' },
	{ label: 'database', mode: 'database', options: {}, idPrefix: 'database:' },
	{ label: 'combined (binaries in json._files, filesystem)', mode: 'filesystem', options: { workflowBinaryMode: 'combined' }, idPrefix: 'filesystem-v2:' },
	{ label: 'combined (binaries in json._files, database)', mode: 'database', options: { workflowBinaryMode: 'combined' }, idPrefix: 'database:' },
];

/** A binary of an output item, wherever the workflow setting put it. */
function binaryOut(item: INodeExecutionData, field: string): IBinaryData | undefined {
	return item.binary?.[field] ?? ((item.json._files as IDataObject | undefined)?.[field] as IBinaryData | undefined);
}

describe.each(MODES)('binary mode: $label', ({ mode, options, idPrefix }) => {
	const combined = options.workflowBinaryMode === 'combined';
	const bucket = uniqueBucket(`bm-${mode.slice(0, 2)}${combined ? 'c' : ''}`);
	const object = (parameters: IDataObject) => ({ resource: 'object', bucket: bucketParam(bucket), ...parameters });

	beforeAll(async () => {
		await setBinaryMode(mode, options);
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
		await setBinaryMode('filesystem');
	});

	/** Downloads a key and returns the binary as the next node would see it. */
	async function download(key: string): Promise<{ binary: IBinaryData; bytes: Buffer; item: INodeExecutionData }> {
		const [item] = await runNode(object({ operation: 'download', key, binaryPropertyName: 'file' }));
		const binary = binaryOut(item, 'file');
		expect(binary).toBeDefined();
		if (combined) expect(item.binary?.file).toBeUndefined();
		expect(binary!.id?.startsWith(idPrefix)).toBe(true);
		return { binary: binary!, bytes: await binaryToBuffer(binary!), item };
	}

	it.each(SIZES)('Upload (binary), Download and Copy: %s comes back byte-identical', async (_label, size) => {
		const content = bytesOf(size, size % 13);
		const input = await makeBinary(content, `up-${size}.bin`, 'application/x-test');
		expect(String(input.id).startsWith(idPrefix)).toBe(true);
		const key = `upload/${size}.bin`;
		const [uploaded] = await runNode(object({ operation: 'upload', binaryPropertyName: 'data', key, options: { partSizeMiB: 5 } }), [
			{ json: {}, binary: { data: input as never } },
		]);
		expect(uploaded.json).toMatchObject({ bucket, key, size, contentType: 'application/x-test' });

		const { binary, bytes } = await download(key);
		expect(binary.fileName).toBe(`${size}.bin`);
		expect(binary.mimeType).toBe('application/x-test');
		expect(bytes.length).toBe(size);
		expect(sha(bytes)).toBe(sha(content));

		await runNode(object({ operation: 'copy', key, destinationKey: `copies/${size}.bin` }));
		const copy = await download(`copies/${size}.bin`);
		expect(sha(copy.bytes)).toBe(sha(content));
	});

	if (combined) {
		it('Upload finds the binary by its field name, by its path under _files, and from an expression', async () => {
			const content = bytesOf(1000, 3);
			const input = await makeBinary(content, 'named.bin');
			for (const [label, field] of [
				['name', 'data'],
				['path', '_files.data'],
				['expression', '={{ $json._files.data }}'],
			]) {
				const key = `fields/${label}.bin`;
				const [uploaded] = await runNode(object({ operation: 'upload', binaryPropertyName: field, key }), [{ json: {}, binary: { data: input as never } }]);
				expect(uploaded.json).toMatchObject({ key, size: 1000 });
				expect(sha((await download(key)).bytes)).toBe(sha(content));
			}
		});
	}

	it('Upload Many, All Binary Fields: every file of the item becomes an object, byte-identical', async () => {
		const contents = SIZES.map(([, size]) => bytesOf(size, 5 + size % 7));
		const binaries: Record<string, IDataObject> = {};
		for (const [index, [, size]] of SIZES.entries()) binaries[`file${index}`] = await makeBinary(contents[index], `many-${size}.bin`);
		const output = await runNode(object({ operation: 'uploadMany', dataSource: 'binary', options: { folder: 'many' } }), [
			{ json: {}, binary: binaries as never },
		]);
		expect(output.map((item) => item.json.key).sort()).toEqual(SIZES.map(([, size]) => `many/many-${size}.bin`).sort());
		for (const [index, [, size]] of SIZES.entries()) {
			const { bytes } = await download(`many/many-${size}.bin`);
			expect(sha(bytes)).toBe(sha(contents[index]));
		}
	});

	it('Upload Many, lists of names and base64 data: byte-identical', async () => {
		const contents = SIZES.map(([, size]) => bytesOf(size, 11));
		const names = SIZES.map(([, size]) => `lists/${size}.bin`);
		const output = await runNode(
			object({ operation: 'uploadMany', dataSource: 'lists', objectNames: JSON.stringify(names), base64DataList: JSON.stringify(contents.map((c) => c.toString('base64'))) }),
		);
		expect(output.map((item) => item.json.size)).toEqual(SIZES.map(([, size]) => size));
		for (const [index, name] of names.entries()) expect(sha((await download(name)).bytes)).toBe(sha(contents[index]));
	});

	it('Read puts the object into the JSON, whatever the binary mode', async () => {
		const content = bytesOf(4096, 9);
		await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'read/data.bin', Body: content }));
		const [item] = await runNode(object({ operation: 'read', key: 'read/data.bin', readAs: 'base64' }));
		expect(Buffer.from(String(item.json.objectData), 'base64').equals(content)).toBe(true);
	});

	it('the trigger downloads each new object into a binary of this mode, byte-identical', async () => {
		const workflow = {
			name: 'binary modes trigger',
			nodes: [
				{
					id: 'trigger',
					name: 'Trigger',
					type: 'n8n-nodes-s3-storage.s3StorageTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, bucket: bucketParam(bucket), prefix: 'trigger/', download: true, binaryPropertyName: 'file' },
					credentials: { s3StorageApi: { id: '1', name: 'S3' } },
				},
				{ id: 'next', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { Trigger: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		};
		const poll = async (staticData: IDataObject, activation: string) =>
			await engine.pollTrigger(workflow, {
				nodes: { s3StorageTrigger: new S3StorageTrigger() },
				credentials: { s3StorageApi: credentialFor(getTarget()) },
				staticData,
				activation,
			});
		const first = await poll({}, 'activate');
		expect(first.items).toEqual([]);
		const contents = SIZES.map(([, size]) => bytesOf(size, 17));
		for (const [index, [, size]] of SIZES.entries()) {
			await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: `trigger/${size}.bin`, Body: contents[index] }));
		}
		const second = await poll(first.staticData, 'trigger');
		const received = second.run!.output('Received')!;
		expect(received.map((item) => item.json.key).sort()).toEqual(SIZES.map(([, size]) => `trigger/${size}.bin`).sort());
		for (const item of received) {
			const binary = binaryOut(item, 'file')!;
			expect(binary.id?.startsWith(idPrefix)).toBe(true);
			const index = SIZES.findIndex(([, size]) => item.json.key === `trigger/${size}.bin`);
			expect(sha(await binaryToBuffer(binary))).toBe(sha(contents[index]));
		}
	});

	it('an input file missing from the store fails the item saying the store failed, in which mode', async () => {
		const missing = {
			mimeType: 'application/octet-stream',
			fileName: 'gone.bin',
			data: mode,
			id: `${idPrefix}${mode === 'database' ? '00000000-0000-4000-8000-000000000000' : 'workflows/test/executions/gone/binary_data/00000000-0000-4000-8000-000000000000'}`,
		};
		const error = await runNodeError(object({ operation: 'upload', binaryPropertyName: 'data', key: 'never/gone.bin' }), [
			{ json: {}, binary: { data: missing as never } },
		]);
		const modeName = mode === 'database' ? 'database' : 'filesystem';
		expect(error.message).toContain(`n8n's binary data store (${modeName} mode) could not read "gone.bin"`);
		expect(error.description).toContain('Upload from URL');
		expect(error.description).toContain('shared volume');
	});
});

describe('database mode at its size limit (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE)', () => {
	const bucket = uniqueBucket('bm-limit');
	const object = (parameters: IDataObject) => ({ resource: 'object', bucket: bucketParam(bucket), ...parameters });

	beforeAll(async () => {
		await setBinaryMode('database', { databaseMaxFileSizeMiB: 1 });
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'at-limit.bin', Body: bytesOf(MiB) }));
		await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'over-limit.bin', Body: bytesOf(MiB + 1) }));
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
		await setBinaryMode('filesystem');
		// n8n's own DatabaseManager when an n8n package is installed (see the engine), else the engine's copy.
		console.log(`database mode ran on: ${databaseManagerInUse()}`);
	});

	it('a file of exactly the limit is stored', async () => {
		const [item] = await runNode(object({ operation: 'download', key: 'at-limit.bin', binaryPropertyName: 'file' }));
		expect(item.binary!.file.id).toMatch(/^database:/);
		expect(sha(await binaryToBuffer(item.binary!.file))).toBe(sha(bytesOf(MiB)));
	});

	it('one byte more: Download fails saying the store refused it, the mode, the limit, and the ways around it', async () => {
		const error = await runNodeError(object({ operation: 'download', key: 'over-limit.bin', binaryPropertyName: 'file' }));
		expect(error.message).toContain('n8n\'s binary data store (database mode) could not save "over-limit.bin"');
		expect(error.message).toContain('exceeds the max size limit of 1 MB');
		expect(error.description).toContain('N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE (1 MiB');
		expect(error.description).toContain('Object > Upload from URL or Object > Transfer');
		expect(error.description).toContain('shared volume');
	});

	it('with Continue On Fail, the refused file becomes an error item and the next one still downloads', async () => {
		const run = await runSteps(
			[{ name: 'S3', parameters: object({ operation: 'download', key: '={{ $json.key }}', binaryPropertyName: 'file' }), continueOnFail: true }],
			[{ json: { key: 'over-limit.bin' } }, { json: { key: 'at-limit.bin' } }],
		);
		const [refused, stored] = run.output('S3')!;
		expect(String(refused.json.error)).toContain('(database mode) could not save "over-limit.bin"');
		expect(sha(await binaryToBuffer(stored.binary!.file))).toBe(sha(bytesOf(MiB)));
	});

	it('the trigger\'s download of a file over the limit fails the poll the same way', async () => {
		const workflow = {
			nodes: [
				{
					id: 'trigger',
					name: 'Trigger',
					type: 'n8n-nodes-s3-storage.s3StorageTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, bucket: bucketParam(bucket), prefix: 'over', download: true },
					credentials: { s3StorageApi: { id: '1', name: 'S3' } },
				},
			],
			connections: {},
		};
		const poll = engine.pollTrigger(workflow, {
			nodes: { s3StorageTrigger: new S3StorageTrigger() },
			credentials: { s3StorageApi: credentialFor(getTarget()) },
			mode: 'manual',
			run: false,
		});
		await expect(poll).rejects.toThrow('n8n\'s binary data store (database mode) could not save "over-limit.bin"');
	});

});
