/**
 * Bucket configuration as JSON in and out: lifecycle rules, CORS rules, the bucket policy and the
 * default encryption, each read (nothing configured is an empty answer, not an error), set from the
 * fields or from JSON (what Get gives back is accepted unchanged), and deleted; bad input is refused
 * naming the field before anything changes. Effects are checked the way a user meets them: a browser's
 * preflight request for CORS, another user's (and an anonymous) read for a policy.
 */
import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	GetBucketCorsCommand,
	GetBucketLifecycleConfigurationCommand,
	GetObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { bucketParam, runNode, runNodeError, runSteps } from '../support/harness';
import { capabilities, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const client = rawClient(target);
const caps = capabilities(target);
/**
 * What the server keeps of a bucket's configuration. s3rver keeps CORS rules and answers lifecycle,
 * policy and encryption requests with 501 NotImplemented; Ceph RGW 16 keeps lifecycle, CORS and
 * policies, and without a key management service refuses every default encryption (400 InvalidArgument).
 */
const config = {
	lifecycle: caps.checksSignatures,
	policy: caps.checksSignatures,
	encryption: target.server === 'aws' || target.server === 'minio',
};
const otherKey = process.env.S3_TEST_OTHER_ACCESS_KEY_ID;
const created: string[] = [];

async function newBucket(label: string): Promise<string> {
	const name = uniqueBucket(label);
	await client.send(new CreateBucketCommand({ Bucket: name }));
	created.push(name);
	return name;
}

afterAll(async () => {
	for (const name of created) {
		const listed = await client.send(new ListObjectsV2Command({ Bucket: name })).catch(() => undefined);
		for (const entry of listed?.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: name, Key: entry.Key }));
		await client.send(new DeleteBucketCommand({ Bucket: name })).catch(() => undefined);
	}
	client.destroy();
});

const bucketOp = (operation: string, bucket: string, parameters: IDataObject = {}): IDataObject => ({
	resource: 'bucket',
	operation,
	bucket: bucketParam(bucket),
	...parameters,
});

/** The message s3rver's refusal of a kind of configuration gets, as the node words it: 501 NotImplemented (405 for a policy read). */
const notImplemented = (doing: string, bucket: string) =>
	`Could not ${doing} bucket "${bucket}": A parameter you provided implies functionality that is not implemented (NotImplemented, HTTP 501) [item 0]`;
const notAllowed = (doing: string, bucket: string) =>
	`Could not ${doing} bucket "${bucket}": The specified method is not allowed against this resource. (MethodNotAllowed, HTTP 405) [item 0]`;

describe('Lifecycle rules', () => {
	const lifecycleForm = (bucket: string, fields: IDataObject) => bucketOp('setLifecycle', bucket, { specifyRules: 'form', ...fields });
	const lifecycleJson = (bucket: string, rules: unknown) =>
		bucketOp('setLifecycle', bucket, { specifyRules: 'json', lifecycleRules: typeof rules === 'string' ? rules : JSON.stringify(rules) });

	(config.lifecycle ? describe : describe.skip)('on a server that keeps lifecycle rules', () => {
		it('Get on a bucket without lifecycle rules gives an empty list, not an error', async () => {
			const bucket = await newBucket('lc-none');
			const [item] = await runNode(bucketOp('getLifecycle', bucket));
			expect(item.json).toEqual({ bucket, rules: [] });
		});

		it('Set from the fields makes one rule: expire under a prefix, abort incomplete uploads, delete old versions', async () => {
			const bucket = await newBucket('lc-form');
			const [set] = await runNode(
				lifecycleForm(bucket, { prefix: 'logs/', expireAfterDays: 30, abortIncompleteUploadsAfterDays: 7, noncurrentVersionsExpireAfterDays: 5 }),
			);
			const rule = {
				ID: 'prefix-logs/',
				Status: 'Enabled',
				Filter: { Prefix: 'logs/' },
				Expiration: { Days: 30 },
				NoncurrentVersionExpiration: { NoncurrentDays: 5 },
				AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
			};
			expect(set.json).toEqual({ bucket, rules: [rule] });
			// What the server stored, read without the node.
			const stored = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
			expect(stored.Rules).toHaveLength(1);
			expect(stored.Rules![0]).toMatchObject({ ID: 'prefix-logs/', Status: 'Enabled', Expiration: { Days: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } });
			const [got] = await runNode(bucketOp('getLifecycle', bucket));
			expect(got.json).toEqual({ bucket, rules: [rule] });
		});

		it('Set from the fields with only "abort incomplete uploads" and a rule ID covers the whole bucket', async () => {
			const bucket = await newBucket('lc-abort');
			await runNode(lifecycleForm(bucket, { prefix: '', expireAfterDays: 0, abortIncompleteUploadsAfterDays: 3, options: { ruleId: 'clean-uploads' } }));
			const [got] = await runNode(bucketOp('getLifecycle', bucket));
			expect(got.json.rules).toEqual([{ ID: 'clean-uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } }]);
		});

		it('round trip: the rules Get gives, fed to Set on another bucket, come back the same', async () => {
			const source = await newBucket('lc-src');
			const copy = await newBucket('lc-copy');
			const rules = [
				{ ID: 'expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
				{ ID: 'expire-tmp-later', Status: 'Disabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 365 } },
				{ ID: 'uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
				// A date goes out as ISO text and is taken back as such.
				{ ID: 'expire-2030', Status: 'Enabled', Filter: { Prefix: 'campaign/' }, Expiration: { Date: '2030-01-01T00:00:00.000Z' } },
			];
			await runNode(lifecycleJson(source, { Rules: rules }));
			// Get on one bucket, its output straight into Set on the other (an expression, no editing), then Get again.
			const run = await runSteps([
				{ name: 'Get', parameters: bucketOp('getLifecycle', source) },
				{ name: 'Set', parameters: bucketOp('setLifecycle', copy, { specifyRules: 'json', lifecycleRules: '={{ $json.rules }}' }) },
				{ name: 'Get Copy', parameters: bucketOp('getLifecycle', copy) },
			]);
			for (const step of ['Get', 'Set', 'Get Copy']) expect(run.nodeError(step)).toBeUndefined();
			const sorted = (list: unknown) => [...(list as IDataObject[])].sort((a, b) => String(a.ID).localeCompare(String(b.ID)));
			expect(sorted(run.output('Get')![0].json.rules)).toEqual(sorted(rules));
			expect(run.output('Get Copy')![0].json).toEqual({ bucket: copy, rules: run.output('Get')![0].json.rules });
		});

		it('Set replaces the rules the bucket had', async () => {
			const bucket = await newBucket('lc-replace');
			await runNode(lifecycleForm(bucket, { prefix: 'a/', expireAfterDays: 10 }));
			await runNode(lifecycleForm(bucket, { prefix: 'b/', expireAfterDays: 20, abortIncompleteUploadsAfterDays: 0 }));
			const [got] = await runNode(bucketOp('getLifecycle', bucket));
			expect(got.json.rules).toEqual([{ ID: 'prefix-b/', Status: 'Enabled', Filter: { Prefix: 'b/' }, Expiration: { Days: 20 } }]);
		});

		it('Delete removes every rule: Get gives an empty list again, and Delete on a bucket without rules is fine', async () => {
			const bucket = await newBucket('lc-delete');
			await runNode(lifecycleForm(bucket, { prefix: 'logs/', expireAfterDays: 30 }));
			const [deleted] = await runNode(bucketOp('deleteLifecycle', bucket));
			expect(deleted.json).toEqual({ bucket, deleted: true });
			await expect(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchLifecycleConfiguration' });
			const [got] = await runNode(bucketOp('getLifecycle', bucket));
			expect(got.json.rules).toEqual([]);
			const [again] = await runNode(bucketOp('deleteLifecycle', bucket));
			expect(again.json).toEqual({ bucket, deleted: true });
		});

		it('bad input is refused naming the field, and the rules the bucket had stay', async () => {
			const bucket = await newBucket('lc-bad');
			await runNode(lifecycleForm(bucket, { prefix: 'keep/', expireAfterDays: 9, abortIncompleteUploadsAfterDays: 0 }));
			const cases: Array<[IDataObject, string]> = [
				[lifecycleForm(bucket, { expireAfterDays: -1 }), 'The "Expire Objects After (Days)" of item 0 is -1; it must be a whole number of days (0 turns it off)'],
				[lifecycleForm(bucket, { abortIncompleteUploadsAfterDays: 2.5 }), 'The "Abort Incomplete Uploads After (Days)" of item 0 is 2.5; it must be a whole number of days (0 turns it off)'],
				[lifecycleForm(bucket, { expireAfterDays: 0, abortIncompleteUploadsAfterDays: 0, noncurrentVersionsExpireAfterDays: 0 }), 'The lifecycle rule of item 0 does nothing: every period is 0'],
				[lifecycleJson(bucket, []), 'The "Lifecycle Rules (JSON)" of item 0 holds no rules'],
				[lifecycleJson(bucket, '[{"ID": "x",'), 'The "Lifecycle Rules (JSON)" of item 0 is not valid JSON'],
				[lifecycleJson(bucket, [{ ID: 'x', Status: 'Enabled', Expiration: { Days: -3 } }]), 'Rule 1\'s "Expiration.Days" in "Lifecycle Rules (JSON)" of item 0 is -3; it must be a whole number of days of at least 1'],
				[lifecycleJson(bucket, [{ ID: 'x', Expiration: { Days: 3 } }]), 'Rule 1 in "Lifecycle Rules (JSON)" of item 0 has "Status" missing; it must be "Enabled" or "Disabled"'],
				[lifecycleJson(bucket, [{ id: 'x', status: 'Enabled', expiration: { days: 3 } }]), 'Rule 1 in "Lifecycle Rules (JSON)" of item 0 has fields the S3 API does not know: "id", "status", "expiration"'],
			];
			for (const [parameters, message] of cases) {
				const error = await runNodeError(parameters);
				expect(error.message).toContain(message);
			}
			const [got] = await runNode(bucketOp('getLifecycle', bucket));
			expect(got.json.rules).toEqual([{ ID: 'prefix-keep/', Status: 'Enabled', Filter: { Prefix: 'keep/' }, Expiration: { Days: 9 } }]);
		});

		it('Get on a bucket that does not exist fails saying so', async () => {
			const missing = uniqueBucket('lc-missing');
			const error = await runNodeError(bucketOp('getLifecycle', missing));
			expect(error.message).toBe(`Bucket "${missing}" does not exist [item 0]`);
		});
	});

	(config.lifecycle ? it.skip : it)('a server without lifecycle rules says so clearly, and bad input is still refused first', async () => {
		const bucket = await newBucket('lc-unsupported');
		const error = await runNodeError(bucketOp('getLifecycle', bucket));
		expect(error.message).toBe(notImplemented('read the lifecycle rules of', bucket));
		const setError = await runNodeError(lifecycleForm(bucket, { prefix: 'logs/', expireAfterDays: 30 }));
		expect(setError.message).toBe(notImplemented('set the lifecycle rules of', bucket));
		const refused = await runNodeError(lifecycleForm(bucket, { expireAfterDays: -1 }));
		expect(refused.message).toBe('The "Expire Objects After (Days)" of item 0 is -1; it must be a whole number of days (0 turns it off)');
	});
});

describe('CORS rules', () => {
	/**
	 * A browser's preflight request: may a page from `origin` send `method` to this object? A browser
	 * goes on when the answer is 200 and allows its origin, by name or as "*" (s3rver answers "*").
	 */
	async function preflight(bucket: string, origin: string, method: string): Promise<boolean> {
		const response = await fetch(`${target.endpoint}/${bucket}/page.html`, {
			method: 'OPTIONS',
			headers: { Origin: origin, 'Access-Control-Request-Method': method },
		});
		await response.arrayBuffer();
		const allowOrigin = response.headers.get('access-control-allow-origin');
		const allowMethods = response.headers.get('access-control-allow-methods') ?? '';
		return response.status === 200 && (allowOrigin === origin || allowOrigin === '*') && allowMethods.includes(method);
	}

	const corsForm = (bucket: string, fields: IDataObject) => bucketOp('setCors', bucket, { specifyRules: 'form', ...fields });
	const corsJson = (bucket: string, rules: unknown) =>
		bucketOp('setCors', bucket, { specifyRules: 'json', corsRules: typeof rules === 'string' ? rules : JSON.stringify(rules) });

	it('Get on a bucket without CORS rules gives an empty list, and a browser\'s preflight is refused', async () => {
		const bucket = await newBucket('cors-none');
		const [item] = await runNode(bucketOp('getCors', bucket));
		expect(item.json).toEqual({ bucket, rules: [] });
		expect(await preflight(bucket, 'https://app.example.com', 'GET')).toBe(false);
	});

	it('Set from the fields lets pages of the allowed sites call the bucket, and no others', async () => {
		const bucket = await newBucket('cors-form');
		const [set] = await runNode(
			corsForm(bucket, {
				allowedOrigins: 'https://app.example.com, https://admin.example.com',
				allowedMethods: ['GET', 'PUT'],
				options: { allowedHeaders: 'Content-Type', exposeHeaders: 'ETag', maxAgeSeconds: 600 },
			}),
		);
		const rule = {
			AllowedOrigins: ['https://app.example.com', 'https://admin.example.com'],
			AllowedMethods: ['GET', 'PUT'],
			AllowedHeaders: ['Content-Type'],
			ExposeHeaders: ['ETag'],
			MaxAgeSeconds: 600,
		};
		expect(set.json).toEqual({ bucket, rules: [rule] });
		const [got] = await runNode(bucketOp('getCors', bucket));
		// Ceph RGW gives the origins back sorted.
		const originsSorted = (rules: unknown) => (rules as IDataObject[]).map((entry) => ({ ...entry, AllowedOrigins: [...(entry.AllowedOrigins as string[])].sort() }));
		expect(got.json.bucket).toBe(bucket);
		expect(originsSorted(got.json.rules)).toEqual(originsSorted([rule]));

		expect(await preflight(bucket, 'https://admin.example.com', 'PUT')).toBe(true);
		expect(await preflight(bucket, 'https://app.example.com', 'GET')).toBe(true);
		expect(await preflight(bucket, 'https://elsewhere.example.net', 'GET')).toBe(false);
		expect(await preflight(bucket, 'https://app.example.com', 'DELETE')).toBe(false);
	});

	it('round trip: the rules Get gives, fed to Set on another bucket, come back the same', async () => {
		const source = await newBucket('cors-src');
		const copy = await newBucket('cors-copy');
		const rules = [
			{ ID: 'app', AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'HEAD'], MaxAgeSeconds: 3000 },
			{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], AllowedHeaders: ['*'] },
		];
		await runNode(corsJson(source, { CORSRules: rules }));
		const run = await runSteps([
			{ name: 'Get', parameters: bucketOp('getCors', source) },
			{ name: 'Set', parameters: bucketOp('setCors', copy, { specifyRules: 'json', corsRules: '={{ $json.rules }}' }) },
			{ name: 'Get Copy', parameters: bucketOp('getCors', copy) },
		]);
		for (const step of ['Get', 'Set', 'Get Copy']) expect(run.nodeError(step)).toBeUndefined();
		expect(run.output('Get')![0].json.rules).toEqual(rules);
		expect(run.output('Get Copy')![0].json).toEqual({ bucket: copy, rules });
		// The copy's rules work: any site may now GET.
		expect(await preflight(copy, 'https://anyone.example.org', 'GET')).toBe(true);
	});

	it('Delete removes every rule: Get gives an empty list and the preflight is refused again', async () => {
		const bucket = await newBucket('cors-delete');
		await runNode(corsForm(bucket, { allowedOrigins: 'https://app.example.com', allowedMethods: ['GET'] }));
		expect(await preflight(bucket, 'https://app.example.com', 'GET')).toBe(true);
		const [deleted] = await runNode(bucketOp('deleteCors', bucket));
		expect(deleted.json).toEqual({ bucket, deleted: true });
		await expect(client.send(new GetBucketCorsCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
		const [got] = await runNode(bucketOp('getCors', bucket));
		expect(got.json.rules).toEqual([]);
		expect(await preflight(bucket, 'https://app.example.com', 'GET')).toBe(false);
	});

	it('bad input is refused naming the field, and the rules the bucket had stay', async () => {
		const bucket = await newBucket('cors-bad');
		await runNode(corsForm(bucket, { allowedOrigins: 'https://keep.example.com', allowedMethods: ['GET'] }));
		const cases: Array<[IDataObject, string]> = [
			[corsForm(bucket, { allowedOrigins: ' ', allowedMethods: ['GET'] }), 'The "Allowed Origins" of item 0 is empty'],
			[corsForm(bucket, { allowedOrigins: '*', allowedMethods: [] }), 'The "Allowed Methods" of item 0 is empty'],
			[corsForm(bucket, { allowedOrigins: '*', allowedMethods: ['GET'], options: { maxAgeSeconds: -1 } }), 'The "Max Age (Seconds)" of item 0 is -1; it must be a whole number of seconds, 0 or more'],
			[corsJson(bucket, []), 'The "CORS Rules (JSON)" of item 0 holds no rules'],
			[corsJson(bucket, '{"CORSRules": ['), 'The "CORS Rules (JSON)" of item 0 is not valid JSON'],
			[corsJson(bucket, [{ AllowedOrigins: ['*'], AllowedMethods: ['FETCH'] }]), 'Rule 1 in "CORS Rules (JSON)" of item 0 allows the method "FETCH"; S3 allows GET, PUT, POST, DELETE, HEAD'],
			[corsJson(bucket, [{ AllowedMethods: ['GET'] }]), 'Rule 1 in "CORS Rules (JSON)" of item 0 needs "AllowedOrigins": a list of at least one text'],
			[corsJson(bucket, { rules: [] }), 'The "CORS Rules (JSON)" of item 0 is an object; it must be a list of rules or an object with "CORSRules"'],
		];
		for (const [parameters, message] of cases) {
			const error = await runNodeError(parameters);
			expect(error.message).toContain(message);
		}
		const [got] = await runNode(bucketOp('getCors', bucket));
		expect(got.json.rules).toEqual([{ AllowedOrigins: ['https://keep.example.com'], AllowedMethods: ['GET'] }]);
	});
});

describe('Bucket policy', () => {
	const publicRead = (bucket: string) => ({
		Version: '2012-10-17',
		Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
	});

	/** Whether another user of the server (or, without one, an anonymous request) can read the object. */
	async function othersCanRead(bucket: string, key: string): Promise<{ otherUser?: boolean; anonymous: boolean }> {
		const anonymous = (await fetch(`${target.endpoint}/${bucket}/${key}`)).status === 200;
		if (!otherKey) return { anonymous };
		const other: S3Client = rawClient({ ...target, accessKeyId: otherKey, secretAccessKey: process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY ?? '' });
		try {
			const answer = await other.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
			await answer.Body?.transformToString();
			return { otherUser: true, anonymous };
		} catch (error) {
			if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) return { otherUser: false, anonymous };
			throw error;
		} finally {
			other.destroy();
		}
	}
	const everyone = (can: boolean) => (otherKey ? { otherUser: can, anonymous: can } : { anonymous: can });

	(config.policy ? describe : describe.skip)('on a server that keeps policies', () => {
		it('Get on a bucket without a policy gives hasPolicy: false and policy: null', async () => {
			const bucket = await newBucket('pol-none');
			const [item] = await runNode(bucketOp('getPolicy', bucket));
			expect(item.json).toEqual({ bucket, hasPolicy: false, policy: null });
		});

		it('a public-read policy lets others read objects; Get gives it back; after Delete they cannot', async () => {
			const bucket = await newBucket('pol-public');
			await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared.txt', Body: 'for everyone' }));
			expect(await othersCanRead(bucket, 'shared.txt')).toEqual(everyone(false));

			const [set] = await runNode(bucketOp('setPolicy', bucket, { policy: JSON.stringify(publicRead(bucket), null, 2) }));
			expect(set.json).toEqual({ bucket, policy: publicRead(bucket) });
			expect(await othersCanRead(bucket, 'shared.txt')).toEqual(everyone(true));
			const [got] = await runNode(bucketOp('getPolicy', bucket));
			expect(got.json).toEqual({ bucket, hasPolicy: true, policy: publicRead(bucket) });

			const [deleted] = await runNode(bucketOp('deletePolicy', bucket));
			expect(deleted.json).toEqual({ bucket, deleted: true });
			expect(await othersCanRead(bucket, 'shared.txt')).toEqual(everyone(false));
			const [after] = await runNode(bucketOp('getPolicy', bucket));
			expect(after.json).toEqual({ bucket, hasPolicy: false, policy: null });
		});

		it('round trip: the policy Get gives, fed to Set (as an object, by expression), is stored unchanged', async () => {
			const bucket = await newBucket('pol-trip');
			await runNode(bucketOp('setPolicy', bucket, { policy: JSON.stringify(publicRead(bucket)) }));
			const run = await runSteps([
				{ name: 'Get', parameters: bucketOp('getPolicy', bucket) },
				{ name: 'Set', parameters: bucketOp('setPolicy', bucket, { policy: '={{ $json.policy }}' }) },
				{ name: 'Get Again', parameters: bucketOp('getPolicy', bucket) },
			]);
			for (const step of ['Get', 'Set', 'Get Again']) expect(run.nodeError(step)).toBeUndefined();
			expect(run.output('Get Again')![0].json).toEqual({ bucket, hasPolicy: true, policy: publicRead(bucket) });
		});

		it('invalid JSON, a list or a policy without statements is refused before any request; the policy in force stays', async () => {
			const bucket = await newBucket('pol-bad');
			await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared.txt', Body: 'x' }));
			await runNode(bucketOp('setPolicy', bucket, { policy: JSON.stringify(publicRead(bucket)) }));
			const cases: Array<[string, string]> = [
				['{"Version": "2012-10-17", "Statement": [', 'The "Policy (JSON)" of item 0 is not valid JSON'],
				['', 'The "Policy (JSON)" of item 0 is empty'],
				['[]', 'The "Policy (JSON)" of item 0 is a list; a bucket policy is a JSON object'],
				['{"Version": "2012-10-17"}', 'The "Policy (JSON)" of item 0 has no "Statement"'],
			];
			for (const [policy, message] of cases) {
				const error = await runNodeError(bucketOp('setPolicy', bucket, { policy }));
				expect(error.message).toContain(message);
			}
			const [got] = await runNode(bucketOp('getPolicy', bucket));
			expect(got.json.policy).toEqual(publicRead(bucket));
			expect(await othersCanRead(bucket, 'shared.txt')).toEqual(everyone(true));
		});

		it('a policy the server refuses fails with the server\'s code, naming the bucket', async () => {
			const bucket = await newBucket('pol-refused');
			const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] };
			const error = await runNodeError(bucketOp('setPolicy', bucket, { policy: JSON.stringify(policy) }));
			expect(error.message).toMatch(new RegExp(`^Could not set the policy of bucket "${bucket}": .*\\((InvalidArgument|MalformedPolicy), HTTP 400\\) \\[item 0\\]$`));
			const [got] = await runNode(bucketOp('getPolicy', bucket));
			expect(got.json.hasPolicy).toBe(false);
		});
	});

	(config.policy ? it.skip : it)('a server without bucket policies says so clearly, and invalid JSON is still refused first', async () => {
		const bucket = await newBucket('pol-unsupported');
		expect((await runNodeError(bucketOp('getPolicy', bucket))).message).toBe(notAllowed('read the policy of', bucket));
		expect((await runNodeError(bucketOp('setPolicy', bucket, { policy: JSON.stringify(publicRead(bucket)) }))).message).toBe(
			notImplemented('set the policy of', bucket),
		);
		expect((await runNodeError(bucketOp('setPolicy', bucket, { policy: '{' }))).message).toMatch(/^The "Policy \(JSON\)" of item 0 is not valid JSON/);
	});
});

describe('Default encryption', () => {
	const setEncryption = (bucket: string, encryption: string, fields: IDataObject = {}) => bucketOp('setEncryption', bucket, { encryption, ...fields });

	(config.encryption ? it : it.skip)('Set AES256 then Get shows it', async () => {
		const bucket = await newBucket('enc-set');
		const [set] = await runNode(setEncryption(bucket, 'AES256'));
		expect(set.json).toEqual({ bucket, encryption: 'AES256' });
		const [got] = await runNode(bucketOp('getEncryption', bucket));
		expect(got.json).toMatchObject({ bucket, encryption: 'AES256' });
	});

	(target.server === 'rgw' ? it : it.skip)(
		'a server without key management: Get gives encryption: null, Set fails naming the bucket and the algorithm, nothing changes',
		async () => {
			const bucket = await newBucket('enc-rgw');
			const [before] = await runNode(bucketOp('getEncryption', bucket));
			expect(before.json).toEqual({ bucket, encryption: null });
			for (const [encryption, fields] of [['AES256', {}], ['aws:kms', { kmsKeyId: 'test-key' }]] as const) {
				const error = await runNodeError(setEncryption(bucket, encryption, fields));
				expect(error.message).toBe(
					`Could not set the default encryption (${encryption}) of bucket "${bucket}": this server does not accept default encryption "${encryption}" (InvalidArgument, HTTP 400) [item 0]`,
				);
				// Nothing Amazon-specific (a KMS ARN, an AWS-managed key) is offered as the fix on this server.
				expect(error.description).toMatch(encryption === 'AES256' ? /^Server-managed encryption \(AES256\) needs encryption/ : /^Encryption with a KMS key needs a key management service/);
				expect(error.description).toMatch(/Nothing was changed: new objects are stored as before/);
				expect(error.description).not.toMatch(/AWS|Amazon|arn:/);
			}
			const [after] = await runNode(bucketOp('getEncryption', bucket));
			expect(after.json).toEqual({ bucket, encryption: null });
			// Objects are still written, unencrypted.
			await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.txt', Body: 'x' }));
		},
	);

	(target.server === 's3rver' ? it : it.skip)('a server without default encryption says so clearly', async () => {
		const bucket = await newBucket('enc-s3rver');
		expect((await runNodeError(bucketOp('getEncryption', bucket))).message).toBe(notImplemented('read the default encryption of', bucket));
		expect((await runNodeError(setEncryption(bucket, 'AES256'))).message).toBe(notImplemented('set the default encryption (AES256) of', bucket));
	});

	it('an encryption that is neither AES256 nor aws:kms is refused before any request', async () => {
		const bucket = await newBucket('enc-bad');
		const error = await runNodeError(setEncryption(bucket, '={{ "DES" }}'));
		expect(error.message).toBe('The "Encryption" of item 0 is "DES"; it must be "AES256" or "aws:kms"');
	});
});
