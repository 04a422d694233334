/**
 * The polling trigger finishing the job: After Processing (move, delete, tag at the next poll),
 * Max Objects per Poll, Minimum Age, Object Deleted and the key regular expression, polled the
 * way an active n8n workflow polls it, against a real S3 server.
 */
import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	DeleteObjectsCommand,
	GetObjectCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	type ListObjectsV2CommandOutput,
	PutObjectCommand,
	type PutObjectCommandInput,
	PutObjectTaggingCommand,
	type S3Client,
} from '@aws-sdk/client-s3';

import { MAX_NAMES, MAX_TRACKED, PollScan, type ListedObject } from '../../nodes/S3StorageTrigger/tracker';
import * as engine from '../support/engine';
import { binaryToBuffer, bucketParam, setBinaryMode } from '../support/harness';
import { ActiveWorkflow, triggerCredentials, triggerNodes, triggerWorkflow } from '../support/pollTrigger';
import { getTarget, rawClient, uniqueBucket } from '../support/target';

jest.setTimeout(120_000);

let s3: S3Client;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function put(bucket: string, key: string, body: string = key, extra: Partial<PutObjectCommandInput> = {}) {
	return await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));
}

async function putMany(bucket: string, keys: string[], parallel = 16) {
	let next = 0;
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < keys.length) await put(bucket, keys[next++]);
		}),
	);
}

async function listAll(bucket: string, prefix?: string) {
	const objects: NonNullable<ListObjectsV2CommandOutput['Contents']> = [];
	let token: string | undefined;
	do {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
		objects.push(...(page.Contents ?? []));
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return objects;
}

const keysIn = async (bucket: string, prefix?: string) => (await listAll(bucket, prefix)).map((object) => object.Key!).sort();

async function body(bucket: string, key: string) {
	const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return await response.Body!.transformToString();
}

const buckets: string[] = [];
async function newBucket(label: string, create = true) {
	const bucket = uniqueBucket(label);
	if (create) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	buckets.push(bucket);
	return bucket;
}

beforeAll(async () => {
	s3 = rawClient();
	await setBinaryMode('filesystem');
});

afterAll(async () => {
	for (const bucket of buckets) {
		let objects;
		try {
			objects = await listAll(bucket);
		} catch {
			continue; // never created
		}
		for (let i = 0; i < objects.length; i += 1000) {
			await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000).map((o) => ({ Key: o.Key })) } }));
		}
		await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
	}
	s3.destroy();
});

describe('After Processing', () => {
	it('Move: each emitted object arrives in the other bucket with its content, type, metadata and tags, and leaves the inbox at the next poll', async () => {
		const inbox = await newBucket('trg-move-in');
		const archive = await newBucket('trg-move-out');
		const active = new ActiveWorkflow(
			triggerWorkflow(inbox, {
				prefix: 'inbox/',
				download: true,
				afterProcessing: 'move',
				moveToBucket: bucketParam(archive),
				moveToPrefix: 'done/',
			}),
		);
		await put(inbox, 'inbox/already-there.txt');
		expect((await active.poll('activate')).response).toBeNull();

		await put(inbox, 'inbox/2024/report.csv', 'a,b\n1,2\n', { ContentType: 'text/csv', Metadata: { origin: 'scanner-7' } });
		await put(inbox, 'inbox/note.txt', 'hello', { ContentType: 'text/plain' });
		await s3.send(new PutObjectTaggingCommand({ Bucket: inbox, Key: 'inbox/2024/report.csv', Tagging: { TagSet: [{ Key: 'team', Value: 'finance' }] } }));
		const emitted = await active.poll();
		expect(emitted.items.map((item) => item.json.key).sort()).toEqual(['inbox/2024/report.csv', 'inbox/note.txt']);
		const report = emitted.items.find((item) => item.json.key === 'inbox/2024/report.csv')!;
		expect((await binaryToBuffer(report.binary!.data)).toString()).toBe('a,b\n1,2\n');
		// Handed on, not moved yet: n8n takes the items after poll() returns.
		expect(await keysIn(inbox)).toEqual(['inbox/2024/report.csv', 'inbox/already-there.txt', 'inbox/note.txt']);

		const next = await active.poll();
		expect(next.response).toBeNull();
		expect(await keysIn(inbox)).toEqual(['inbox/already-there.txt']);
		expect(await keysIn(archive)).toEqual(['done/2024/report.csv', 'done/note.txt']);
		expect(await body(archive, 'done/2024/report.csv')).toBe('a,b\n1,2\n');
		const head = await s3.send(new HeadObjectCommand({ Bucket: archive, Key: 'done/2024/report.csv' }));
		expect(head.ContentType).toBe('text/csv');
		expect(head.Metadata).toEqual({ origin: 'scanner-7' });
		// The server copies the tags with CopyObject (s3rver does not copy tags at all).
		if (getTarget().server !== 's3rver') {
			const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: archive, Key: 'done/2024/report.csv' }));
			expect(tags.TagSet).toEqual([{ Key: 'team', Value: 'finance' }]);
		}
		expect((await s3.send(new HeadObjectCommand({ Bucket: archive, Key: 'done/note.txt' }))).ContentType).toBe('text/plain');

		// Nothing is emitted twice, and nothing is left waiting in the saved state.
		expect(await active.keys()).toEqual([]);
		expect(active.staticData().afterProcessing).toBeUndefined();
	});

	it('Move within the watched bucket to a prefix outside it; a destination the trigger watches is refused before anything is emitted', async () => {
		const bucket = await newBucket('trg-move-same');
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { prefix: 'inbox/', afterProcessing: 'move', moveToPrefix: 'processed/' }));
		await active.poll('activate');
		await put(bucket, 'inbox/a.json', '{"a":1}', { ContentType: 'application/json' });
		expect(await active.keys()).toEqual(['inbox/a.json']);
		expect(await active.keys()).toEqual([]);
		expect(await keysIn(bucket)).toEqual(['processed/a.json']);
		expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'processed/a.json' }))).ContentType).toBe('application/json');

		const looping = new ActiveWorkflow(triggerWorkflow(bucket, { afterProcessing: 'move', moveToPrefix: 'processed/' }));
		await looping.poll('activate');
		await put(bucket, 'inbox/b.json');
		const failed = await engine
			.pollTrigger(looping.workflow, { nodes: triggerNodes, credentials: triggerCredentials(), staticData: JSON.parse(looping.saved) })
			.catch((error: Error & { description?: string }) => error);
		expect((failed as Error).message).toBe('Moving "inbox/b.json" to "processed/inbox/b.json" would put it back where the trigger watches');
		expect(await keysIn(bucket, 'inbox/')).toEqual(['inbox/b.json']);
	});

	it('Delete: emitted objects are deleted at the next poll and are not reported again', async () => {
		const bucket = await newBucket('trg-delete');
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { prefix: 'in/', afterProcessing: 'delete' }));
		await put(bucket, 'in/old');
		await put(bucket, 'keep/outside');
		await active.poll('activate');
		await putMany(bucket, ['in/1', 'in/2', 'in/3']);
		expect((await active.keys()).sort()).toEqual(['in/1', 'in/2', 'in/3']);
		await put(bucket, 'in/4');
		// The three are deleted first; then the new one is emitted (and deleted at the poll after).
		expect(await active.keys()).toEqual(['in/4']);
		expect(await keysIn(bucket)).toEqual(['in/4', 'in/old', 'keep/outside']);
		expect(await active.keys()).toEqual([]);
		expect(await keysIn(bucket)).toEqual(['in/old', 'keep/outside']);
	});

	it('Tag: emitted objects get the tag at the next poll, keep their other tags, and are not reported as updated', async () => {
		const bucket = await newBucket('trg-tag');
		const active = new ActiveWorkflow(
			triggerWorkflow(bucket, { event: 'objectCreatedOrUpdated', afterProcessing: 'tag', tagKey: 'state', tagValue: 'done' }),
		);
		await active.poll('activate');
		await put(bucket, 'doc.pdf', 'pdf');
		await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'doc.pdf', Tagging: { TagSet: [{ Key: 'owner', Value: 'ann' }] } }));
		expect(await active.keys()).toEqual(['doc.pdf']);
		expect(await active.keys()).toEqual([]);
		const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'doc.pdf' }));
		expect(tags.TagSet?.map((tag) => `${tag.Key}=${tag.Value}`).sort()).toEqual(['owner=ann', 'state=done']);
		expect(await active.keys()).toEqual([]);
		expect(await keysIn(bucket)).toEqual(['doc.pdf']);
	});

	it('an object written again after it was emitted is not moved until its new version was emitted too', async () => {
		const inbox = await newBucket('trg-rewrite');
		const active = new ActiveWorkflow(triggerWorkflow(inbox, { event: 'objectCreatedOrUpdated', afterProcessing: 'move', moveToPrefix: 'done/', prefix: 'in/' }));
		await active.poll('activate');
		await put(inbox, 'in/x.txt', 'first');
		expect(await active.keys()).toEqual(['in/x.txt']);
		await put(inbox, 'in/x.txt', 'second, not processed yet');
		const updated = await active.poll();
		expect(updated.items.map((item) => [item.json.key, item.json.event])).toEqual([['in/x.txt', 'updated']]);
		expect(await keysIn(inbox)).toEqual(['in/x.txt']);
		expect(await active.keys()).toEqual([]);
		expect(await keysIn(inbox)).toEqual(['done/x.txt']);
		expect(await body(inbox, 'done/x.txt')).toBe('second, not processed yet');
	});

	it('a failing move is reported, loses nothing, and is done at a later poll once it can succeed', async () => {
		const inbox = await newBucket('trg-move-fail');
		const missing = await newBucket('trg-move-late', false);
		const active = new ActiveWorkflow(
			triggerWorkflow(inbox, { afterProcessing: 'move', moveToBucket: bucketParam(missing), moveToPrefix: 'archive/' }),
		);
		await active.poll('activate');
		await put(inbox, 'a.txt', 'content of a');
		expect(await active.keys()).toEqual(['a.txt']);
		await put(inbox, 'b.txt', 'content of b');

		const failure = (await active.poll().catch((error: unknown) => error)) as Error & { description?: string };
		expect(failure.message).toContain(missing);
		expect(failure.description).toMatch(/^The trigger moves the objects it emitted at the previous poll, here "a.txt". It tries again at every poll and emits nothing new until this succeeds; the object stays where it is./);
		expect(await keysIn(inbox)).toEqual(['a.txt', 'b.txt']);

		await s3.send(new CreateBucketCommand({ Bucket: missing }));
		// a.txt is moved now; b.txt, which arrived while the move failed, is emitted (and moved at the poll after).
		expect(await active.keys()).toEqual(['b.txt']);
		expect(await keysIn(missing)).toEqual(['archive/a.txt']);
		expect(await body(missing, 'archive/a.txt')).toBe('content of a');
		expect(await active.keys()).toEqual([]);
		expect(await keysIn(missing)).toEqual(['archive/a.txt', 'archive/b.txt']);
		expect(await keysIn(inbox)).toEqual([]);
	});
});

describe('Max Objects per Poll', () => {
	it('emits at most N per poll, the oldest first, each object exactly once, also those arriving while the backlog drains', async () => {
		const bucket = await newBucket('trg-cap');
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { options: { maxObjectsPerPoll: 5 } }));
		await active.poll('activate');
		const groups = [['c1', 'c2', 'c3', 'c4'], ['b1', 'b2', 'b3', 'b4'], ['a1', 'a2', 'a3', 'a4']];
		for (const group of groups) {
			await putMany(bucket, group);
			await sleep(1100);
		}
		const batches: Array<Array<{ key: string; lastModified: string }>> = [];
		const poll = async () => (await active.poll()).items.map((item) => ({ key: String(item.json.key), lastModified: String(item.json.lastModified) }));
		batches.push(await poll());
		await put(bucket, 'z-late');
		for (let i = 0; i < 4; i++) batches.push(await poll());

		expect(batches.map((batch) => batch.length)).toEqual([5, 5, 3, 0, 0]);
		const emitted = batches.flat();
		expect(new Set(emitted.map((item) => item.key)).size).toBe(emitted.length);
		// Oldest first across polls: the groups in the order they were written, then the late one.
		const times = emitted.map((item) => Date.parse(item.lastModified));
		expect(times).toEqual([...times].sort((a, b) => a - b));
		const keys = emitted.map((item) => item.key);
		expect([keys.slice(0, 4).sort(), keys.slice(4, 8).sort(), keys.slice(8, 12).sort(), keys.slice(12)]).toEqual([...groups, ['z-late']]);
		const state = active.state();
		expect(state.seen.length / 20).toBeLessThanOrEqual(13);
	});

	it('drains a backlog of 240 in polls of 50, each object once, with Move emptying the inbox', async () => {
		const inbox = await newBucket('trg-cap-move');
		const active = new ActiveWorkflow(triggerWorkflow(inbox, { prefix: 'in/', afterProcessing: 'move', moveToPrefix: 'out/', options: { maxObjectsPerPoll: 50 } }));
		await active.poll('activate');
		const backlog = Array.from({ length: 240 }, (_, i) => `in/${String(i).padStart(4, '0')}.json`);
		await putMany(inbox, backlog, 32);
		const sizes: number[] = [];
		const emitted: string[] = [];
		for (let poll = 0; poll < 7; poll++) {
			const keys = await active.keys();
			sizes.push(keys.length);
			emitted.push(...keys);
		}
		expect(sizes).toEqual([50, 50, 50, 50, 40, 0, 0]);
		expect(emitted.sort()).toEqual(backlog);
		expect(await keysIn(inbox, 'in/')).toEqual([]);
		expect(await keysIn(inbox, 'out/')).toEqual(backlog.map((key) => key.replace('in/', 'out/')));
	});
});

describe('Minimum Age', () => {
	it('skips objects modified less than N seconds ago and emits them at a later poll', async () => {
		const bucket = await newBucket('trg-min-age');
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { options: { minAgeSeconds: 3 } }));
		await active.poll('activate');
		await put(bucket, 'settled.txt');
		await sleep(4000);
		await put(bucket, 'fresh.txt');
		expect(await active.keys()).toEqual(['settled.txt']);
		expect(await active.keys()).toEqual([]);
		await sleep(4000);
		expect(await active.keys()).toEqual(['fresh.txt']);
		expect(await active.keys()).toEqual([]);
	});
});

describe('Object Deleted', () => {
	it('reports keys that were there at the previous poll and are gone, once; new objects are not reported', async () => {
		const bucket = await newBucket('trg-deleted');
		await putMany(bucket, ['d/a.txt', 'd/b.txt', 'd/c.txt', 'other/x.txt']);
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { event: 'objectDeleted', prefix: 'd/' }));
		expect((await active.poll('activate')).response).toBeNull();
		expect(active.state().names).toEqual(['d/a.txt', 'd/b.txt', 'd/c.txt']);

		await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'd/b.txt' }));
		await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'other/x.txt' }));
		await put(bucket, 'd/new.txt');
		const deleted = await active.poll();
		expect(deleted.items.map((item) => item.json)).toEqual([{ event: 'deleted', bucket, key: 'd/b.txt' }]);
		expect(await active.keys()).toEqual([]);

		await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'd/new.txt' }));
		await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'd/a.txt' }));
		expect((await active.keys()).sort()).toEqual(['d/a.txt', 'd/new.txt']);
		expect(active.state().names).toEqual(['d/c.txt']);
	});

	it('with Max Objects per Poll, deletions beyond the cap are reported at the next poll', async () => {
		const bucket = await newBucket('trg-deleted-cap');
		await putMany(bucket, ['k1', 'k2', 'k3']);
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { event: 'objectDeleted', options: { maxObjectsPerPoll: 2 } }));
		await active.poll('activate');
		await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'k1' }, { Key: 'k2' }, { Key: 'k3' }] } }));
		expect(await active.keys()).toEqual(['k1', 'k2']);
		expect(await active.keys()).toEqual(['k3']);
		expect(await active.keys()).toEqual([]);
	});
});

describe('Key Regular Expression', () => {
	it('emits only keys the expression matches (with the other filters), /.../i ignores case, and a broken one fails clearly', async () => {
		const bucket = await newBucket('trg-regex');
		const active = new ActiveWorkflow(triggerWorkflow(bucket, { options: { keyRegex: '^logs/\\d{4}/[^/]+\\.json$', keyEndsWith: '.json' } }));
		const anyCase = new ActiveWorkflow(triggerWorkflow(bucket, { options: { keyRegex: '/REPORT/i' } }));
		await active.poll('activate');
		await anyCase.poll('activate');
		await putMany(bucket, ['logs/2024/a.json', 'logs/2024/deep/b.json', 'logs/24/c.json', 'logs/2025/d.txt', 'x/logs/2024/e.json', 'Q3-Report.pdf', 'report.txt']);
		expect(await active.keys()).toEqual(['logs/2024/a.json']);
		expect((await anyCase.keys()).sort()).toEqual(['Q3-Report.pdf', 'report.txt']);

		const broken = triggerWorkflow(bucket, { options: { keyRegex: 'logs/(\\d+' } });
		const error = (await engine
			.pollTrigger(broken, { nodes: triggerNodes, credentials: triggerCredentials(), staticData: {} })
			.catch((failure: unknown) => failure)) as Error & { description?: string };
		expect(error.message).toMatch(/^The key regular expression "logs\/\(\\d\+" is not valid: .*/);
		expect(error.description).toMatch(/Correct the "Key Regular Expression" option/);
	});
});

describe('saved workflows keep working', () => {
	it('the new options at their defaults keep the saved state: no start-over, nothing replayed', async () => {
		const bucket = await newBucket('trg-defaults');
		await put(bucket, 'a');
		const before = new ActiveWorkflow(triggerWorkflow(bucket));
		await before.poll('activate');
		await put(bucket, 'b');
		const after = new ActiveWorkflow(
			triggerWorkflow(bucket, { afterProcessing: 'keep', options: { keyRegex: '', maxObjectsPerPoll: 0, minAgeSeconds: 0 } }),
		);
		after.saved = before.saved;
		after.polls = 1;
		expect(await after.keys()).toEqual(['b']);
		expect(await keysIn(bucket)).toEqual(['a', 'b']);
		expect(Object.keys(after.staticData())).toEqual(['state']);
	});
});

describe('the trigger state stays bounded with waiting objects', () => {
	const object = (key: string, lastModified: number): ListedObject => ({ key, etag: `"${key}"`, lastModified });

	it(`objects waiting for the cap hold the floor; should the ${MAX_TRACKED}-entry set overflow above them, the cap gives way instead of losing them`, () => {
		const cap = 100;
		const windowMs = 100_000;
		const keysOf = (scan: PollScan) => scan.reports.map((report) => (report.change === 'deleted' ? report.key : report.object.key));
		const first = new PollScan(undefined, windowMs, cap);
		first.consider(object('seed', 10_000_000));
		let state = first.finish('c', 10);

		// 300 new objects spread over 300 s, more than the window: 10 per poll, the floor held at the oldest waiting one.
		const backlog = Array.from({ length: 300 }, (_, i) => object(`n${String(i).padStart(3, '0')}`, 10_000_000 + 1000 * (i + 1)));
		const emitted: string[] = [];
		for (let poll = 0; poll < 5; poll++) {
			const scan = new PollScan(state, windowMs, cap, { maxReports: 10 });
			for (const o of [...backlog].reverse()) scan.consider(o);
			state = scan.finish('c', 10);
			emitted.push(...keysOf(scan));
			expect(scan.waiting).toBe(300 - emitted.length);
			expect(state.floor).toBe(backlog[emitted.length].lastModified);
		}
		expect(emitted).toEqual(backlog.slice(0, 50).map((o) => o.key));

		// 150 objects the trigger tagged itself are recorded above the waiting ones: more than the set holds.
		const touched = Array.from({ length: 150 }, (_, i) => object(`t${i}`, 10_300_000 + i));
		const overflow = new PollScan(state, windowMs, cap, { maxReports: 10, ownKeys: new Set(touched.map((o) => o.key)) });
		for (const o of [...backlog, ...touched]) overflow.consider(o);
		state = overflow.finish('c', 10);
		expect(state.seen.length / 20).toBe(cap);
		expect(keysOf(overflow)).toEqual(backlog.slice(50).map((o) => o.key));
		expect(overflow.waiting).toBe(0);

		const after = new PollScan(state, windowMs, cap, { maxReports: 10 });
		for (const o of [...backlog, ...touched]) after.consider(o);
		after.finish('c', 10);
		expect(after.reports).toEqual([]);
	});

	it(`remembers at most ${MAX_NAMES} names for deletions, the newest`, () => {
		const scan = new PollScan(undefined, 3_600_000, MAX_TRACKED, { deletions: true });
		for (let i = 0; i < MAX_NAMES + 500; i++) scan.consider(object(`k${i}`, 1_000_000 + i));
		const state = scan.finish('c', 10);
		expect(state.names).toHaveLength(MAX_NAMES);
		expect(state.names).not.toContain('k499');
		expect(state.names).toContain('k500');
	});
});
