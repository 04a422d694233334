/**
 * Many items at once: bounded concurrency, output in input order with the right pairedItem,
 * per-item errors in their own place, and no request per item beyond the one the operation needs.
 * Requests are counted by a small proxy in front of the server (test/support/bench-proxy.js).
 */
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { INodeExecutionData } from 'n8n-workflow';

import { startCountingProxy, type CountingProxy } from '../support/bench-proxy';
import { bucketParam, makeBinary, runSteps, setBinaryMode } from '../support/harness';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const ITEMS = 50;
const CONCURRENCY = 8;
const bucket = uniqueBucket('concurrency');
const s3 = rawClient();
let proxy: CountingProxy;

/** Items whose index is a multiple of 3 answer slowly, so completion order differs from input order. */
const slowItem = (path: string) => {
	const match = path.match(/item-(\d+)\.txt$/);
	return match && Number(match[1]) % 3 === 0 ? { delayMs: 120 } : undefined;
};

const keyOf = (index: number) => `batch/item-${String(index).padStart(2, '0')}.txt`;

beforeAll(async () => {
	await setBinaryMode('filesystem');
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	proxy = await startCountingProxy(getTarget().endpoint, { intercept: (_req, record) => slowItem(record.path) });
});

afterAll(async () => {
	await proxy.stop();
	const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
	if (listed.Contents?.length) {
		await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: listed.Contents.map((o) => ({ Key: o.Key })) } }));
	}
	await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
	s3.destroy();
});

function expectInputOrder(output: INodeExecutionData[]) {
	expect(output).toHaveLength(ITEMS);
	output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
}

describe('items run concurrently but answer in input order', () => {
	it(`uploads ${ITEMS} items ${CONCURRENCY} at a time: input order, pairedItem, one PUT per item and nothing else`, async () => {
		const items: INodeExecutionData[] = [];
		for (let index = 0; index < ITEMS; index++) {
			const binary = await makeBinary(Buffer.from(`content of item ${index}`), `item-${index}.txt`, 'text/plain');
			items.push({ json: { key: keyOf(index) }, binary: { data: binary as never } });
		}
		proxy.reset();
		const run = await runSteps(
			[
				{
					name: 'Upload',
					parameters: {
						resource: 'object',
						operation: 'upload',
						bucket: bucketParam(bucket),
						binaryPropertyName: 'data',
						key: '={{ $json.key }}',
						options: { concurrency: CONCURRENCY },
					},
				},
			],
			items,
			{ credential: credentialFor(getTarget(), { endpoint: proxy.endpoint }) },
		);
		expect(run.nodeError('Upload')).toBeUndefined();
		const output = run.output('Upload')!;
		expectInputOrder(output);
		output.forEach((item, index) => expect(item.json).toMatchObject({ key: keyOf(index), size: `content of item ${index}`.length }));

		const stats = proxy.stats();
		// exactly the work asked for: no GetBucketLocation, HeadBucket or HeadObject per item
		expect(stats.byOperation).toEqual({ 'PUT object': ITEMS });
		// concurrency is used, and bounded
		expect(stats.peakInFlight).toBeGreaterThan(1);
		expect(stats.peakInFlight).toBeLessThanOrEqual(CONCURRENCY);
		// keep-alive: connections are reused rather than opened per item
		expect(stats.connectionsUsed).toBeLessThanOrEqual(CONCURRENCY);
		// the slow items really finished after later ones, so the order above was restored, not incidental
		const finished = (index: number) => proxy.requests.find((r) => r.path === `/${bucket}/${keyOf(index)}`)!.finishedAt!;
		expect(finished(0)).toBeGreaterThan(finished(1));
	});

	it('puts a failing item (17) in its own place under Continue On Fail, the others succeed', async () => {
		for (let index = 0; index < ITEMS; index++) {
			if (index !== 17) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(index), Body: `item ${index}` }));
		}
		await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(17), Body: 'x' }));
		const items = Array.from({ length: ITEMS }, (_, index) => ({
			json: { key: index === 17 ? 'batch/missing-key.txt' : keyOf(index) },
		}));
		proxy.reset();
		const run = await runSteps(
			[
				{
					name: 'Download',
					continueOnFail: true,
					parameters: {
						resource: 'object',
						operation: 'download',
						bucket: bucketParam(bucket),
						key: '={{ $json.key }}',
						binaryPropertyName: 'data',
						options: { concurrency: CONCURRENCY },
					},
				},
			],
			items,
			{ credential: credentialFor(getTarget(), { endpoint: proxy.endpoint }) },
		);
		const output = run.output('Download')!;
		expectInputOrder(output);
		expect(output[17].json.error).toEqual(expect.stringContaining('batch/missing-key.txt'));
		expect(output[17].binary).toBeUndefined();
		output.forEach((item, index) => {
			if (index === 17) return;
			expect(item.json.error).toBeUndefined();
			expect(item.json.key).toBe(keyOf(index));
			expect(item.binary?.data).toBeDefined();
		});
		expect(proxy.stats().byOperation).toEqual({ 'GET object': ITEMS });
	});

	it('without Continue On Fail, stops with the first failing item in input order', async () => {
		const items = Array.from({ length: ITEMS }, (_, index) => ({
			json: { key: index === 17 || index === 40 ? `batch/missing-${index}.txt` : keyOf(index) },
		}));
		const run = await runSteps(
			[
				{
					name: 'Download',
					parameters: {
						resource: 'object',
						operation: 'download',
						bucket: bucketParam(bucket),
						key: '={{ $json.key }}',
						binaryPropertyName: 'data',
						options: { concurrency: CONCURRENCY },
					},
				},
			],
			items,
			{ credential: credentialFor(getTarget(), { endpoint: proxy.endpoint }) },
		);
		const error = run.nodeError('Download');
		expect(error?.message).toEqual(expect.stringContaining('batch/missing-17.txt'));
	});
});
