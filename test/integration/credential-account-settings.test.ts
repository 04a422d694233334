/**
 * The credential's "Bucket Owner and Requester Pays" settings: Expected Bucket Owner and Requester
 * Pays travel as x-amz-expected-bucket-owner and x-amz-request-payer on every request addressed to a
 * bucket (seen by a proxy between the node and the server), not at all with the switch off; a bad
 * account ID is refused before any request; presigned URLs carry the request payer. On Ceph RGW, a
 * second user reads the first user's requester-pays bucket with the setting and is refused without it.
 */
import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	PutBucketPolicyCommand,
	PutBucketRequestPaymentCommand,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { destroyClients } from '../../nodes/S3Storage/transport/client';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { bucketParam, runNode, runNodeError } from '../support/harness';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const client = rawClient(target);
const bucket = uniqueBucket('acct');
const OWNER = '111122223333';
let proxy: FaultProxy;

beforeAll(async () => {
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
	await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt', Body: 'hello' }));
	proxy = await startFaultProxy(target.endpoint);
});

beforeEach(() => proxy.clear());

afterAll(async () => {
	await proxy?.stop();
	destroyClients();
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	client.destroy();
});

const viaProxy = (overrides: IDataObject) => ({ credential: credentialFor(target, { endpoint: proxy.endpoint, ...overrides }) });
const settingsOn = { accountSettings: true, expectedBucketOwner: OWNER, requesterPays: true };

/** A few operations of different kinds: a write, a HEAD, a listing, a read, a delete. */
async function runSomeOperations(credential: { credential: IDataObject }) {
	const object = { resource: 'object', bucket: bucketParam(bucket) };
	await runNode({ ...object, operation: 'upload', key: 'acct/new.txt', dataSource: 'text', text: 'new' }, undefined, credential);
	await runNode({ ...object, operation: 'getMetadata', key: 'acct/new.txt' }, undefined, credential);
	await runNode({ ...object, operation: 'getMany', returnAll: true }, undefined, credential);
	await runNode({ ...object, operation: 'read', key: 'acct/new.txt' }, undefined, credential);
	await runNode({ ...object, operation: 'delete', key: 'acct/new.txt' }, undefined, credential);
}

describe('headers on every request', () => {
	it('with the settings on, every request to the bucket carries x-amz-expected-bucket-owner and x-amz-request-payer: requester', async () => {
		await runSomeOperations(viaProxy(settingsOn));
		const requests = proxy.requests.filter((request) => request.bucket === bucket);
		expect(requests.map((request) => request.name)).toEqual(expect.arrayContaining(['PutObject', 'HeadObject', 'ListObjectsV2', 'GetObject', 'DeleteObject']));
		for (const request of requests) {
			expect([request.name, request.headers['x-amz-expected-bucket-owner'], request.headers['x-amz-request-payer']]).toEqual([request.name, OWNER, 'requester']);
		}
		// s3rver and Ceph RGW 16 do not check the owner: the account ID above is no real owner, and every request succeeded.
	});

	it('with the switch off, nothing is added even when the hidden fields still hold values; an empty owner sends only the payer', async () => {
		await runSomeOperations(viaProxy({ ...settingsOn, accountSettings: false }));
		expect(proxy.requests.length).toBeGreaterThan(4);
		for (const request of proxy.requests) {
			expect(request.headers['x-amz-expected-bucket-owner']).toBeUndefined();
			expect(request.headers['x-amz-request-payer']).toBeUndefined();
		}
		proxy.clear();
		await runNode({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: 'doc.txt' }, undefined, viaProxy({ ...settingsOn, expectedBucketOwner: ' ' }));
		expect(proxy.requests.map((request) => [request.headers['x-amz-expected-bucket-owner'], request.headers['x-amz-request-payer']])).toEqual([[undefined, 'requester']]);
	});

	it('ListBuckets (not addressed to a bucket) gets neither header', async () => {
		await runNode({ resource: 'bucket', operation: 'getMany', returnAll: true }, undefined, viaProxy(settingsOn));
		expect(proxy.named('ListBuckets')).toHaveLength(1);
		expect(proxy.named('ListBuckets')[0].headers['x-amz-expected-bucket-owner']).toBeUndefined();
		expect(proxy.named('ListBuckets')[0].headers['x-amz-request-payer']).toBeUndefined();
	});

	it('an Expected Bucket Owner that is not a 12-digit account ID is refused before any request', async () => {
		const error = await runNodeError(
			{ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: 'doc.txt' },
			undefined,
			viaProxy({ ...settingsOn, expectedBucketOwner: '1111-2222-3333' }),
		);
		expect(error.message).toBe('The S3 Storage credential cannot be used: "Expected Bucket Owner" must be a 12-digit account ID, not "1111-2222-3333"');
		expect(error.description).toMatch(/e\.g\. 111122223333 \(12 digits, no dashes\)/);
		expect(proxy.requests).toHaveLength(0);
	});

	it('a presigned download URL carries x-amz-request-payer=requester (signed), not the expected owner, and works', async () => {
		const presign = async (overrides: IDataObject) =>
			(await runNode({ resource: 'object', operation: 'getPresignedUrl', bucket: bucketParam(bucket), method: 'get', key: 'doc.txt', expiresIn: 600 }, undefined, viaProxy(overrides)))[0].json;
		const withPayer = new URL(String((await presign(settingsOn)).url));
		expect(withPayer.searchParams.get('x-amz-request-payer')).toBe('requester');
		expect(withPayer.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
		expect(withPayer.searchParams.has('x-amz-expected-bucket-owner')).toBe(false);
		const response = await fetch(withPayer);
		expect([response.status, await response.text()]).toEqual([200, 'hello']);
		const without = new URL(String((await presign({})).url));
		expect(without.searchParams.has('x-amz-request-payer')).toBe(false);
	});
});

/** Ceph RGW enforces requester pays: it refuses another user's read of such a bucket unless the request says the requester pays. */
const otherKeys = process.env.S3_TEST_OTHER_ACCESS_KEY_ID && process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY;
(target.server === 'rgw' && otherKeys ? describe : describe.skip)("another user's requester-pays bucket (Ceph RGW)", () => {
	const shared = uniqueBucket('acct-rp');
	const other = (overrides: IDataObject = {}) => ({
		credential: credentialFor(target, {
			accessKeyId: process.env.S3_TEST_OTHER_ACCESS_KEY_ID,
			secretAccessKey: process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY,
			...overrides,
		}),
	});
	const read = (overrides: IDataObject = {}) => ({ resource: 'object', operation: 'read', bucket: bucketParam(shared), key: 'shared.txt', ...overrides });

	beforeAll(async () => {
		await client.send(new CreateBucketCommand({ Bucket: shared }));
		await client.send(new PutObjectCommand({ Bucket: shared, Key: 'shared.txt', Body: 'paid by the reader' }));
		// The owner lets the second user (RGW user "other") read the bucket.
		const policy = {
			Version: '2012-10-17',
			Statement: [
				{
					Effect: 'Allow',
					Principal: { AWS: ['arn:aws:iam:::user/other'] },
					Action: ['s3:GetObject', 's3:ListBucket'],
					Resource: [`arn:aws:s3:::${shared}`, `arn:aws:s3:::${shared}/*`],
				},
			],
		};
		await client.send(new PutBucketPolicyCommand({ Bucket: shared, Policy: JSON.stringify(policy) }));
	});

	afterAll(async () => {
		await client.send(new DeleteObjectCommand({ Bucket: shared, Key: 'shared.txt' }));
		await client.send(new DeleteBucketCommand({ Bucket: shared }));
	});

	it('before the bucket is requester pays, the other user reads it without the setting (the policy allows it)', async () => {
		const [item] = await runNode(read(), undefined, other());
		expect(item.json.objectData).toBe('paid by the reader');
	});

	it('once it is, the other user is refused without Requester Pays and reads it with it, also through a presigned URL', async () => {
		await client.send(new PutBucketRequestPaymentCommand({ Bucket: shared, RequestPaymentConfiguration: { Payer: 'Requester' } }));
		const refused = await runNodeError(read(), undefined, other());
		expect(refused.message).toMatch(/^Access denied: the credential may not read object "shared.txt" in bucket "t-acct-rp-/);
		const [item] = await runNode(read(), undefined, other({ accountSettings: true, requesterPays: true }));
		expect(item.json.objectData).toBe('paid by the reader');
		// The owner itself never needs the setting.
		expect((await runNode(read()))[0].json.objectData).toBe('paid by the reader');

		const presign = async (overrides: IDataObject) =>
			String(
				(await runNode({ resource: 'object', operation: 'getPresignedUrl', bucket: bucketParam(shared), method: 'get', key: 'shared.txt', expiresIn: 600 }, undefined, other(overrides)))[0]
					.json.url,
			);
		const paid = await fetch(await presign({ accountSettings: true, requesterPays: true }));
		expect([paid.status, await paid.text()]).toEqual([200, 'paid by the reader']);
		const unpaid = await fetch(await presign({}));
		expect(unpaid.status).toBe(403);
		await unpaid.arrayBuffer();
	});
});
