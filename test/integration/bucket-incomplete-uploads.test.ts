/**
 * Bucket > Get Many Incomplete Uploads and Bucket > Abort Incomplete Uploads: multipart uploads
 * that were started and never finished are listed with their age, and aborted (all under a prefix,
 * or older than N hours), which frees their stored parts. Uploads are arranged with the raw client
 * (CreateMultipartUpload + one UploadPart) and checked with ListMultipartUploads. s3rver cannot
 * list multipart uploads: there, only the message saying so is tested.
 */
import {
	CreateBucketCommand,
	CreateMultipartUploadCommand,
	DeleteBucketPolicyCommand,
	ListMultipartUploadsCommand,
	PutBucketPolicyCommand,
	UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { bucketParam, runNode, runNodeError, runSteps } from '../support/harness';
import { capabilities, rawClient, uniqueBucket } from '../support/target';

const caps = capabilities();
const itListing = caps.multipartAbort ? it : it.skip;
const client = rawClient();
const buckets: string[] = [];

async function newBucket(label: string): Promise<string> {
	const name = uniqueBucket(label);
	await client.send(new CreateBucketCommand({ Bucket: name }));
	buckets.push(name);
	return name;
}

/** Starts an upload and stores one part, as an interrupted upload leaves it. */
async function startUpload(bucket: string, key: string, withPart = true): Promise<string> {
	const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
	if (withPart) {
		await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 7) }));
	}
	return UploadId!;
}

/** What the server still holds: "key uploadId" per incomplete upload, every page. */
async function storedUploads(bucket: string): Promise<string[]> {
	const found: string[] = [];
	let keyMarker: string | undefined;
	let uploadIdMarker: string | undefined;
	for (;;) {
		const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
		found.push(...(page.Uploads ?? []).map((upload) => `${upload.Key} ${upload.UploadId}`));
		if (!page.IsTruncated) return found.sort();
		keyMarker = page.NextKeyMarker;
		uploadIdMarker = page.NextUploadIdMarker;
	}
}

const list = (bucket: string, extra: IDataObject = {}) =>
	runNode({ resource: 'bucket', operation: 'getManyIncompleteUploads', bucket: bucketParam(bucket), returnAll: true, ...extra });
const abort = (bucket: string, extra: IDataObject = {}) =>
	runNode({ resource: 'bucket', operation: 'abortIncompleteUploads', bucket: bucketParam(bucket), ...extra });

afterAll(async () => {
	for (const bucket of buckets) {
		if (caps.multipartAbort) await abort(bucket, { olderThanHours: 0 });
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	}
	client.destroy();
});

describe('Get Many Incomplete Uploads', () => {
	let bucket: string;
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		if (!caps.multipartAbort) return;
		bucket = await newBucket('mpu-list');
		ids.old1 = await startUpload(bucket, 'old/a.bin');
		ids.old2 = await startUpload(bucket, 'old/a.bin');
		ids.old3 = await startUpload(bucket, 'old/b.bin', false);
		// 0.001 hours is 3.6 s: wait past it before starting the "new" uploads.
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		ids.new1 = await startUpload(bucket, 'new/c.bin');
	}, 60_000);

	itListing('lists every incomplete upload with its key, upload ID, start time and age', async () => {
		const before = Date.now();
		const items = await list(bucket);
		expect(items.map((item) => `${item.json.key} ${item.json.uploadId}`).sort()).toEqual(await storedUploads(bucket));
		expect(items).toHaveLength(4);
		const newest = items.find((item) => item.json.uploadId === ids.new1)!;
		expect(newest.json).toMatchObject({ bucket, key: 'new/c.bin', uploadId: ids.new1 });
		const initiated = Date.parse(newest.json.initiated as string);
		expect(initiated).toBeLessThanOrEqual(before + 1_000);
		expect(initiated).toBeGreaterThan(before - 60_000);
		expect(newest.json.ageHours).toBeGreaterThanOrEqual(0);
		expect(newest.json.ageHours).toBeLessThan(0.02);
		const oldest = items.find((item) => item.json.uploadId === ids.old1)!;
		expect(oldest.json.ageHours as number).toBeGreaterThanOrEqual(0);
		expect(Date.parse(oldest.json.initiated as string)).toBeLessThan(initiated);
	});

	itListing('filters by prefix and by age, and stops at the limit', async () => {
		const underOld = await list(bucket, { options: { prefix: 'old/' } });
		expect(underOld.map((item) => item.json.uploadId).sort()).toEqual([ids.old1, ids.old2, ids.old3].sort());

		const older = await list(bucket, { options: { olderThanHours: 0.001 } });
		expect(older.map((item) => item.json.key).sort()).toEqual(['old/a.bin', 'old/a.bin', 'old/b.bin']);
		expect(older.every((item) => (item.json.ageHours as number) >= 0.001)).toBe(true);

		const limited = await list(bucket, { returnAll: false, limit: 2 });
		expect(limited).toHaveLength(2);
	});

	itListing('refuses an age that is not a number of hours, naming the item', async () => {
		const error = await runNodeError({
			resource: 'bucket',
			operation: 'getManyIncompleteUploads',
			bucket: bucketParam(bucket),
			returnAll: true,
			options: { olderThanHours: -1 },
		});
		expect(error.message).toBe('The "Older Than (Hours)" of item 0 is -1; it must be a number of hours, 0 or more');
	});
});

describe('Abort Incomplete Uploads', () => {
	itListing('aborts only the uploads older than N hours, leaves running ones, and sums up', async () => {
		const bucket = await newBucket('mpu-abort-age');
		const old = [await startUpload(bucket, 'x/1.bin'), await startUpload(bucket, 'y/2.bin')];
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		const running = await startUpload(bucket, 'x/3.bin');

		const [summary] = await abort(bucket, { olderThanHours: 0.001 });
		expect(summary.json).toEqual({ bucket, prefix: '', olderThanHours: 0.001, uploadsAborted: 2, uploadsFailed: 0 });
		expect(await storedUploads(bucket)).toEqual([`x/3.bin ${running}`]);
		// The aborted uploads' parts are gone: the upload IDs no longer take parts.
		await expect(
			client.send(new UploadPartCommand({ Bucket: bucket, Key: 'x/1.bin', UploadId: old[0], PartNumber: 2, Body: 'late' })),
		).rejects.toMatchObject({ name: 'NoSuchUpload' });

		// Nothing older is left: a second run aborts nothing.
		const [again] = await abort(bucket, { olderThanHours: 0.001 });
		expect(again.json).toMatchObject({ uploadsAborted: 0, uploadsFailed: 0 });
	}, 60_000);

	itListing('aborts every upload under a prefix, one item per upload', async () => {
		const bucket = await newBucket('mpu-abort-prefix');
		const inside = [await startUpload(bucket, 'tmp/a.bin'), await startUpload(bucket, 'tmp/deep/b.bin')];
		const outside = await startUpload(bucket, 'tmpfile.bin');

		const items = await abort(bucket, { prefix: 'tmp/', olderThanHours: 0, options: { output: 'perUpload' } });
		expect(items.map((item) => [item.json.key, item.json.uploadId, item.json.aborted])).toEqual([
			['tmp/a.bin', inside[0], true],
			['tmp/deep/b.bin', inside[1], true],
		]);
		expect(items.every((item) => typeof item.json.initiated === 'string' && typeof item.json.ageHours === 'number')).toBe(true);
		expect(await storedUploads(bucket)).toEqual([`tmpfile.bin ${outside}`]);
	});

	itListing('pages through more than 1,000 uploads, listing and aborting each once', async () => {
		const bucket = await newBucket('mpu-many');
		const keys = Array.from({ length: 1_003 }, (_, index) => `many/${String(index % 400).padStart(4, '0')}.bin`);
		let next = 0;
		await Promise.all(
			Array.from({ length: 24 }, async () => {
				while (next < keys.length) await startUpload(bucket, keys[next++], false);
			}),
		);
		const listed = await list(bucket);
		expect(listed).toHaveLength(1_003);
		expect(new Set(listed.map((item) => item.json.uploadId)).size).toBe(1_003);

		const [summary] = await abort(bucket, { olderThanHours: 0 });
		expect(summary.json).toMatchObject({ uploadsAborted: 1_003, uploadsFailed: 0 });
		expect(await storedUploads(bucket)).toEqual([]);
	}, 180_000);

	itListing('uploads the server refuses to abort are reported with code and message; all refused fails the item', async () => {
		const bucket = await newBucket('mpu-abort-denied');
		const guarded = await startUpload(bucket, 'guarded/keep.bin');
		const open = await startUpload(bucket, 'open/go.bin');
		const policy = {
			Version: '2012-10-17',
			Statement: [{ Effect: 'Deny', Principal: '*', Action: ['s3:AbortMultipartUpload'], Resource: [`arn:aws:s3:::${bucket}/guarded/*`] }],
		};
		await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
		try {
			const items = await abort(bucket, { olderThanHours: 0, options: { output: 'perUpload' } });
			expect(items.map((item) => [item.json.key, item.json.aborted, item.json.errorCode])).toEqual([
				['guarded/keep.bin', false, 'AccessDenied'],
				['open/go.bin', true, undefined],
			]);
			expect(items[0].json.errorMessage).toMatch(new RegExp(`abort upload ID "${guarded}" of object "guarded/keep.bin"`));

			// Only refused uploads left: nothing could be cleaned up, so the item fails (an error item under Continue On Fail).
			const run = await runSteps([
				{
					name: 'S3',
					continueOnFail: true,
					parameters: { resource: 'bucket', operation: 'abortIncompleteUploads', bucket: bucketParam(bucket), olderThanHours: 0 },
				},
			]);
			expect(run.output('S3')![0].json.error).toMatch(/Access denied/);
		} finally {
			await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
		}
		expect(await storedUploads(bucket)).toEqual([`guarded/keep.bin ${guarded}`]);
		expect(open).toBeTruthy();
	});
});

(caps.multipartAbort ? it.skip : it)('on a server that cannot list multipart uploads, says so', async () => {
	const bucket = await newBucket('mpu-unsupported');
	for (const operation of ['getManyIncompleteUploads', 'abortIncompleteUploads']) {
		const error = await runNodeError({ resource: 'bucket', operation, bucket: bucketParam(bucket), returnAll: true, olderThanHours: 0 });
		expect(error.message).toBe(`This server cannot list incomplete multipart uploads (bucket "${bucket}")`);
		expect(error.description).toMatch(/lifecycle rule/);
	}
});
