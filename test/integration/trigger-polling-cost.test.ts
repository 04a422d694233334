/**
 * What one poll of the S3 Storage Trigger costs over a large prefix: wall time, S3 requests,
 * memory, and the size of the state n8n stores. The suite runs it over 2,000 keys; the README's
 * figures come from 100,000:
 *   S3_TRIGGER_COST_KEYS=100000 node --expose-gc node_modules/.bin/jest test/integration/trigger-polling-cost.test.ts
 */
import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectsCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';

import { getClient } from '../../nodes/S3Storage/transport/client';
import { S3StorageTrigger } from '../../nodes/S3StorageTrigger/S3StorageTrigger.node';
import { MAX_TRACKED } from '../../nodes/S3StorageTrigger/tracker';
import * as engine from '../support/engine';
import { bucketParam, setBinaryMode } from '../support/harness';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const KEYS = Number(process.env.S3_TRIGGER_COST_KEYS ?? 2000);
const NEW_KEYS = 100;

jest.setTimeout(Math.max(120_000, KEYS * 20));

let s3: S3Client;
let bucket: string;

async function putKeys(keys: string[], parallel = 64) {
	let next = 0;
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < keys.length) {
				const key = keys[next++];
				await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
			}
		}),
	);
}

function keyName(i: number) {
	return `bench/${String(Math.floor(i / 1000)).padStart(3, '0')}/object-${String(i).padStart(6, '0')}.json`;
}

beforeAll(async () => {
	s3 = rawClient();
	bucket = uniqueBucket('trg-cost');
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	await setBinaryMode('filesystem');
});

afterAll(async () => {
	let token: string | undefined;
	do {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
		if (page.Contents?.length) {
			await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key })), Quiet: true } }));
		}
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
	s3.destroy();
});

it(`one poll over ${KEYS.toLocaleString('en-US')} keys: time, requests, memory, state size`, async () => {
	const started = Date.now();
	await putKeys(Array.from({ length: KEYS }, (_, i) => keyName(i)));
	const arrangeSeconds = (Date.now() - started) / 1000;

	const credential = credentialFor(getTarget());
	// Count the requests the trigger's own (cached) client sends.
	let requests = 0;
	getClient(credential).client.middlewareStack.add(
		(next) => async (args) => {
			requests += 1;
			return await next(args);
		},
		{ step: 'finalizeRequest', name: 'countRequests' },
	);
	const workflow = {
		nodes: [
			{
				id: 'trigger',
				name: 'S3 Storage Trigger',
				type: 'n8n-nodes-s3-storage.s3StorageTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, bucket: bucketParam(bucket), prefix: 'bench/' },
				credentials: { s3StorageApi: { id: '1', name: 'S3' } },
			},
		],
		connections: {},
	};
	let saved = '{}';
	const measure = async () => {
		requests = 0;
		(globalThis as { gc?: () => void }).gc?.();
		const baseline = process.memoryUsage().heapUsed;
		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
		const t0 = Date.now();
		const result = await engine.pollTrigger(workflow, {
			nodes: { s3StorageTrigger: new S3StorageTrigger() },
			credentials: { s3StorageApi: credential },
			staticData: JSON.parse(saved),
		});
		const seconds = (Date.now() - t0) / 1000;
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		if (result.staticDataChanged) saved = JSON.stringify(result.staticData);
		return { result, seconds, requests, heapMiB: (peak - baseline) / 1024 / 1024 };
	};

	const first = await measure();
	const idle = await measure();
	await putKeys(Array.from({ length: NEW_KEYS }, (_, i) => `bench/new/${i}.json`));
	const withNew = await measure();

	const pages = Math.ceil(KEYS / 1000);
	const report = {
		server: getTarget().server,
		keys: KEYS,
		arrangeSeconds,
		firstActivation: { seconds: first.seconds, requests: first.requests, heapMiB: first.heapMiB.toFixed(1) },
		idlePoll: { seconds: idle.seconds, requests: idle.requests, heapMiB: idle.heapMiB.toFixed(1) },
		pollWith100New: { seconds: withNew.seconds, requests: withNew.requests, emitted: withNew.result.items.length },
		stateBytes: saved.length,
	};
	// eslint-disable-next-line no-console
	console.log(JSON.stringify(report, null, 2));

	expect(first.result.response).toBeNull();
	expect(first.requests).toBe(pages);
	expect(idle.result.response).toBeNull();
	expect(idle.result.staticDataChanged).toBe(false);
	expect(idle.requests).toBe(pages);
	expect(withNew.result.items.map((item) => item.json.key).sort()).toEqual(
		Array.from({ length: NEW_KEYS }, (_, i) => `bench/new/${i}.json`).sort(),
	);
	expect(withNew.requests).toBe(Math.ceil((KEYS + NEW_KEYS) / 1000));
	expect(saved.length).toBeLessThan(MAX_TRACKED * 20 + 1000);
});
