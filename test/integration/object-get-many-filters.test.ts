/**
 * Object > Get Many with Filters: key pattern (glob or regular expression), modified dates and
 * ages, size, storage class. Filters apply while paging, Limit counts matches only, the pattern's
 * leading text narrows the listing's Prefix, and a Limit stops the listing once enough matched.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';

import { bucketParam, runNode, runNodeError } from '../support/harness';
import { recordListRequests } from '../support/listRequests';
import { rawClient, uniqueBucket } from '../support/target';

const bucket = uniqueBucket('obj-filter');
const client = rawClient();
const DAY = 86_400_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 40 keys under logs/: even numbers are .gz, odd ones .txt. */
const logKeys = Array.from({ length: 40 }, (_, i) => `logs/${String(i).padStart(4, '0')}.${i % 2 === 0 ? 'gz' : 'txt'}`);
const otherKeys = ['top.csv', 'data/a.csv', 'data/sub/c.csv', 'reports/2024-01.json', 'reports/q1/2024-02.json', 'reports/q1/2023-02.json', 'reports/readme.txt'];
/** Written a few seconds after everything else, with `between` in the middle of the gap. */
const LATE_KEY = 'late/new.csv';
const BIG_KEY = 'data/big.csv';
let between = 0;

const put = (Key: string, Body: string | Buffer = `content of ${Key}`) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	for (let i = 0; i < logKeys.length; i += 10) await Promise.all(logKeys.slice(i, i + 10).map((key) => put(key)));
	await Promise.all(otherKeys.map((key) => put(key)));
	await put(BIG_KEY, Buffer.alloc(5000, 'x'));
	// Listings give last-modified to the second; a clear gap either side of `between` keeps the
	// test independent of rounding (server and test share this machine's clock).
	await pause(2500);
	between = Date.now();
	await pause(2500);
	await put(LATE_KEY);
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	client.destroy();
});

const list = (parameters: Record<string, unknown>) =>
	runNode({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true, ...parameters });
const keysOf = async (parameters: Record<string, unknown>) => (await list(parameters)).map((item) => item.json.key);
const allKeys = [...logKeys, ...otherKeys, BIG_KEY, LATE_KEY].sort();

describe('Key Pattern', () => {
	it('a glob without "/" matches file names in every folder', async () => {
		expect(await keysOf({ filters: { keyPattern: '*.csv' } })).toEqual(['data/a.csv', 'data/big.csv', 'data/sub/c.csv', 'late/new.csv', 'top.csv']);
	});

	it('a glob with "/" matches whole keys, and lists only under its leading text', async () => {
		const recorder = recordListRequests();
		try {
			expect(await keysOf({ filters: { keyPattern: 'reports/**/2024-*.json' } })).toEqual(['reports/2024-01.json', 'reports/q1/2024-02.json']);
		} finally {
			recorder.stop();
		}
		expect(recorder.requests.map((request) => request.prefix)).toEqual(['reports/']);
	});

	it('a regular expression is searched for in the key; anchored, it narrows the listing too', async () => {
		const recorder = recordListRequests();
		try {
			expect(await keysOf({ filters: { keyPattern: '^reports/q1/\\d{4}-02\\.json$', patternType: 'regex' } })).toEqual([
				'reports/q1/2023-02.json',
				'reports/q1/2024-02.json',
			]);
			expect(await keysOf({ filters: { keyPattern: '00[0-2]5', patternType: 'regex' } })).toEqual(['logs/0005.txt', 'logs/0015.txt', 'logs/0025.txt']);
		} finally {
			recorder.stop();
		}
		expect(recorder.requests[0].prefix).toBe('reports/q1/');
	});

	it('combines with the Prefix option, and a pattern that cannot match under it sends no request', async () => {
		expect(await keysOf({ filters: { keyPattern: 'reports/**' }, options: { prefix: 'reports/q1/' } })).toEqual([
			'reports/q1/2023-02.json',
			'reports/q1/2024-02.json',
		]);
		const recorder = recordListRequests();
		try {
			expect(await keysOf({ filters: { keyPattern: 'data/*' }, options: { prefix: 'reports/' } })).toEqual([]);
		} finally {
			recorder.stop();
		}
		expect(recorder.requests).toEqual([]);
	});

	it('with a Delimiter, folders are left out and keys are grouped as without the filter', async () => {
		expect(await keysOf({ filters: { keyPattern: '*.csv' }, options: { delimiter: '/' } })).toEqual(['top.csv']);
		expect(await keysOf({ filters: { keyPattern: 'reports/2024-*' }, options: { delimiter: '/', prefix: 'reports/' } })).toEqual(['reports/2024-01.json']);
	});

	it('a broken regular expression stops the node with a message naming the filter', async () => {
		const error = await runNodeError({
			resource: 'object',
			operation: 'getMany',
			bucket: bucketParam(bucket),
			returnAll: true,
			filters: { keyPattern: 'logs/(', patternType: 'regex' },
		});
		expect(error.message).toMatch(/The filter "Key Pattern" of item 0 is not a valid regular expression/);
	});
});

describe('Limit counts matching objects only and stops listing once enough matched', () => {
	it('5 of the .gz files under logs/: only as many keys listed as needed, and the token resumes after them', async () => {
		const recorder = recordListRequests();
		let first;
		try {
			first = await list({ returnAll: false, limit: 5, filters: { keyPattern: 'logs/*.gz' } });
		} finally {
			recorder.stop();
		}
		expect(first.map((item) => item.json.key)).toEqual(['logs/0000.gz', 'logs/0002.gz', 'logs/0004.gz', 'logs/0006.gz', 'logs/0008.gz']);
		// Every request is under logs/ and asks for no more than the matches still missing, so the
		// listing ends at logs/0008.gz: 9 keys listed for 5 matches, out of 40 under logs/.
		expect(recorder.requests.every((request) => request.prefix === 'logs/')).toBe(true);
		expect(recorder.requests.every((request) => (request.maxKeys ?? 1000) <= 5)).toBe(true);
		expect(recorder.requests.reduce((sum, request) => sum + request.listed, 0)).toBe(9);

		const token = first[4].json.nextContinuationToken;
		expect(token).toEqual(expect.any(String));
		const next = await list({ returnAll: false, limit: 3, filters: { keyPattern: 'logs/*.gz' }, options: { continuationToken: token } });
		expect(next.map((item) => item.json.key)).toEqual(['logs/0010.gz', 'logs/0012.gz', 'logs/0014.gz']);
	});

	it('Return All returns every match, paging with small requests', async () => {
		const items = await list({ filters: { keyPattern: 'logs/*.gz' }, options: { maxKeys: 7 } });
		expect(items.map((item) => item.json.key)).toEqual(logKeys.filter((key) => key.endsWith('.gz')));
	});
});

describe('Modified', () => {
	it('Modified Before a minute from now keeps everything, Modified After it keeps nothing', async () => {
		const inAMinute = new Date(Date.now() + 60_000).toISOString();
		expect(await keysOf({ filters: { modifiedBefore: inAMinute } })).toEqual(allKeys);
		expect(await keysOf({ filters: { modifiedAfter: inAMinute } })).toEqual([]);
	});

	it('Modified After / Before a moment between two uploads split them', async () => {
		const moment = new Date(between).toISOString();
		expect(await keysOf({ filters: { modifiedAfter: moment } })).toEqual([LATE_KEY]);
		expect(await keysOf({ filters: { modifiedBefore: moment, keyPattern: '*.csv' } })).toEqual(['data/a.csv', 'data/big.csv', 'data/sub/c.csv', 'top.csv']);
	});

	it('Older Than / Newer Than (Days) count back from the run: a fraction of a day reaching back to that moment splits them too', async () => {
		// Days since `between`: the cutoff lands at `between` plus the instant it takes the node to start,
		// well inside the 2.5-second gap before the late upload.
		const days = (Date.now() - between) / DAY;
		expect(await keysOf({ filters: { olderThanDays: days, keyPattern: 'late/*' } })).toEqual([]);
		expect(await keysOf({ filters: { newerThanDays: days } })).toEqual([LATE_KEY]);
		expect(await keysOf({ filters: { olderThanDays: 0, keyPattern: 'late/*' } })).toEqual([LATE_KEY]);
		expect(await keysOf({ filters: { olderThanDays: 1 } })).toEqual([]);
		expect(await keysOf({ filters: { newerThanDays: 1 } })).toEqual(allKeys);
	});
});

describe('Size and Storage Class', () => {
	it('Size At Least / At Most (Bytes) are inclusive', async () => {
		expect(await keysOf({ filters: { sizeAtLeast: 5000 } })).toEqual([BIG_KEY]);
		expect(await keysOf({ filters: { sizeAtLeast: 4999, sizeAtMost: 5000 } })).toEqual([BIG_KEY]);
		expect(await keysOf({ filters: { sizeAtMost: 4999, keyPattern: 'data/**' } })).toEqual(['data/a.csv', 'data/sub/c.csv']);
	});

	it('Storage Class keeps the chosen classes; every object here is Standard', async () => {
		expect(await keysOf({ filters: { storageClasses: ['STANDARD'] } })).toEqual(allKeys);
		expect(await keysOf({ filters: { storageClasses: ['GLACIER', 'DEEP_ARCHIVE'] } })).toEqual([]);
	});
});
