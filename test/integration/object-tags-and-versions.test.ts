/**
 * Object > Get Tags, Set Tags, Delete Tags; Get Many Versions and the version ID option of
 * Download, Read, Get Metadata and Delete (versioning runs where the server has it: Ceph RGW).
 */
import { GetObjectTaggingCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';

import { binaryToBuffer, bucketParam, runNode, runNodeError } from '../support/harness';
import { capabilities, rawClient, uniqueBucket } from '../support/target';

const caps = capabilities();
const client = rawClient();

describe('tags', () => {
	const bucket = uniqueBucket('obj-tags');

	beforeAll(async () => {
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged.txt', Body: 'x' }));
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	});

	const op = (operation: string, extra: Record<string, unknown> = {}) =>
		runNode({ resource: 'object', operation, bucket: bucketParam(bucket), key: 'tagged.txt', ...extra });
	const serverTags = async () => (await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged.txt' }))).TagSet ?? [];

	it('Set Tags stores the tags, Get Tags returns them as an object', async () => {
		const [set] = await op('setTags', { tags: { tags: [{ key: 'project', value: 'apollo 11' }, { key: 'owner', value: 'a+b=c' }] } });
		expect(set.json).toMatchObject({ bucket, key: 'tagged.txt', tags: { project: 'apollo 11', owner: 'a+b=c' } });
		expect(await serverTags()).toEqual(expect.arrayContaining([{ Key: 'project', Value: 'apollo 11' }, { Key: 'owner', Value: 'a+b=c' }]));
		const [got] = await op('getTags');
		expect(got.json).toMatchObject({ bucket, key: 'tagged.txt', tags: { project: 'apollo 11', owner: 'a+b=c' } });
	});

	it('Set Tags replaces all existing tags', async () => {
		await op('setTags', { tags: { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] } });
		await op('setTags', { tags: { tags: [{ key: 'c', value: '3' }] } });
		expect(await serverTags()).toEqual([{ Key: 'c', Value: '3' }]);
		expect((await op('getTags'))[0].json.tags).toEqual({ c: '3' });
	});

	it('Set Tags with Mode Merge adds and updates the given tags and keeps the rest', async () => {
		await op('setTags', { tags: { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] } });
		const [merged] = await op('setTags', { tags: { tags: [{ key: 'b', value: 'two' }, { key: 'c', value: '3' }] }, options: { mode: 'merge' } });
		expect(merged.json.tags).toEqual({ a: '1', b: 'two', c: '3' });
		expect(await serverTags()).toEqual(
			expect.arrayContaining([{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two' }, { Key: 'c', Value: '3' }]),
		);
		expect((await serverTags()).length).toBe(3);
		// Merging nothing changes nothing; Replace (the default) still replaces
		await op('setTags', { tags: {}, options: { mode: 'merge' } });
		expect((await op('getTags'))[0].json.tags).toEqual({ a: '1', b: 'two', c: '3' });
		await op('setTags', { tags: { tags: [{ key: 'd', value: '4' }] }, options: { mode: 'replace' } });
		expect(await serverTags()).toEqual([{ Key: 'd', Value: '4' }]);
	});

	it('Set Tags with Mode Merge refuses to go over 10 tags and leaves the tags as they were', async () => {
		const ten = Array.from({ length: 10 }, (_, index) => ({ key: `k${index}`, value: String(index) }));
		await op('setTags', { tags: { tags: ten } });
		const error = await runNodeError({
			resource: 'object',
			operation: 'setTags',
			bucket: bucketParam(bucket),
			key: 'tagged.txt',
			tags: { tags: [{ key: 'k0', value: 'updated' }, { key: 'eleventh', value: 'x' }] },
			options: { mode: 'merge' },
		});
		expect(error.message).toBe('Merging gives the object 11 tags; an object can have at most 10');
		expect((await serverTags()).length).toBe(10);
		expect(await serverTags()).toEqual(expect.arrayContaining([{ Key: 'k0', Value: '0' }]));
		// Updating existing keys only stays within the limit
		await op('setTags', { tags: { tags: [{ key: 'k0', value: 'updated' }] }, options: { mode: 'merge' } });
		expect(await serverTags()).toEqual(expect.arrayContaining([{ Key: 'k0', Value: 'updated' }, { Key: 'k9', Value: '9' }]));
	});

	it('Delete Tags removes them all and keeps the object', async () => {
		await op('setTags', { tags: { tags: [{ key: 'gone', value: 'soon' }] } });
		const [deleted] = await op('deleteTags');
		expect(deleted.json).toMatchObject({ bucket, key: 'tagged.txt', deleted: true });
		expect(await serverTags()).toEqual([]);
		expect((await op('getTags'))[0].json.tags).toEqual({});
		expect((await op('getMetadata'))[0].json.exists).toBe(true);
	});

	it('duplicate tag keys and over-long tags are refused before any request', async () => {
		const duplicate = await runNodeError({
			resource: 'object',
			operation: 'setTags',
			bucket: bucketParam(bucket),
			key: 'tagged.txt',
			tags: { tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] },
		});
		expect(duplicate.message).toBe('Tag "a" is given twice');
		const long = await runNodeError({
			resource: 'object',
			operation: 'setTags',
			bucket: bucketParam(bucket),
			key: 'tagged.txt',
			tags: { tags: [{ key: 'k', value: 'v'.repeat(257) }] },
		});
		expect(long.message).toBe('Tag "k" is too long');
	});

	it('tags of a missing object: an error naming it', async () => {
		const error = await runNodeError({ resource: 'object', operation: 'setTags', bucket: bucketParam(bucket), key: 'nope.txt', tags: {} });
		expect(error.message).toBe(`Object "nope.txt" not found in bucket "${bucket}" [item 0]`);
	});
});

(caps.versioning ? describe : describe.skip)('versions', () => {
	const bucket = uniqueBucket('obj-ver');
	const versions: Record<string, string> = {};

	beforeAll(async () => {
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
		for (const [name, text] of [
			['v1', 'first'],
			['v2', 'second!'],
		]) {
			const [item] = await runNode({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), dataSource: 'text', text, key: 'doc.txt' });
			versions[name] = item.json.versionId as string;
		}
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt.bak', Body: 'backup' }));
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'other.txt', Body: 'other' }));
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	});

	const versionsOf = (prefix: string, extra: Record<string, unknown> = {}) =>
		runNode({ resource: 'object', operation: 'getManyVersions', bucket: bucketParam(bucket), prefix, returnAll: true, ...extra });

	it('upload returns the new version ID', () => {
		expect(versions.v1).toMatch(/.+/);
		expect(versions.v2).toMatch(/.+/);
		expect(versions.v1).not.toBe(versions.v2);
	});

	it('Download, Read and Get Metadata read an older version by ID', async () => {
		const [downloaded] = await runNode({
			resource: 'object',
			operation: 'download',
			bucket: bucketParam(bucket),
			key: 'doc.txt',
			binaryPropertyName: 'data',
			options: { versionId: versions.v1 },
		});
		expect((await binaryToBuffer(downloaded.binary!.data)).toString()).toBe('first');
		expect(downloaded.json.versionId).toBe(versions.v1);

		const [read] = await runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'doc.txt', options: { versionId: versions.v1 } });
		expect(read.json).toMatchObject({ objectData: 'first', versionId: versions.v1 });
		const [current] = await runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'doc.txt' });
		expect(current.json).toMatchObject({ objectData: 'second!', versionId: versions.v2 });

		const [meta] = await runNode({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: 'doc.txt', options: { versionId: versions.v1 } });
		expect(meta.json).toMatchObject({ exists: true, size: 5, versionId: versions.v1 });
	});

	it('tags can be set and read on one version', async () => {
		await runNode({
			resource: 'object',
			operation: 'setTags',
			bucket: bucketParam(bucket),
			key: 'doc.txt',
			tags: { tags: [{ key: 'old', value: 'yes' }] },
			options: { versionId: versions.v1 },
		});
		const [older] = await runNode({ resource: 'object', operation: 'getTags', bucket: bucketParam(bucket), key: 'doc.txt', options: { versionId: versions.v1 } });
		expect(older.json.tags).toEqual({ old: 'yes' });
		const [latest] = await runNode({ resource: 'object', operation: 'getTags', bucket: bucketParam(bucket), key: 'doc.txt' });
		expect(latest.json.tags).toEqual({});
	});

	it('Set Tags with Mode Merge merges into the tags of the given version only', async () => {
		const params = { resource: 'object', operation: 'setTags', bucket: bucketParam(bucket), key: 'doc.txt' };
		await runNode({ ...params, tags: { tags: [{ key: 'keep', value: '1' }] }, options: { versionId: versions.v1 } });
		await runNode({ ...params, tags: { tags: [{ key: 'added', value: '2' }] }, options: { versionId: versions.v1, mode: 'merge' } });
		const [older] = await runNode({ resource: 'object', operation: 'getTags', bucket: bucketParam(bucket), key: 'doc.txt', options: { versionId: versions.v1 } });
		expect(older.json.tags).toEqual({ keep: '1', added: '2' });
		const [latest] = await runNode({ resource: 'object', operation: 'getTags', bucket: bucketParam(bucket), key: 'doc.txt' });
		expect(latest.json.tags).toEqual({});
	});

	it('Get Many Versions lists versions newest first; Exact Key Only leaves out longer keys; Limit stops early', async () => {
		const byPrefix = await versionsOf('doc.txt');
		expect(byPrefix.map((item) => item.json.key)).toEqual(['doc.txt', 'doc.txt', 'doc.txt.bak']);
		const exact = await versionsOf('doc.txt', { options: { exactKey: true } });
		expect(exact.map((item) => [item.json.versionId, item.json.isLatest, item.json.isDeleteMarker])).toEqual([
			[versions.v2, true, false],
			[versions.v1, false, false],
		]);
		expect(exact[0].json).toMatchObject({ size: 7, storageClass: 'STANDARD' });
		expect(exact[0].json.etag).toBeDefined();
		expect(exact[0].json.lastModified).toMatch(/^\d{4}-/);
		const all = await versionsOf('');
		expect(all.map((item) => item.json.key)).toEqual(['doc.txt', 'doc.txt', 'doc.txt.bak', 'other.txt']);
		const limited = await runNode({ resource: 'object', operation: 'getManyVersions', bucket: bucketParam(bucket), prefix: '', returnAll: false, limit: 3 });
		expect(limited).toHaveLength(3);
	});

	it('Delete without a version adds a delete marker; with one, removes that version for good', async () => {
		const [marker] = await runNode({ resource: 'object', operation: 'delete', bucket: bucketParam(bucket), key: 'doc.txt' });
		expect(marker.json).toMatchObject({ deleted: true, deleteMarker: true });
		expect(marker.json.deleteMarkerVersionId).toMatch(/.+/);

		const afterMarker = await versionsOf('doc.txt', { options: { exactKey: true } });
		expect(afterMarker.map((item) => [item.json.isDeleteMarker, item.json.isLatest])).toEqual([
			[true, true],
			[false, false],
			[false, false],
		]);
		expect(afterMarker[0].json.size).toBeUndefined();
		const missing = await runNode({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: 'doc.txt', options: { notFoundAsFalse: true } });
		expect(missing[0].json.exists).toBe(false);

		const [gone] = await runNode({ resource: 'object', operation: 'delete', bucket: bucketParam(bucket), key: 'doc.txt', options: { versionId: versions.v1 } });
		expect(gone.json).toMatchObject({ key: 'doc.txt', versionId: versions.v1, deleted: true });
		const remaining = await versionsOf('doc.txt', { options: { exactKey: true } });
		expect(remaining.map((item) => item.json.versionId)).not.toContain(versions.v1);
		expect(remaining).toHaveLength(2);

		// the older version is still readable by ID after the delete marker
		const [read] = await runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'doc.txt', options: { versionId: versions.v2 } });
		expect(read.json.objectData).toBe('second!');
	});

	it('an unknown version ID is an error', async () => {
		const error = await runNodeError({
			resource: 'object',
			operation: 'read',
			bucket: bucketParam(bucket),
			key: 'other.txt',
			options: { versionId: 'no-such-version-id' },
		});
		expect(error.message).toMatch(/other\.txt/);
	});
});

(caps.versioning ? it.skip : it)('Get Many Versions on a server without versioning is an error naming the bucket', async () => {
	const bucket = uniqueBucket('obj-nover');
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	try {
		const error = await runNodeError({ resource: 'object', operation: 'getManyVersions', bucket: bucketParam(bucket), prefix: '', returnAll: true });
		expect(error.message).toMatch(new RegExp(`list object versions in bucket "${bucket}"`));
	} finally {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket) });
	}
});
