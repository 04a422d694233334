/**
 * Object > Transfer: an object copied to another credential. Same user on the same endpoint: the
 * server copies it. Another user (Ceph RGW's second user) or another server (a second s3rver
 * started here): streamed from the source's GetObject into the destination's upload. Both sides
 * are checked with raw clients: bytes, content type, metadata and tags.
 */
import { createHash, randomBytes } from 'node:crypto';

import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	GetObjectCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	PutObjectTaggingCommand,
	S3Client,
} from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import * as engine from '../support/engine';
import { bucketParam, runNode, S3_NODE_TYPE, type WorkflowRun } from '../support/harness';
import { startS3rver, type S3rverInstance } from '../support/s3rver';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket, type S3Target } from '../support/target';


const MiB = 1024 * 1024;
const target = getTarget();
const caps = capabilities(target);
const source = rawClient();
const bucket = uniqueBucket('xfer-src');
const content = randomBytes(12 * MiB + 12345);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Ceph RGW's second user (tools/rgw.sh): another account on the same server. */
const otherKeys =
	process.env.S3_TEST_OTHER_ACCESS_KEY_ID && process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY
		? { accessKeyId: process.env.S3_TEST_OTHER_ACCESS_KEY_ID, secretAccessKey: process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY }
		: undefined;

const nodeInstances = {
	s3Storage: new S3Storage(),
	input: {
		description: { name: 'input', version: 1, inputs: ['main'], outputs: ['main'], properties: [] },
		async execute(this: IExecuteFunctions) {
			return [this.getInputData()];
		},
	},
};

/** Runs one Transfer node with the node's credential (the suite's server) and `destination` as the destination credential. */
async function runTransfer(parameters: IDataObject, destination: IDataObject, onStart?: (cancel: () => void) => void): Promise<WorkflowRun> {
	const nodes = [
		{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'transfer',
			name: 'Transfer',
			type: S3_NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: { resource: 'object', operation: 'transfer', bucket: bucketParam(bucket), ...parameters },
			credentials: { s3StorageApi: { id: '1', name: 'Source' }, s3StorageDestinationApi: { id: '2', name: 'Destination' } },
		},
	];
	return await engine.runWorkflow(
		{ nodes, connections: { Input: { main: [[{ node: 'Transfer', type: 'main', index: 0 }]] } } },
		{
			nodes: { s3Storage: nodeInstances.s3Storage, 'test.input': nodeInstances.input },
			credentials: { s3StorageApi: credentialFor(target), s3StorageDestinationApi: destination },
			startData: { main: [[{ json: {} }]] },
			onStart,
		},
	);
}

async function transfer(parameters: IDataObject, destination: IDataObject): Promise<INodeExecutionData[]> {
	const run = await runTransfer(parameters, destination);
	const error = run.nodeError('Transfer');
	if (error) throw error;
	return run.output('Transfer') ?? [];
}

function clientFor(where: S3Target): S3Client {
	return new S3Client({
		endpoint: where.endpoint,
		region: where.region,
		forcePathStyle: true,
		credentials: { accessKeyId: where.accessKeyId, secretAccessKey: where.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
}

async function bytesOf(client: S3Client, where: string, key: string): Promise<Buffer> {
	const response = await client.send(new GetObjectCommand({ Bucket: where, Key: key }));
	return Buffer.from(await response.Body!.transformToByteArray());
}

async function emptyAndDelete(client: S3Client, name: string): Promise<void> {
	const listed = await client.send(new ListObjectsV2Command({ Bucket: name }));
	for (const object of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: name, Key: object.Key }));
	await client.send(new DeleteBucketCommand({ Bucket: name }));
}

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await source.send(
		new PutObjectCommand({
			Bucket: bucket,
			Key: 'src/archive.bin',
			Body: content,
			ContentType: 'application/x-archive',
			Metadata: { origin: 'nightly', owner: 'ops' },
			CacheControl: 'max-age=60',
			ContentDisposition: 'attachment; filename="archive.bin"',
		}),
	);
	await source.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'src/archive.bin', Tagging: { TagSet: [{ Key: 'project', Value: 'apollo' }] } }));
	await source.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/small.txt', Body: 'hello transfer', ContentType: 'text/plain', Metadata: { kind: 'note' } }));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

/** What a destination must hold after a transfer of src/archive.bin with its metadata kept. */
async function expectArchiveAt(client: S3Client, where: string, key: string): Promise<void> {
	expect(sha256(await bytesOf(client, where, key))).toBe(sha256(content));
	const head = await client.send(new HeadObjectCommand({ Bucket: where, Key: key }));
	expect(head.ContentType).toBe('application/x-archive');
	expect(head.Metadata).toEqual({ origin: 'nightly', owner: 'ops' });
	expect(head.CacheControl).toBe('max-age=60');
	expect(head.ContentDisposition).toBe('attachment; filename="archive.bin"');
	const tagging = await client.send(new GetObjectTaggingCommand({ Bucket: where, Key: key }));
	expect(tagging.TagSet).toEqual([{ Key: 'project', Value: 'apollo' }]);
}

describe('same credential on both sides', () => {
	it('copies server-side, keeping content type, metadata and tags', async () => {
		const [item] = await transfer({ key: 'src/archive.bin', destinationBucket: bucket, destinationKey: 'copies/archive.bin' }, credentialFor(target));
		expect(item.json).toMatchObject({ sourceBucket: bucket, sourceKey: 'src/archive.bin', bucket, key: 'copies/archive.bin', size: content.length, method: 'server-side' });
		await expectArchiveAt(source, bucket, 'copies/archive.bin');
	});
});

describe('to another server (a second s3rver)', () => {
	let other: S3rverInstance;
	let client: S3Client;
	const destinationBucket = uniqueBucket('xfer-dst');

	beforeAll(async () => {
		other = await startS3rver();
		client = clientFor(other);
		await client.send(new CreateBucketCommand({ Bucket: destinationBucket }));
	});

	afterAll(async () => {
		await emptyAndDelete(client, destinationBucket);
		client.destroy();
		await other.stop();
	});

	const destination = () => credentialFor(other, { defaultBucket: destinationBucket });

	it('streams the object in parts, byte for byte, with content type, metadata and tags', async () => {
		const [item] = await transfer({ key: 'src/archive.bin', options: { partSizeMiB: 5 } }, destination());
		expect(item.json).toMatchObject({ bucket: destinationBucket, key: 'src/archive.bin', size: content.length, method: 'streamed' });
		await expectArchiveAt(client, destinationBucket, 'src/archive.bin');
	});

	it('a small object goes up in one request; Keep Metadata and Tags off leaves them behind', async () => {
		const [item] = await transfer({ key: 'src/small.txt', destinationKey: 'plain.txt', options: { keepMetadata: false } }, destination());
		expect(item.json).toMatchObject({ key: 'plain.txt', size: 14, method: 'streamed' });
		expect((await bytesOf(client, destinationBucket, 'plain.txt')).toString()).toBe('hello transfer');
		const head = await client.send(new HeadObjectCommand({ Bucket: destinationBucket, Key: 'plain.txt' }));
		expect(head.Metadata).toEqual({});
		expect(head.ContentType).not.toBe('text/plain');
	});

	it('Do Not Overwrite refuses a key the destination already has, and keeps what is there', async () => {
		await client.send(new PutObjectCommand({ Bucket: destinationBucket, Key: 'kept.bin', Body: 'keep me' }));
		const run = await runTransfer({ key: 'src/archive.bin', destinationKey: 'kept.bin', options: { doNotOverwrite: true, partSizeMiB: 5 } }, destination());
		expect(run.nodeError('Transfer')?.message).toContain('already exists');
		expect((await bytesOf(client, destinationBucket, 'kept.bin')).toString()).toBe('keep me');
	});

	it('a missing source object fails naming it; nothing is written', async () => {
		const run = await runTransfer({ key: 'src/missing.bin' }, destination());
		expect(run.nodeError('Transfer')?.message).toBe(`Object "src/missing.bin" not found in bucket "${bucket}" [item 0]`);
		const listed = await client.send(new ListObjectsV2Command({ Bucket: destinationBucket, Prefix: 'src/missing' }));
		expect(listed.KeyCount ?? 0).toBe(0);
	});
});

(otherKeys ? describe : describe.skip)('to another user of the same server (Ceph RGW\'s second user)', () => {
	const destinationBucket = uniqueBucket('xfer-other');
	const otherTarget = { ...target, ...otherKeys! };
	let client: S3Client;

	beforeAll(async () => {
		client = clientFor(otherTarget);
		await client.send(new CreateBucketCommand({ Bucket: destinationBucket }));
	});

	afterAll(async () => {
		await emptyAndDelete(client, destinationBucket);
		client.destroy();
	});

	it('streams (the other user cannot read the source), byte for byte, with content type, metadata and tags', async () => {
		const [item] = await transfer(
			{ key: 'src/archive.bin', destinationBucket, destinationKey: 'from-tester/archive.bin', options: { partSizeMiB: 5 } },
			credentialFor(otherTarget),
		);
		expect(item.json).toMatchObject({ bucket: destinationBucket, key: 'from-tester/archive.bin', size: content.length, method: 'streamed' });
		// Ceph RGW 16 answers CompleteMultipartUpload with an empty ETag, so the object's own is checked
		expect((await client.send(new HeadObjectCommand({ Bucket: destinationBucket, Key: 'from-tester/archive.bin' }))).ETag).toMatch(/-3"$/);
		await expectArchiveAt(client, destinationBucket, 'from-tester/archive.bin');
	});

	it('a failure on the destination (no such bucket) leaves no incomplete upload', async () => {
		const run = await runTransfer({ key: 'src/archive.bin', destinationBucket: `${destinationBucket}-none`, options: { partSizeMiB: 5 } }, credentialFor(otherTarget));
		expect(run.nodeError('Transfer')?.message).toContain('does not exist');
		if (caps.multipartAbort) {
			const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: destinationBucket }));
			expect(listed.Uploads ?? []).toHaveLength(0);
		}
	});
});
