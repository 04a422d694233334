/**
 * Folder > Get Many with Filters: one level of the folder, matching files only (sub-folders have no
 * size or date, so they are left out while a filter is set), Limit counting matches.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';

import { bucketParam, runNode } from '../support/harness';
import { recordListRequests } from '../support/listRequests';
import { rawClient, uniqueBucket } from '../support/target';

const bucket = uniqueBucket('folder-list-filter');
const client = rawClient();
const keys = ['docs/', 'docs/a.pdf', 'docs/b.txt', 'docs/c.pdf', 'docs/report-1.pdf', 'docs/report-2.pdf', 'docs/sub/d.pdf', 'top.pdf'];

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await Promise.all(keys.map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key.endsWith('/') ? Buffer.alloc(0) : `content of ${Key}` }))));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	client.destroy();
});

const list = async (parameters: Record<string, unknown>) =>
	(await runNode({ resource: 'folder', operation: 'getMany', bucket: bucketParam(bucket), folder: 'docs', returnAll: true, ...parameters })).map(
		(item) => item.json.key,
	);

it('lists the folder\'s matching files only, and Limit counts them', async () => {
	expect(await list({ filters: { keyPattern: '*.pdf' } })).toEqual(['docs/a.pdf', 'docs/c.pdf', 'docs/report-1.pdf', 'docs/report-2.pdf']);
	expect(await list({ returnAll: false, limit: 2, filters: { keyPattern: '*.pdf' } })).toEqual(['docs/a.pdf', 'docs/c.pdf']);
	expect(await list({ filters: { sizeAtLeast: 1 } })).not.toContain('docs/sub/');
});

it('a pattern with leading text lists only under it, still one level deep', async () => {
	const recorder = recordListRequests();
	try {
		expect(await list({ filters: { keyPattern: 'docs/report-*' } })).toEqual(['docs/report-1.pdf', 'docs/report-2.pdf']);
	} finally {
		recorder.stop();
	}
	expect(recorder.requests.map((request) => request.prefix)).toEqual(['docs/report-']);
});

it('without Filters, sub-folders are listed as before', async () => {
	expect(await list({})).toEqual(['docs/a.pdf', 'docs/b.txt', 'docs/c.pdf', 'docs/report-1.pdf', 'docs/report-2.pdf', 'docs/sub/']);
});
