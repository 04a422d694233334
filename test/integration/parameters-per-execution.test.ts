/**
 * Parameters that cannot differ between items are read once per execution; expressions still give
 * each item its own value. And the default number of items in flight (16), with a saved Concurrency
 * kept as saved. Reads of parameters are counted on n8n's own getNodeParameter (n8n-core), requests
 * in flight by a small proxy in front of the server.
 */
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import * as core from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import { startCountingProxy, type CountingProxy } from '../support/bench-proxy';
import { binaryToBuffer, bucketParam, runNode, runSteps, setBinaryMode } from '../support/harness';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const bucket = uniqueBucket('params');
const s3 = rawClient();

/** Counts n8n's parameter resolutions by name (ExecuteContext.getNodeParameter ends in `_getNodeParameter`). */
function countParameterReads() {
	let owner: object | null = core.ExecuteContext.prototype;
	while (owner && !Object.prototype.hasOwnProperty.call(owner, '_getNodeParameter')) owner = Object.getPrototypeOf(owner);
	if (!owner) throw new Error('n8n-core has no _getNodeParameter any more: update this test');
	const spy = jest.spyOn(owner as { _getNodeParameter: (name: string) => unknown }, '_getNodeParameter');
	return {
		of: (name: string) => spy.mock.calls.filter(([called]) => called === name).length,
		restore: () => spy.mockRestore(),
	};
}

beforeAll(async () => {
	await setBinaryMode('filesystem');
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
	const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
	if (listed.Contents?.length) {
		await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: listed.Contents.map((o) => ({ Key: o.Key })) } }));
	}
	await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
	s3.destroy();
});

const items = [
	{ json: { key: 'first.txt', body: 'one' } },
	{ json: { key: 'second.txt', body: 'two two' } },
	{ json: { key: 'third.txt', body: 'three three three' } },
];

describe('constant parameters are read once per execution, expressions per item', () => {
	it('uploads three items with their own keys and texts; the bucket, data source and options are read once', async () => {
		const reads = countParameterReads();
		try {
			const output = await runNode(
				{
					resource: 'object',
					operation: 'upload',
					bucket: bucketParam(bucket),
					dataSource: 'text',
					text: '={{ $json.body }}',
					key: '={{ $json.key }}',
					options: { folder: 'in', contentType: 'text/plain' },
				},
				items,
			);
			expect(output.map((item) => item.json.key)).toEqual(['in/first.txt', 'in/second.txt', 'in/third.txt']);
			expect(output.map((item) => item.json.size)).toEqual([3, 7, 17]);
			expect(reads.of('bucket')).toBe(1);
			expect(reads.of('dataSource')).toBe(1);
			expect(reads.of('options')).toBe(1);
			expect(reads.of('options.folder')).toBe(1);
			expect(reads.of('key')).toBe(3);
			expect(reads.of('text')).toBe(3);
		} finally {
			reads.restore();
		}
		for (const [index, item] of items.entries()) {
			const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `in/${item.json.key}` }));
			expect(await stored.Body!.transformToString()).toBe(items[index].json.body);
		}
	});

	it('downloads each item\'s own key with the bucket and output field read once, and a new run reads them again', async () => {
		const parameters = {
			resource: 'object',
			operation: 'download',
			bucket: bucketParam(bucket),
			key: '={{ "in/" + $json.key }}',
			binaryPropertyName: 'file',
			options: {},
		};
		for (let run = 1; run <= 2; run++) {
			const reads = countParameterReads();
			try {
				const output = await runNode(parameters, items);
				const contents = await Promise.all(output.map(async (item) => (await binaryToBuffer(item.binary!.file)).toString()));
				expect(contents).toEqual(items.map((item) => item.json.body));
				expect(reads.of('bucket')).toBe(1);
				expect(reads.of('binaryPropertyName')).toBe(1);
				expect(reads.of('key')).toBe(3);
			} finally {
				reads.restore();
			}
		}
	});

	it('reads a bucket given by an expression per item: each item goes to its own bucket', async () => {
		const reads = countParameterReads();
		try {
			const output = await runNode(
				{
					resource: 'object',
					operation: 'getMetadata',
					bucket: { __rl: true, mode: 'name', value: '={{ $json.bucket }}' },
					key: '={{ "in/" + $json.key }}',
					options: { notFoundAsFalse: true },
				},
				[
					{ json: { bucket, key: 'first.txt' } },
					{ json: { bucket, key: 'missing.txt' } },
				],
			);
			expect(output.map((item) => item.json.exists)).toEqual([true, false]);
			expect(reads.of('bucket')).toBe(2);
			expect(reads.of('options')).toBe(1);
		} finally {
			reads.restore();
		}
	});
});

describe('items in flight', () => {
	let proxy: CountingProxy;
	beforeAll(async () => {
		// Every request waits a little, so items overlap as much as the node lets them.
		proxy = await startCountingProxy(getTarget().endpoint, { intercept: () => ({ delayMs: 60 }) });
	});
	afterAll(async () => await proxy.stop());

	const metadataOf = async (options: IDataObject) => {
		proxy.reset();
		const run = await runSteps(
			[{ name: 'Head', parameters: { resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: 'in/first.txt', options } }],
			Array.from({ length: 48 }, () => ({ json: {} })),
			{ credential: credentialFor(getTarget(), { endpoint: proxy.endpoint }) },
		);
		expect(run.nodeError('Head')).toBeUndefined();
		expect(run.output('Head')).toHaveLength(48);
		return proxy.stats().peakInFlight;
	};

	it('runs up to 16 items at once by default', async () => {
		const peak = await metadataOf({});
		expect(peak).toBeGreaterThan(8);
		expect(peak).toBeLessThanOrEqual(16);
	});

	it('keeps a Concurrency saved with the workflow, e.g. the former default of 8', async () => {
		expect(await metadataOf({ concurrency: 8 })).toBeLessThanOrEqual(8);
	});
});
