/**
 * Object > Restore and the restore status Get Metadata shows. Neither s3rver nor Ceph RGW 16 has an
 * archive storage class (restoring cloud-tiered objects came with Ceph 18/19), so on them the test
 * shows what they really answer and how the node words it. Amazon S3's documented answers (202 a new
 * restore, 200 a copy already there, 409 RestoreAlreadyInProgress, 403 InvalidObjectState) are
 * given by the fault proxy in front of the server, so the node's handling of each runs through the
 * engine and the real transport.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

import { destroyClients } from '../../nodes/S3Storage/transport/client';
import { s3ErrorAnswer, startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { bucketParam, runNode, runNodeError } from '../support/harness';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const client = rawClient(target);
const bucket = uniqueBucket('restore');
const KEY = 'archive/report.csv';
let proxy: FaultProxy;

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await client.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: 'a,b\n1,2\n' }));
	proxy = await startFaultProxy(target.endpoint);
});

beforeEach(() => {
	proxy.rule = undefined;
	proxy.clear();
});

afterAll(async () => {
	await proxy?.stop();
	destroyClients();
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	client.destroy();
});

const restore = (extra: IDataObject = {}) => ({ resource: 'object', operation: 'restore', bucket: bucketParam(bucket), key: KEY, days: 3, tier: 'Bulk', ...extra });
/** Runs the node with a credential pointed at the proxy, whose answers are Amazon S3's, not the server's. */
const throughProxy = () => ({ credential: credentialFor(target, { endpoint: proxy.endpoint }), answersFaked: true });
/** The RestoreObject requests (POST /bucket/key?restore) the proxy saw. */
const restoreRequests = () => proxy.requests.filter((request) => request.method === 'POST' && request.operation.split('&').includes('restore'));

describe('on the server under test (no archive storage class)', () => {
	(target.server === 'rgw' ? it : it.skip)(
		'Ceph RGW 16 answers every restore with 501 NotImplemented: the node says the server has no archive tier and the object can be read directly',
		async () => {
			const error = await runNodeError(restore());
			expect(error.message).toBe(
				`Could not restore object "${KEY}" in bucket "${bucket}": this server does not support restoring archived objects (NotImplemented, HTTP 501) [item 0]`,
			);
			expect(error.description).toMatch(/This server has no such class .*read or download them directly/);
			// Even for a key that does not exist: RGW 16 does not look at the object at all.
			const missing = await runNodeError(restore({ key: 'no/such/key' }));
			expect(missing.message).toMatch(/does not support restoring archived objects \(NotImplemented, HTTP 501\)/);
		},
	);

	(target.server === 's3rver' ? it : it.skip)('s3rver has no restore (501 NotImplemented): the node says the server does not support it', async () => {
		const error = await runNodeError(restore());
		expect(error.message).toBe(
			`Could not restore object "${KEY}" in bucket "${bucket}": this server does not support restoring archived objects (NotImplemented, HTTP 501) [item 0]`,
		);
	});

	it('Get Metadata of an object that is not archived has no restore status', async () => {
		const [item] = await runNode({ resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: KEY });
		expect(item.json).toMatchObject({ bucket, key: KEY, exists: true, storageClass: 'STANDARD' });
		expect(item.json).not.toHaveProperty('restore');
		expect(item.json).not.toHaveProperty('archiveStatus');
	});

	it('Days must be a whole number of at least 1, checked before any request', async () => {
		const error = await runNodeError(restore({ days: 0 }), undefined, throughProxy());
		expect(error.message).toBe('The "Days" of item 0 is 0; it must be a whole number of at least 1');
		expect(proxy.requests).toHaveLength(0);
	});
});

describe("Amazon S3's answers, given by the proxy", () => {
	it('202 Accepted: a new restore started', async () => {
		proxy.rule = (request) => (request.method === 'POST' && request.query.has('restore') ? { kind: 'answer', status: 202, body: '' } : undefined);
		const [item] = await runNode(restore(), undefined, throughProxy());
		expect(item.json).toEqual({ bucket, key: KEY, days: 3, tier: 'Bulk', restoreRequested: true, alreadyRestored: false, inProgress: true });
		expect(restoreRequests()).toHaveLength(1);
	});

	it('200 OK: a restored copy is already there', async () => {
		proxy.rule = (request) => (request.method === 'POST' && request.query.has('restore') ? { kind: 'answer', status: 200, body: '' } : undefined);
		const [item] = await runNode(restore({ options: { versionId: 'v1' } }), undefined, throughProxy());
		expect(item.json).toEqual({ bucket, key: KEY, versionId: 'v1', days: 3, tier: 'Bulk', restoreRequested: true, alreadyRestored: true, inProgress: false });
		expect(restoreRequests().map((request) => [request.path, request.operation])).toEqual([[`/${bucket}/${KEY}`, 'restore&versionId']]);
	});

	it('409 RestoreAlreadyInProgress is reported as in progress, not as a failure', async () => {
		proxy.rule = (request) =>
			request.method === 'POST' && request.query.has('restore') ? s3ErrorAnswer(409, 'RestoreAlreadyInProgress', 'Object restore is already in progress') : undefined;
		const [item] = await runNode(restore(), undefined, throughProxy());
		expect(item.json).toEqual({ bucket, key: KEY, days: 3, tier: 'Bulk', restoreRequested: true, alreadyRestored: false, inProgress: true });
	});

	it('403 InvalidObjectState: the object is not archived and can be read directly', async () => {
		proxy.rule = (request) =>
			request.method === 'POST' && request.query.has('restore')
				? s3ErrorAnswer(403, 'InvalidObjectState', 'Restore is not allowed for the object\'s current storage class')
				: undefined;
		const error = await runNodeError(restore(), undefined, throughProxy());
		expect(error.message).toBe(
			`Could not restore object "${KEY}" in bucket "${bucket}": this object is not in an archive storage class; it can be read directly (InvalidObjectState, HTTP 403) [item 0]`,
		);
	});
});
