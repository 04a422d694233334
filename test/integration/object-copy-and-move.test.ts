/**
 * Object > Copy and Move: within and across buckets, keeping or replacing metadata, source
 * versions, multipart copy (UploadPartCopy) with abort on failure, and Move's ordering.
 */
import { createHash, randomBytes } from 'node:crypto';

import {
	GetObjectCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	PutBucketVersioningCommand,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { INode } from 'n8n-workflow';

import { S3Connection } from '../../nodes/S3Storage/transport';
import { bucketParam, runNode, runNodeError, runSteps } from '../support/harness';
import { capabilities, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const caps = capabilities(target);
/** s3rver has no UploadPartCopy (501) and no versioning; Ceph RGW has both. */
const real = target.server !== 's3rver';
const source = uniqueBucket('obj-cp-src');
const other = uniqueBucket('obj-cp-dst');
const client = rawClient();
const MiB = 1024 * 1024;

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: source });
	await runNode({ resource: 'bucket', operation: 'create', bucketName: other });
	await client.send(
		new PutObjectCommand({
			Bucket: source,
			Key: 'docs/report.pdf',
			Body: 'report body',
			ContentType: 'application/pdf',
			Metadata: { owner: 'finance' },
			CacheControl: 'max-age=30',
			ContentDisposition: 'inline',
			Tagging: 'stage=final',
		}),
	);
});

afterAll(async () => {
	for (const name of [source, other]) {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(name), options: { emptyFirst: true } });
	}
});

async function bytesOf(bucket: string, key: string): Promise<Buffer> {
	const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return Buffer.from(await response.Body!.transformToByteArray());
}
const head = (bucket: string, key: string) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
const copy = (parameters: Record<string, unknown>) => ({ resource: 'object', operation: 'copy', bucket: bucketParam(source), ...parameters });
const move = (parameters: Record<string, unknown>) => ({ resource: 'object', operation: 'move', bucket: bucketParam(source), ...parameters });

describe('copy', () => {
	it('copies within the bucket (empty destination bucket), keeping content type and metadata', async () => {
		const [item] = await runNode(copy({ key: 'docs/report.pdf', destinationKey: 'copies/report.pdf' }));
		expect(item.json).toMatchObject({ sourceBucket: source, sourceKey: 'docs/report.pdf', bucket: source, key: 'copies/report.pdf', size: 11 });
		expect(item.json.etag).toBeDefined();
		expect(item.json.multipartParts).toBeUndefined();
		expect((await bytesOf(source, 'copies/report.pdf')).toString()).toBe('report body');
		const copied = await head(source, 'copies/report.pdf');
		expect(copied.ContentType).toBe('application/pdf');
		expect(copied.Metadata).toEqual({ owner: 'finance' });
		expect(copied.CacheControl).toBe('max-age=30');
		expect((await head(source, 'docs/report.pdf')).ContentLength).toBe(11);
	});

	it('copies across buckets, keys with special characters included', async () => {
		// s3rver decodes x-amz-copy-source with decodeURI, which leaves %2B, %3D, %3A and %3F encoded.
		const key = real ? 'odd names/ä+b=c:d?.txt' : 'odd names/äö ü.txt';
		await client.send(new PutObjectCommand({ Bucket: source, Key: key, Body: 'odd' }));
		const [item] = await runNode(copy({ key, destinationBucket: bucketParam(other), destinationKey: `in/${key}` }));
		expect(item.json).toMatchObject({ bucket: other, key: `in/${key}` });
		expect((await bytesOf(other, `in/${key}`)).toString()).toBe('odd');
	});

	it('Replace sets a new content type, metadata, cache control and disposition', async () => {
		await runNode(
			copy({
				key: 'docs/report.pdf',
				destinationKey: 'copies/replaced.pdf',
				metadataDirective: 'replace',
				newContentType: 'application/x-report',
				newMetadata: { entries: [{ name: 'reviewed', value: 'yes' }] },
				newCacheControl: 'no-store',
				newContentDisposition: 'attachment; filename="r.pdf"',
			}),
		);
		const copied = await head(source, 'copies/replaced.pdf');
		expect(copied.ContentType).toBe('application/x-report');
		expect(copied.Metadata).toEqual({ reviewed: 'yes' });
		expect(copied.CacheControl).toBe('no-store');
		expect(copied.ContentDisposition).toBe('attachment; filename="r.pdf"');
	});

	it('copying an object onto itself with Replace updates its metadata in place', async () => {
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'self.txt', Body: 'me', ContentType: 'text/plain' }));
		await runNode(copy({ key: 'self.txt', destinationKey: 'self.txt', metadataDirective: 'replace', newContentType: 'text/markdown' }));
		expect((await head(source, 'self.txt')).ContentType).toBe('text/markdown');
		expect((await bytesOf(source, 'self.txt')).toString()).toBe('me');
	});

	it('a missing source names the source object; a missing destination bucket names that bucket', async () => {
		const missingKey = await runNodeError(copy({ key: 'nope.txt', destinationKey: 'x.txt' }));
		expect(missingKey.message).toBe(`Object "nope.txt" not found in bucket "${source}" [item 0]`);
		const gone = uniqueBucket('gone');
		const run = await runSteps([
			{ name: 'S3', continueOnFail: true, parameters: copy({ key: 'docs/report.pdf', destinationBucket: bucketParam(gone), destinationKey: 'x' }) },
		]);
		expect(run.output('S3')![0].json.error).toBe(`Bucket "${gone}" does not exist [item 0]`);
	});

	(caps.taggingOnUpload ? it : it.skip)('tags are copied with the object', async () => {
		await runNode(copy({ key: 'docs/report.pdf', destinationBucket: bucketParam(other), destinationKey: 'tagged.pdf' }));
		const tags = await client.send(new GetObjectTaggingCommand({ Bucket: other, Key: 'tagged.pdf' }));
		expect(tags.TagSet).toEqual([{ Key: 'stage', Value: 'final' }]);
	});

	(real ? it : it.skip)('above the multipart threshold it copies part by part, byte-identical, keeping metadata and tags', async () => {
		const content = randomBytes(12 * MiB + 123);
		await client.send(
			new PutObjectCommand({ Bucket: source, Key: 'big/source.bin', Body: content, ContentType: 'application/x-big', Metadata: { size: 'big' }, Tagging: 'big=yes' }),
		);
		const [item] = await runNode(
			copy({
				key: 'big/source.bin',
				destinationBucket: bucketParam(other),
				destinationKey: 'big/copy.bin',
				options: { multipartThresholdMiB: 5, partSizeMiB: 5, queueSize: 2 },
			}),
		);
		expect(item.json).toMatchObject({ size: content.length, multipartParts: 3 });
		const copied = await bytesOf(other, 'big/copy.bin');
		expect(createHash('sha256').update(copied).digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));
		const stored = await head(other, 'big/copy.bin');
		expect(stored.ETag).toMatch(/-3"$/);
		expect(stored.ContentType).toBe('application/x-big');
		expect(stored.Metadata).toEqual({ size: 'big' });
		expect((await client.send(new GetObjectTaggingCommand({ Bucket: other, Key: 'big/copy.bin' }))).TagSet).toEqual([{ Key: 'big', Value: 'yes' }]);

		// with Replace, the multipart copy takes the new metadata
		await runNode(
			copy({
				key: 'big/source.bin',
				destinationKey: 'big/replaced.bin',
				metadataDirective: 'replace',
				newContentType: 'application/x-new',
				options: { multipartThresholdMiB: 5, partSizeMiB: 5 },
			}),
		);
		const replaced = await head(source, 'big/replaced.bin');
		expect(replaced.ContentType).toBe('application/x-new');
		expect(replaced.Metadata).toEqual({});
		expect(replaced.ContentLength).toBe(content.length);
	});

	(real ? it : it.skip)('a multipart copy that fails midway is aborted: no upload is left behind, nothing is created', async () => {
		const content = randomBytes(11 * MiB);
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'big/fail-source.bin', Body: content }));
		const failing = rawClient();
		failing.middlewareStack.add(
			(next, context) => async (args) => {
				const input = args.input as { PartNumber?: number };
				if (context.commandName === 'UploadPartCopyCommand' && input.PartNumber === 2) {
					throw Object.assign(new Error('injected failure'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
				}
				return next(args);
			},
			{ step: 'initialize', name: 'failPartTwo' },
		);
		const node = { id: 'n', name: 'S3', type: 's3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
		const connection = new S3Connection(
			node,
			failing,
			{ endpoint: target.endpoint, region: target.region, forcePathStyle: true, isAws: false },
			'',
			undefined,
		);
		await expect(
			connection.copyObject(
				{ sourceBucket: source, sourceKey: 'big/fail-source.bin', bucket: other, key: 'big/fail-copy.bin', replaceMetadata: false, settings: {} },
				{ multipartThreshold: 5 * MiB, partSize: 5 * MiB, queueSize: 1 },
				0,
			),
		).rejects.toMatchObject({ name: 'NodeApiError', message: expect.stringMatching(/big\/fail-copy\.bin/) });
		const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: other, Prefix: 'big/fail-copy.bin' }));
		expect(uploads.Uploads ?? []).toEqual([]);
		await expect(head(other, 'big/fail-copy.bin')).rejects.toMatchObject({ name: 'NotFound' });
	});
});

describe('move', () => {
	it('moves across buckets: the copy exists, then the source is gone', async () => {
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'move/me.txt', Body: 'moving', ContentType: 'text/plain', Metadata: { a: '1' } }));
		const [item] = await runNode(move({ key: 'move/me.txt', destinationBucket: bucketParam(other), destinationKey: 'moved/me.txt' }));
		expect(item.json).toMatchObject({ sourceBucket: source, sourceKey: 'move/me.txt', bucket: other, key: 'moved/me.txt', moved: true, size: 6 });
		expect((await bytesOf(other, 'moved/me.txt')).toString()).toBe('moving');
		expect((await head(other, 'moved/me.txt')).Metadata).toEqual({ a: '1' });
		await expect(head(source, 'move/me.txt')).rejects.toMatchObject({ name: 'NotFound' });
	});

	it('renames within a bucket', async () => {
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'move/old-name.txt', Body: 'r' }));
		await runNode(move({ key: 'move/old-name.txt', destinationKey: 'move/new-name.txt' }));
		expect((await bytesOf(source, 'move/new-name.txt')).toString()).toBe('r');
		await expect(head(source, 'move/old-name.txt')).rejects.toMatchObject({ name: 'NotFound' });
	});

	it('a failed copy leaves the source in place', async () => {
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'move/stays.txt', Body: 'stay' }));
		const gone = uniqueBucket('gone');
		const error = await runNodeError(move({ key: 'move/stays.txt', destinationBucket: bucketParam(gone), destinationKey: 'x.txt' }));
		expect(error.message).toBe(`Bucket "${gone}" does not exist [item 0]`);
		expect((await bytesOf(source, 'move/stays.txt')).toString()).toBe('stay');
	});

	it('moving an object onto itself is refused (it would delete it)', async () => {
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'move/self.txt', Body: 's' }));
		const error = await runNodeError(move({ key: 'move/self.txt', destinationKey: 'move/self.txt' }));
		expect(error.message).toBe('Cannot move "move/self.txt" onto itself');
		expect((await bytesOf(source, 'move/self.txt')).toString()).toBe('s');
	});

	(real ? it : it.skip)('moves a large object by multipart copy, then deletes the source', async () => {
		const content = randomBytes(6 * MiB);
		await client.send(new PutObjectCommand({ Bucket: source, Key: 'move/big.bin', Body: content }));
		const [item] = await runNode(move({ key: 'move/big.bin', destinationKey: 'move/big-moved.bin', options: { multipartThresholdMiB: 5, partSizeMiB: 5 } }));
		expect(item.json).toMatchObject({ multipartParts: 2, moved: true });
		expect((await bytesOf(source, 'move/big-moved.bin')).equals(content)).toBe(true);
		await expect(head(source, 'move/big.bin')).rejects.toMatchObject({ name: 'NotFound' });
	});
});

(caps.versioning ? describe : describe.skip)('versions', () => {
	it('copies a chosen source version', async () => {
		const versioned = uniqueBucket('obj-cp-ver');
		await runNode({ resource: 'bucket', operation: 'create', bucketName: versioned });
		try {
			await client.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
			const v1 = await client.send(new PutObjectCommand({ Bucket: versioned, Key: 'doc.txt', Body: 'version one' }));
			await client.send(new PutObjectCommand({ Bucket: versioned, Key: 'doc.txt', Body: 'version two' }));
			const [item] = await runNode({
				resource: 'object',
				operation: 'copy',
				bucket: bucketParam(versioned),
				key: 'doc.txt',
				destinationKey: 'restored.txt',
				options: { sourceVersionId: v1.VersionId },
			});
			expect(item.json.sourceVersionId).toBe(v1.VersionId);
			const restored = await client.send(new GetObjectCommand({ Bucket: versioned, Key: 'restored.txt' }));
			expect(await restored.Body!.transformToString()).toBe('version one');
		} finally {
			await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(versioned), options: { emptyFirst: true } });
		}
	});
});
