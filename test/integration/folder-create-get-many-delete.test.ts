/**
 * Folder resource: the "prefix/" marker, one level of listing, and deleting everything under a
 * prefix in DeleteObjects batches, checked against the server with a plain SDK client.
 */
import {
	CreateBucketCommand,
	HeadObjectCommand,
	ListObjectVersionsCommand,
	ListObjectsV2Command,
	PutBucketVersioningCommand,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';

import { bucketParam, runNode, runNodeError } from '../support/harness';
import { capabilities, rawClient, uniqueBucket } from '../support/target';

const caps = capabilities();
const client = rawClient();
const bucket = uniqueBucket('folder');

/** Every key under a prefix, paged with the raw client. */
async function allKeys(s3: S3Client, prefix: string): Promise<string[]> {
	const keys: string[] = [];
	let token: string | undefined;
	do {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
		keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return keys;
}

/** Puts many small objects, `parallel` at a time. */
async function putMany(keys: string[], parallel = 32, targetBucket = bucket): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < keys.length) {
				const key = keys[next++];
				await client.send(new PutObjectCommand({ Bucket: targetBucket, Key: key, Body: key }));
			}
		}),
	);
}

beforeAll(async () => {
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	client.destroy();
});

describe('Create', () => {
	it('puts a zero-byte "path/" marker, adding the trailing slash', async () => {
		const [item] = await runNode({ resource: 'folder', operation: 'create', bucket: bucketParam(bucket), folder: 'docs/2024' });
		expect(item.json).toMatchObject({ bucket, folder: 'docs/2024/', key: 'docs/2024/', created: true });
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'docs/2024/' }));
		expect(head.ContentLength).toBe(0);
	});

	it('ignores leading and repeated trailing slashes', async () => {
		const [item] = await runNode({ resource: 'folder', operation: 'create', bucket: bucketParam(bucket), folder: '/media//' });
		expect(item.json.key).toBe('media/');
		await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'media/' }));
	});

	it('refuses an empty folder name', async () => {
		const error = await runNodeError({ resource: 'folder', operation: 'create', bucket: bucketParam(bucket), folder: ' / ' });
		expect(error.message).toMatch(/No folder given to create/);
	});
});

describe('Get Many', () => {
	beforeAll(async () => {
		await putMany(['tree/', 'tree/a.txt', 'tree/sub/b.txt', 'tree/sub/deeper/c.txt', 'tree/sub2/', 'tree/z.txt', 'treetop.txt']);
	});

	it('lists one level: sub-folders and files, marked, in key order, without the folder\'s own marker', async () => {
		const items = await runNode({ resource: 'folder', operation: 'getMany', bucket: bucketParam(bucket), folder: 'tree', returnAll: true });
		expect(items.map((item) => [item.json.type, item.json.key, item.json.name])).toEqual([
			['file', 'tree/a.txt', 'a.txt'],
			['folder', 'tree/sub/', 'sub'],
			['folder', 'tree/sub2/', 'sub2'],
			['file', 'tree/z.txt', 'z.txt'],
		]);
		const file = items[0].json;
		expect(file).toMatchObject({ bucket, folder: 'tree/', size: 'tree/a.txt'.length });
		expect(typeof file.lastModified).toBe('string');
		expect(file.etag).toBeTruthy();
	});

	it('lists the top level of the bucket when no folder is given', async () => {
		const items = await runNode({ resource: 'folder', operation: 'getMany', bucket: bucketParam(bucket), folder: '', returnAll: true });
		const entries = items.map((item) => `${item.json.type}:${item.json.key}`);
		expect(entries).toEqual(expect.arrayContaining(['folder:tree/', 'file:treetop.txt']));
		expect(entries).not.toContain('file:tree/a.txt');
	});

	it('stops at the limit', async () => {
		const items = await runNode({ resource: 'folder', operation: 'getMany', bucket: bucketParam(bucket), folder: 'tree/', limit: 2 });
		expect(items.map((item) => item.json.key)).toEqual(['tree/a.txt', 'tree/sub/']);
	});
});

describe('Delete', () => {
	const COUNT = 2_500;
	const keys = Array.from({ length: COUNT }, (_, index) => `big/${String(index).padStart(5, '0')}/file ${index % 7}.txt`);

	beforeAll(async () => {
		await putMany([...keys, 'big-sibling/keep.txt', 'big.txt', 'bigger/keep.txt'], 48);
	}, 300_000);

	it(`deletes all ${COUNT.toLocaleString('en')} objects under the prefix, and nothing beside it`, async () => {
		// Listing a folder of this size pages through more than one response.
		const listed = await runNode({ resource: 'folder', operation: 'getMany', bucket: bucketParam(bucket), folder: 'big', returnAll: true });
		expect(listed).toHaveLength(COUNT);
		expect(listed.every((item) => item.json.type === 'folder')).toBe(true);

		const [item] = await runNode({ resource: 'folder', operation: 'delete', bucket: bucketParam(bucket), folder: 'big' });
		expect(item.json).toEqual({ bucket, folder: 'big/', deleted: true, objectsDeleted: COUNT, failed: 0 });
		expect(await allKeys(client, 'big/')).toEqual([]);
		expect((await allKeys(client, 'big')).sort()).toEqual(['big-sibling/keep.txt', 'big.txt', 'bigger/keep.txt']);
	}, 300_000);

	it('refuses an empty folder, so a whole bucket is never deleted by accident', async () => {
		// n8n itself refuses an empty required field; an expression that resolves to nothing reaches the node.
		for (const folder of ['={{ "" }}', '/', '  ', '={{ $json.missing }}']) {
			const error = await runNodeError({ resource: 'folder', operation: 'delete', bucket: bucketParam(bucket), folder });
			expect(error.message).toMatch(/No folder given to delete/);
			expect(error.description).toMatch(/Bucket > Delete/);
		}
		expect((await allKeys(client, 'big')).length).toBe(3);
	});

	it('reports zero for a folder that holds nothing', async () => {
		const [item] = await runNode({ resource: 'folder', operation: 'delete', bucket: bucketParam(bucket), folder: 'nothing-here' });
		expect(item.json).toEqual({ bucket, folder: 'nothing-here/', deleted: true, objectsDeleted: 0, failed: 0 });
	});

	(caps.versioning ? it : it.skip)('in a versioned bucket, "Delete All Versions" leaves no versions or delete markers', async () => {
		const versioned = uniqueBucket('folder-ver');
		await client.send(new CreateBucketCommand({ Bucket: versioned }));
		try {
			await client.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
			const versionKeys = Array.from({ length: 30 }, (_, index) => `v/${index}.txt`);
			await putMany([...versionKeys, ...versionKeys, 'keep/x.txt'], 16, versioned);

			const [plain] = await runNode({ resource: 'folder', operation: 'delete', bucket: bucketParam(versioned), folder: 'v' });
			expect(plain.json).toMatchObject({ deleted: true, objectsDeleted: 30 });
			// Without the option, old versions stay behind delete markers.
			const kept = await client.send(new ListObjectVersionsCommand({ Bucket: versioned, Prefix: 'v/' }));
			expect(kept.Versions).toHaveLength(60);
			expect(kept.DeleteMarkers).toHaveLength(30);

			const [all] = await runNode({
				resource: 'folder',
				operation: 'delete',
				bucket: bucketParam(versioned),
				folder: 'v',
				options: { allVersions: true },
			});
			expect(all.json).toMatchObject({ deleted: true, objectsDeleted: 90, failed: 0 });
			const left = await client.send(new ListObjectVersionsCommand({ Bucket: versioned, Prefix: 'v/' }));
			expect(left.Versions ?? []).toHaveLength(0);
			expect(left.DeleteMarkers ?? []).toHaveLength(0);
			expect((await client.send(new ListObjectVersionsCommand({ Bucket: versioned, Prefix: 'keep/' }))).Versions).toHaveLength(1);
		} finally {
			await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(versioned), options: { emptyFirst: true } });
		}
	});
});
