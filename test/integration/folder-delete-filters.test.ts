/**
 * Folder > Delete with Filters: only matching keys under the folder are deleted, everything else
 * stays (checked with a plain SDK client), and the output counts both and names what went.
 */
import { CreateBucketCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';

import { bucketParam, runNode } from '../support/harness';
import { recordListRequests } from '../support/listRequests';
import { capabilities, rawClient, uniqueBucket } from '../support/target';

const client = rawClient();
const bucket = uniqueBucket('folder-filter');
const DAY = 86_400_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every key under a prefix, paged with the raw client. */
async function keysUnder(prefix: string, targetBucket = bucket): Promise<string[]> {
	const keys: string[] = [];
	let token: string | undefined;
	do {
		const page = await client.send(new ListObjectsV2Command({ Bucket: targetBucket, Prefix: prefix, ContinuationToken: token }));
		keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return keys.sort();
}

/** Puts small objects, a few at a time (the body is the key unless given). */
async function putMany(keys: string[], targetBucket = bucket, body?: (key: string) => string): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: 16 }, async () => {
			while (next < keys.length) {
				const key = keys[next++];
				await client.send(new PutObjectCommand({ Bucket: targetBucket, Key: key, Body: body ? body(key) : key }));
			}
		}),
	);
}

const deleteFolder = async (folder: string, filters: Record<string, unknown>, options: Record<string, unknown> = {}) =>
	(await runNode({ resource: 'folder', operation: 'delete', bucket: bucketParam(bucket), folder, filters, options }))[0].json;

beforeAll(async () => {
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	client.destroy();
});

it('deletes only the matching keys under the folder, and reports what it deleted and what it kept', async () => {
	const matching = ['logs/x.gz', 'logs/app/2024-01.gz', 'logs/web/2024-02.gz'];
	const notMatching = ['logs/app/2024-01.txt', 'logs/app/big.gz', 'logs/app/gz', 'logs/.gz.bak'];
	const outside = ['other/2024-01.gz', 'logs-old/2024.gz', 'logs.gz'];
	await putMany([...matching, ...notMatching, ...outside], bucket, (key) => (key.endsWith('big.gz') ? 'x'.repeat(500) : key));

	const result = await deleteFolder('logs', { keyPattern: '*.gz', sizeAtMost: 100 });
	expect(result).toEqual({
		bucket,
		folder: 'logs/',
		deleted: true,
		objectsDeleted: 3,
		failed: 0,
		objectsSkipped: 4,
		deletedKeys: [...matching].sort(),
	});
	expect(await keysUnder('')).toEqual([...notMatching, ...outside].sort());
});

it('never deletes a key that does not match, across listing pages; the named keys stop at 1,000', async () => {
	// 1,150 keys (two listing pages): every tenth is .keep, the rest .tmp.
	const keys = Array.from({ length: 1150 }, (_, i) => `bulk/${String(i).padStart(4, '0')}.${i % 10 === 0 ? 'keep' : 'tmp'}`);
	await putMany(keys);
	const keep = keys.filter((key) => key.endsWith('.keep'));

	const result = await deleteFolder('bulk', { keyPattern: 'bulk/*.tmp' });
	expect(result).toMatchObject({ deleted: true, objectsDeleted: 1035, objectsSkipped: 115, failed: 0, deletedKeysTruncated: true });
	expect(result.deletedKeys).toHaveLength(1000);
	expect((result.deletedKeys as string[]).every((key) => key.endsWith('.tmp'))).toBe(true);
	expect(await keysUnder('bulk/')).toEqual(keep);

	// Again: nothing left matches, so nothing more goes.
	expect(await deleteFolder('bulk', { keyPattern: 'bulk/*.tmp' })).toMatchObject({ objectsDeleted: 0, objectsSkipped: 115, deletedKeys: [] });
	expect(await keysUnder('bulk/')).toEqual(keep);
});

it('by age: Older Than (Days) deletes what was written before a moment and keeps what came after', async () => {
	await putMany(['age/old-1.log', 'age/sub/old-2.log']);
	// Listings give last-modified to the second: a clear gap either side of the moment (server and
	// test share this machine's clock).
	await pause(2500);
	const between = Date.now();
	await pause(2500);
	await putMany(['age/new-1.log', 'age/sub/new-2.log']);

	// Modified After a minute from now matches nothing, so nothing is deleted.
	const inAMinute = new Date(Date.now() + 60_000).toISOString();
	expect(await deleteFolder('age', { modifiedAfter: inAMinute })).toMatchObject({ objectsDeleted: 0, objectsSkipped: 4, deletedKeys: [] });

	const days = (Date.now() - between) / DAY;
	const result = await deleteFolder('age', { olderThanDays: days });
	expect(result).toMatchObject({ deleted: true, objectsDeleted: 2, objectsSkipped: 2, deletedKeys: ['age/old-1.log', 'age/sub/old-2.log'] });
	expect(await keysUnder('age/')).toEqual(['age/new-1.log', 'age/sub/new-2.log']);

	// Modified Before a minute from now: everything that is left.
	expect(await deleteFolder('age', { modifiedBefore: inAMinute, keyPattern: 'new-*' })).toMatchObject({ objectsDeleted: 2, objectsSkipped: 0 });
	expect(await keysUnder('age/')).toEqual([]);
});

it('lists only under the pattern\'s leading text, and nothing when the pattern cannot match in the folder', async () => {
	await putMany(['narrow/a/1.csv', 'narrow/b/2.csv']);
	const recorder = recordListRequests();
	try {
		expect(await deleteFolder('narrow', { keyPattern: 'elsewhere/*.csv' })).toMatchObject({ deleted: true, objectsDeleted: 0, objectsSkipped: 0 });
		expect(recorder.requests).toEqual([]);
		expect(await deleteFolder('narrow', { keyPattern: 'narrow/a/*.csv' })).toMatchObject({ objectsDeleted: 1, deletedKeys: ['narrow/a/1.csv'] });
		expect(recorder.requests.map((request) => request.prefix)).toEqual(['narrow/a/']);
	} finally {
		recorder.stop();
	}
	expect(await keysUnder('narrow/')).toEqual(['narrow/b/2.csv']);
});

it('without Filters the output is as it always was (saved workflows)', async () => {
	await putMany(['plain/1.txt', 'plain/2.txt']);
	const [item] = await runNode({ resource: 'folder', operation: 'delete', bucket: bucketParam(bucket), folder: 'plain' });
	expect(item.json).toEqual({ bucket, folder: 'plain/', deleted: true, objectsDeleted: 2, failed: 0 });
});

(capabilities().versioning ? it : it.skip)('with "Delete All Versions", only the versions that match are deleted', async () => {
	const versioned = uniqueBucket('folder-filter-ver');
	await client.send(new CreateBucketCommand({ Bucket: versioned }));
	try {
		await client.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
		await putMany(['v/a.gz', 'v/b.txt'], versioned);
		await putMany(['v/a.gz', 'v/b.txt'], versioned);
		const [item] = await runNode({
			resource: 'folder',
			operation: 'delete',
			bucket: bucketParam(versioned),
			folder: 'v',
			filters: { keyPattern: '*.gz' },
			options: { allVersions: true },
		});
		expect(item.json).toMatchObject({ deleted: true, objectsDeleted: 2, objectsSkipped: 2, deletedKeys: ['v/a.gz'] });
		const left = await client.send(new ListObjectVersionsCommand({ Bucket: versioned, Prefix: 'v/' }));
		expect((left.Versions ?? []).map((version) => version.Key)).toEqual(['v/b.txt', 'v/b.txt']);
		expect(left.DeleteMarkers ?? []).toEqual([]);
	} finally {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(versioned), options: { emptyFirst: true } });
	}
});
