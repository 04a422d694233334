/**
 * The S3 Storage Trigger, polled the way n8n's active workflows poll it (PollContext through
 * n8n-core's TriggersAndPollers, static data saved as JSON between polls, the workflow run in
 * 'trigger' mode with what the poll returned), against a real S3 server.
 */
import {
	CreateBucketCommand,
	DeleteObjectsCommand,
	DeleteBucketCommand,
	ListObjectsV2Command,
	type ListObjectsV2CommandOutput,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { MAX_TRACKED, PollScan } from '../../nodes/S3StorageTrigger/tracker';
import * as engine from '../support/engine';
import { binaryToBuffer, setBinaryMode, type BinaryMode } from '../support/harness';
import { ActiveWorkflow, TRIGGER, triggerCredentials as credentials, triggerNodes as nodes, triggerWorkflow } from '../support/pollTrigger';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

let s3: S3Client;

async function put(bucket: string, key: string, body: string | Buffer = key) {
	return await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** Parallel raw puts, `parallel` at a time. */
async function putMany(bucket: string, keys: string[], parallel = 32) {
	let next = 0;
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < keys.length) await put(bucket, keys[next++]);
		}),
	);
}

async function listAll(bucket: string) {
	const objects: NonNullable<ListObjectsV2CommandOutput['Contents']> = [];
	let token: string | undefined;
	do {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
		objects.push(...(page.Contents ?? []));
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return objects;
}

const buckets: string[] = [];
async function newBucket(label: string) {
	const bucket = uniqueBucket(label);
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	buckets.push(bucket);
	return bucket;
}

beforeAll(async () => {
	s3 = rawClient();
	await setBinaryMode('filesystem');
});

afterAll(async () => {
	for (const bucket of buckets) {
		const objects = await listAll(bucket);
		for (let i = 0; i < objects.length; i += 1000) {
			await s3.send(
				new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000).map((o) => ({ Key: o.Key })) } }),
			);
		}
		await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
	}
	s3.destroy();
});

describe('S3 Storage Trigger', () => {
	it('records the bucket on first activation and emits nothing, then emits each new object once', async () => {
		const bucket = await newBucket('trg-first');
		await putMany(bucket, ['old/a.txt', 'old/b.txt', 'old/c.txt']);
		const active = new ActiveWorkflow(triggerWorkflow(bucket));

		const first = await active.poll('activate');
		expect(first.response).toBeNull();
		expect(first.staticDataChanged).toBe(true);
		expect(active.state().seen.length).toBe(3 * 20);

		// Nothing changed: nothing emitted, and nothing for n8n to save.
		const idle = await active.poll();
		expect(idle.response).toBeNull();
		expect(idle.staticDataChanged).toBe(false);

		await put(bucket, 'new/d.txt', 'hello');
		const created = await active.poll();
		expect(created.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ event: 'created', bucket, key: 'new/d.txt', size: 5, etag: expect.any(String), lastModified: expect.any(String) }),
		]);
		expect(await active.keys()).toEqual([]);
	});

	it('Object Created or Updated reports a rewrite as "updated"; Object Created does not', async () => {
		const bucket = await newBucket('trg-update');
		await put(bucket, 'doc.txt', 'version 1');
		const createdOrUpdated = new ActiveWorkflow(triggerWorkflow(bucket, { event: 'objectCreatedOrUpdated' }));
		const createdOnly = new ActiveWorkflow(triggerWorkflow(bucket, { event: 'objectCreated' }));
		await createdOrUpdated.poll('activate');
		await createdOnly.poll('activate');

		await put(bucket, 'doc.txt', 'version 2, longer');
		await put(bucket, 'other.txt', 'new');
		const changes = await createdOrUpdated.poll();
		expect(changes.items.map((item) => [item.json.key, item.json.event, item.json.size]).sort()).toEqual([
			['doc.txt', 'updated', 17],
			['other.txt', 'created', 3],
		]);
		expect(await createdOnly.keys()).toEqual(['other.txt']);
		expect(await createdOrUpdated.keys()).toEqual([]);
		expect(await createdOnly.keys()).toEqual([]);
	});

	it('emits every object of a second that is polled in the middle (same Last Modified second)', async () => {
		const bucket = await newBucket('trg-second');
		const active = new ActiveWorkflow(triggerWorkflow(bucket));
		await active.poll('activate');
		let sharedSecond = false;
		// A poll lands inside the second in which objects are still being written; retried until the
		// server stamped objects on both sides of the poll with the same second.
		for (let attempt = 0; attempt < 6 && !sharedSecond; attempt++) {
			const before = [`s${attempt}/b1`, `s${attempt}/b2`, `s${attempt}/b3`];
			const after = [`s${attempt}/a1`, `s${attempt}/a2`, `s${attempt}/c3`];
			await putMany(bucket, before);
			expect((await active.keys()).sort()).toEqual(before);
			await putMany(bucket, after);
			expect((await active.keys()).sort()).toEqual(after.sort());
			const seconds = (await listAll(bucket))
				.filter((object) => object.Key?.startsWith(`s${attempt}/`))
				.map((object) => [object.Key, Math.floor(object.LastModified!.getTime() / 1000)] as const);
			const secondOf = new Map(seconds);
			sharedSecond = before.some((key) => after.some((other) => secondOf.get(key) === secondOf.get(other)));
		}
		expect(sharedSecond).toBe(true);
		expect(await active.keys()).toEqual([]);
	});

	it('finds keys that sort before ones already seen, and ones under other "folders"', async () => {
		const bucket = await newBucket('trg-order');
		await putMany(bucket, ['m/1', 'm/2']);
		const active = new ActiveWorkflow(triggerWorkflow(bucket));
		await active.poll('activate');
		await put(bucket, 'a/first');
		await put(bucket, 'm/0');
		await put(bucket, 'z/last');
		const items = (await active.poll()).items;
		expect(items.map((item) => item.json.key).sort()).toEqual(['a/first', 'm/0', 'z/last']);
	});

	it('2,500 objects at once are all emitted once (paged listing), also those written during the poll', async () => {
		const bucket = await newBucket('trg-2500');
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { prefix: 'in/' }));
		await put(bucket, 'in/seed');
		await active.poll('activate');

		const bulk = Array.from({ length: 2500 }, (_, i) => `in/bulk/${String(i).padStart(5, '0')}.json`);
		await putMany(bucket, bulk, 48);
		await put(bucket, 'elsewhere/not-watched');

		// Objects keep arriving while the poll pages through the listing, at keys before and after the bulk.
		const during: string[] = [];
		let polling = true;
		const writer = (async () => {
			for (let i = 0; polling || i < 2; i++) {
				const pair = [`in/a-during/${i}`, `in/z-during/${i}`];
				await putMany(bucket, pair, 2);
				during.push(...pair);
			}
		})();
		const first = await active.poll();
		polling = false;
		await writer;
		const second = await active.poll();
		const third = await active.poll();

		const emitted = [...first.items, ...second.items].map((item) => String(item.json.key));
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted.sort()).toEqual([...bulk, ...during].sort());
		expect(first.items.length).toBeGreaterThanOrEqual(2500);
		expect(during.length).toBeGreaterThanOrEqual(4);
		expect(third.response).toBeNull();
		// The state holds what falls inside the window, and no more than its bound.
		expect(active.state().seen.length / 20).toBe(1 + bulk.length + during.length);
	});

	it('picks up after a restart from the saved static data, without repeats or gaps', async () => {
		const bucket = await newBucket('trg-restart');
		await putMany(bucket, ['x/1', 'x/2']);
		const before = new ActiveWorkflow(triggerWorkflow(bucket));
		await before.poll('activate');
		await put(bucket, 'x/3');
		expect(await before.keys()).toEqual(['x/3']);

		// n8n restarts: the workflow is rebuilt from the database, static data parsed from its JSON.
		await put(bucket, 'x/0-while-down');
		await put(bucket, 'x/4-while-down');
		const after = new ActiveWorkflow(JSON.parse(JSON.stringify(before.workflow)));
		after.saved = JSON.parse(JSON.stringify(before.saved));
		after.polls = 1;
		const resumed = await after.poll('init');
		expect(resumed.items.map((item) => item.json.key).sort()).toEqual(['x/0-while-down', 'x/4-while-down']);
		expect(await after.keys()).toEqual([]);
	});

	it('changing the bucket, prefix or filters starts over without replaying', async () => {
		const bucket = await newBucket('trg-config');
		await putMany(bucket, ['p/1.csv', 'q/1.csv']);
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { prefix: 'p/' }));
		await active.poll('activate');
		(active.workflow.nodes[0].parameters as IDataObject).prefix = 'q/';
		const changed = await active.poll('update');
		expect(changed.response).toBeNull();
		await put(bucket, 'q/2.csv');
		expect(await active.keys()).toEqual(['q/2.csv']);
	});

	it.each<BinaryMode>(['filesystem', 'memory'])('filters keys by suffix and glob, skips folder markers, and can download each object (%s binary mode)', async (mode) => {
		await setBinaryMode(mode);
		const bucket = await newBucket(`trg-filter-${mode.slice(0, 3)}`);
		const active = new ActiveWorkflow(
			triggerWorkflow(bucket, {
				download: true,
				binaryPropertyName: 'file',
				options: { keyEndsWith: '.csv, .tsv', keyPattern: 'reports/**/20??-*' },
			}),
		);
		await active.poll('activate');
		await putMany(bucket, ['reports/2024-01.csv', 'reports/eu/2024-02.tsv', 'reports/eu/summary.csv', 'reports/2024-03.pdf', 'other/2024-04.csv', 'reports/new/']);
		const items = (await active.poll()).items;
		expect(items.map((item) => item.json.key).sort()).toEqual(['reports/2024-01.csv', 'reports/eu/2024-02.tsv']);
		for (const item of items) {
			expect(item.binary?.file.fileName).toBe(String(item.json.key).split('/').pop());
			expect((await binaryToBuffer(item.binary!.file)).toString()).toBe(item.json.key);
		}

		const byName = new ActiveWorkflow(triggerWorkflow(bucket, { options: { keyPattern: '*.{csv,pdf}' } }));
		await byName.poll('activate');
		await putMany(bucket, ['deep/a/b/c.pdf', 'deep/x.csv', 'deep/x.txt']);
		expect((await byName.keys()).sort()).toEqual(['deep/a/b/c.pdf', 'deep/x.csv']);
		await setBinaryMode('filesystem');
	});

	it('a manual test run returns the newest matching object, and leaves the saved state alone', async () => {
		const bucket = await newBucket('trg-manual');
		await put(bucket, 'in/older.txt', 'older');
		await new Promise((resolve) => setTimeout(resolve, 1100));
		await put(bucket, 'in/newest.txt', 'newest');
		await new Promise((resolve) => setTimeout(resolve, 1100));
		await put(bucket, 'in/ignored.bin', 'not matching');
		const workflow = triggerWorkflow(bucket, { prefix: 'in/', download: true, options: { keyEndsWith: '.txt' } });

		const run = await engine.runWorkflow(workflow, { nodes, credentials: credentials(), staticData: {} });
		expect(run.error).toBeUndefined();
		const output = run.output(TRIGGER)!;
		expect(output.map((item) => item.json.key)).toEqual(['in/newest.txt']);
		expect((await binaryToBuffer(output[0].binary!.data)).toString()).toBe('newest');
		expect(run.output('Received')).toHaveLength(1);

		const manualPoll = await engine.pollTrigger(workflow, { nodes, credentials: credentials(), staticData: {}, mode: 'manual', run: false });
		expect(manualPoll.items.map((item) => item.json.key)).toEqual(['in/newest.txt']);
		expect(manualPoll.staticDataChanged).toBe(false);

		const empty = await engine.runWorkflow(triggerWorkflow(bucket, { prefix: 'nothing-here/' }), { nodes, credentials: credentials() });
		expect(empty.nodeError(TRIGGER)?.message).toMatch(/No object in bucket ".*" under "nothing-here\/" matches/);
	});

	it('a failing poll saves nothing, so the next poll reports the same objects', async () => {
		const bucket = await newBucket('trg-fail');
		const active = new ActiveWorkflow(triggerWorkflow(bucket));
		await active.poll('activate');
		await put(bucket, 'one');
		const saved = active.saved;
		const failing = new ActiveWorkflow(triggerWorkflow(bucket));
		failing.saved = saved;
		await expect(
			engine.pollTrigger(failing.workflow, {
				nodes,
				credentials: { s3StorageApi: credentialFor(getTarget(), { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }) },
				staticData: JSON.parse(saved),
			}),
		).rejects.toThrow();
		expect(await active.keys()).toEqual(['one']);
	});
});

describe('the trigger state stays bounded', () => {
	const object = (key: string, lastModified: number) => ({ key, etag: `"${key}"`, lastModified });

	it(`keeps at most ${MAX_TRACKED} entries; beyond that the oldest fall below the floor, and none is reported twice`, () => {
		const cap = 100;
		const first = new PollScan(undefined, 3_600_000, cap);
		for (let i = 0; i < 10; i++) first.consider(object(`k${i}`, 1_000_000));
		let state = first.finish('c', 10);

		const objects = Array.from({ length: 1000 }, (_, i) => object(`n${i}`, 2_000_000 + i * 10));
		const second = new PollScan(state, 3_600_000, cap);
		const reported = [...objects, ...Array.from({ length: 10 }, (_, i) => object(`k${i}`, 1_000_000))]
			.reverse()
			.filter((o) => second.consider(o));
		state = second.finish('c', 10);
		expect(reported).toHaveLength(1000);
		expect(state.seen.length).toBe(cap * 20);
		expect(state.floor).toBe(2_000_000 + 899 * 10 + 1);

		const third = new PollScan(state, 3_600_000, cap);
		expect(objects.filter((o) => third.consider(o))).toEqual([]);
		const late = object('late-but-inside', 2_000_000 + 950 * 10);
		expect(third.consider(late)).toBe('created');
	});
});
