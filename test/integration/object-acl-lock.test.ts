/**
 * Object > Get ACL, Set ACL; Object Lock: Bucket > Create with Object Lock, Object > Get/Set Retention,
 * Get/Set Legal Hold. Access control and locks are enforced only by a real server (Ceph RGW): s3rver
 * checks no signatures and has no versioning, so what it cannot show is skipped there.
 */
import {
	DeleteObjectCommand,
	GetObjectLockConfigurationCommand,
	GetObjectAclCommand,
	GetObjectLegalHoldCommand,
	ListObjectVersionsCommand,
	PutObjectCommand,
	PutObjectLegalHoldCommand,
} from '@aws-sdk/client-s3';

import { bucketParam, runNode, runNodeError } from '../support/harness';
import { capabilities, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const caps = capabilities(target);
const client = rawClient(target);
// s3rver answers every ACL request with one fixed, made-up ACL (even for a missing key) and checks no
// signatures, so ACLs are shown only on a real server.
const acls = caps.checksSignatures;
// Object Lock needs versioning; every server here with versioning (RGW 16, MinIO, AWS) has it.
const objectLock = caps.versioning;

const anonymousGet = async (bucket: string, key: string) => (await fetch(`${target.endpoint}/${bucket}/${encodeURIComponent(key)}`)).status;

describe('ACL', () => {
	const bucket = uniqueBucket('obj-acl');

	beforeAll(async () => {
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt', Body: 'hello' }));
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	});

	const op = (operation: string, extra: Record<string, unknown> = {}) =>
		runNode({ resource: 'object', operation, bucket: bucketParam(bucket), key: 'doc.txt', ...extra });

	(acls ? it : it.skip)('Get ACL returns the owner and the grants as JSON', async () => {
		const [acl] = await op('getAcl');
		expect(acl.json).toMatchObject({ bucket, key: 'doc.txt', owner: { ID: expect.any(String) } });
		const grants = acl.json.grants as Array<{ Grantee: Record<string, string>; Permission: string }>;
		expect(grants).toEqual(
			expect.arrayContaining([expect.objectContaining({ Permission: 'FULL_CONTROL', Grantee: expect.objectContaining({ Type: 'CanonicalUser' }) })]),
		);
	});

	(acls ? it : it.skip)('after Set ACL public-read anyone can download the object; after private no more', async () => {
		expect(await anonymousGet(bucket, 'doc.txt')).toBe(403);
		const [set] = await op('setAcl', { acl: 'public-read' });
		expect(set.json).toEqual({ bucket, key: 'doc.txt', acl: 'public-read' });
		expect(await anonymousGet(bucket, 'doc.txt')).toBe(200);
		const grants = (await op('getAcl'))[0].json.grants as Array<{ Grantee: Record<string, string>; Permission: string }>;
		expect(grants).toEqual(expect.arrayContaining([{ Grantee: expect.objectContaining({ Type: 'Group', URI: expect.stringMatching(/AllUsers$/) }), Permission: 'READ' }]));
		await op('setAcl', { acl: 'private' });
		expect(await anonymousGet(bucket, 'doc.txt')).toBe(403);
	});

	(acls ? it : it.skip)('Set ACL with custom grants: what Get ACL outputs can be written back, and an AllUsers READ grant opens the object', async () => {
		const [before] = await op('getAcl');
		const owner = before.json.owner as { ID: string };
		const grants = [
			{ Grantee: { Type: 'CanonicalUser', ID: owner.ID }, Permission: 'FULL_CONTROL' },
			{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
		];
		const [set] = await op('setAcl', { acl: 'grants', grants: JSON.stringify(grants) });
		expect(set.json).toMatchObject({ acl: 'grants', owner: { ID: owner.ID }, grants });
		expect(await anonymousGet(bucket, 'doc.txt')).toBe(200);
		const server = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'doc.txt' }));
		expect(server.Grants?.some((grant) => grant.Grantee?.URI?.endsWith('AllUsers') && grant.Permission === 'READ')).toBe(true);
		// Get ACL's output (the whole item, or its grants) fits the field: here without the public grant
		const [now] = await op('getAcl');
		const ownerOnly = (now.json.grants as Array<{ Permission: string }>).filter((grant) => grant.Permission === 'FULL_CONTROL');
		await op('setAcl', { acl: 'grants', grants: JSON.stringify({ ...now.json, grants: ownerOnly }) });
		expect(await anonymousGet(bucket, 'doc.txt')).toBe(403);
	});

	it('bad grants are refused before any request, naming the field', async () => {
		const notJson = await runNodeError({ resource: 'object', operation: 'setAcl', bucket: bucketParam('no-such-bucket-acl'), key: 'doc.txt', acl: 'grants', grants: '[{' });
		expect(notJson.message).toMatch(/^The "Grants \(JSON\)" of item 0 is not valid JSON/);
		const badPermission = await runNodeError({
			resource: 'object',
			operation: 'setAcl',
			bucket: bucketParam('no-such-bucket-acl'),
			key: 'doc.txt',
			acl: 'grants',
			grants: JSON.stringify([{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READS' }]),
		});
		expect(badPermission.message).toBe('Grant 1 in "Grants (JSON)" of item 0 has the permission "READS"');
		const noId = await runNodeError({
			resource: 'object',
			operation: 'setAcl',
			bucket: bucketParam('no-such-bucket-acl'),
			key: 'doc.txt',
			acl: 'grants',
			grants: JSON.stringify([{ Grantee: { Type: 'CanonicalUser' }, Permission: 'READ' }]),
		});
		expect(noId.message).toBe('Grant 1 in "Grants (JSON)" of item 0 has no "ID" for its CanonicalUser grantee');
		const unknownAcl = await runNodeError({ resource: 'object', operation: 'setAcl', bucket: bucketParam('no-such-bucket-acl'), key: 'doc.txt', acl: '={{ "world-readable" }}' });
		expect(unknownAcl.message).toBe('The "ACL" of item 0 is "world-readable"');
	});

	(acls ? it : it.skip)('ACL of a missing object: an error naming it', async () => {
		const error = await runNodeError({ resource: 'object', operation: 'getAcl', bucket: bucketParam(bucket), key: 'nope.txt' });
		expect(error.message).toBe(`Object "nope.txt" not found in bucket "${bucket}" [item 0]`);
	});
});

describe('Object Lock input checks', () => {
	const params = { resource: 'object', bucket: bucketParam('any-bucket'), key: 'k.txt' };

	it('a retain-until date in the past or not a date is refused before any request, naming the field', async () => {
		const past = await runNodeError({ ...params, operation: 'setRetention', mode: 'GOVERNANCE', retainUntil: '2001-01-01T00:00:00Z' });
		expect(past.message).toBe('The "Retain Until" of item 0 (2001-01-01T00:00:00.000Z) is not in the future');
		const notDate = await runNodeError({ ...params, operation: 'setRetention', mode: 'GOVERNANCE', retainUntil: 'next tuesday' });
		expect(notDate.message).toBe('The "Retain Until" of item 0 is "next tuesday", not a date');
	});

	it('an unknown mode or legal-hold status is refused naming the field', async () => {
		const mode = await runNodeError({ ...params, operation: 'setRetention', mode: '={{ "forever" }}', retainUntil: '2099-01-01T00:00:00Z' });
		expect(mode.message).toBe('The "Mode" of item 0 is "forever"');
		const hold = await runNodeError({ ...params, operation: 'setLegalHold', legalHold: '={{ "yes" }}' });
		expect(hold.message).toBe('The "Legal Hold" of item 0 is "yes"');
	});
});

(objectLock ? describe : describe.skip)('Object Lock', () => {
	const bucket = uniqueBucket('obj-lock');
	const plainBucket = uniqueBucket('obj-nolock');
	const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

	beforeAll(async () => {
		const [created] = await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket, options: { objectLock: true } });
		expect(created.json).toMatchObject({ bucket, created: true, objectLock: true });
		await runNode({ resource: 'bucket', operation: 'create', bucketName: plainBucket });
	});

	// Every version goes, locks or not: legal holds lifted, Governance retention bypassed. Tests use
	// Governance only and dates minutes ahead, so nothing is left that the suite cannot delete.
	afterAll(async () => {
		const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
		for (const version of [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]) {
			await client
				.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: version.Key, VersionId: version.VersionId, LegalHold: { Status: 'OFF' } }))
				.catch(() => undefined);
			const remove = () =>
				client.send(new DeleteObjectCommand({ Bucket: bucket, Key: version.Key, VersionId: version.VersionId, BypassGovernanceRetention: true }));
			// A Compliance retention a failed test left is seconds long: wait it out.
			await remove().catch(async () => {
				await new Promise((resolve) => setTimeout(resolve, 6000));
				await remove();
			});
		}
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket) });
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(plainBucket), options: { emptyFirst: true } });
	});

	const put = async (key: string) => (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }))).VersionId as string;
	const op = (operation: string, key: string, extra: Record<string, unknown> = {}) =>
		runNode({ resource: 'object', operation, bucket: bucketParam(bucket), key, ...extra });
	const deleteVersion = (key: string, versionId: string, bypass = false) =>
		client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, BypassGovernanceRetention: bypass || undefined }));

	it('a legal-hold object version cannot be deleted; after Legal Hold OFF it can', async () => {
		const versionId = await put('held.txt');
		const [set] = await op('setLegalHold', 'held.txt', { legalHold: 'ON' });
		expect(set.json).toMatchObject({ bucket, key: 'held.txt', legalHold: 'ON' });
		expect((await op('getLegalHold', 'held.txt'))[0].json.legalHold).toBe('ON');
		await expect(deleteVersion('held.txt', versionId)).rejects.toMatchObject({ name: 'AccessDenied' });
		const nodeDelete = await runNodeError({ resource: 'object', operation: 'delete', bucket: bucketParam(bucket), key: 'held.txt', options: { versionId } });
		expect(nodeDelete.message).toMatch(/held\.txt/);

		await op('setLegalHold', 'held.txt', { legalHold: 'OFF', options: { versionId } });
		expect((await op('getLegalHold', 'held.txt', { options: { versionId } }))[0].json).toMatchObject({ legalHold: 'OFF', versionId });
		await deleteVersion('held.txt', versionId);
		expect((await op('getMetadata', 'held.txt', { options: { versionId, notFoundAsFalse: true } }))[0].json.exists).toBe(false);
	});

	it('an object that never had a legal hold or retention reads as OFF / none', async () => {
		await put('plain.txt');
		expect((await op('getLegalHold', 'plain.txt'))[0].json).toMatchObject({ bucket, key: 'plain.txt', legalHold: 'OFF' });
		expect((await op('getRetention', 'plain.txt'))[0].json).toMatchObject({ hasRetention: false, mode: null, retainUntil: null });
	});

	it('Governance retention keeps the version until the date; with Bypass Governance it can be shortened, then the version deleted', async () => {
		const versionId = await put('kept.txt');
		const until = inSeconds(600);
		const [set] = await op('setRetention', 'kept.txt', { mode: 'GOVERNANCE', retainUntil: until, options: { versionId } });
		expect(set.json).toMatchObject({ bucket, key: 'kept.txt', versionId, mode: 'GOVERNANCE', retainUntil: until });
		const [got] = await op('getRetention', 'kept.txt', { options: { versionId } });
		expect(got.json).toMatchObject({ hasRetention: true, mode: 'GOVERNANCE' });
		expect(Math.abs(Date.parse(got.json.retainUntil as string) - Date.parse(until))).toBeLessThan(1000);

		await expect(deleteVersion('kept.txt', versionId)).rejects.toMatchObject({ name: 'AccessDenied' });
		// Shortening a Governance retention needs the bypass; without it the server refuses.
		const shorter = inSeconds(120);
		const refused = await runNodeError({
			resource: 'object',
			operation: 'setRetention',
			bucket: bucketParam(bucket),
			key: 'kept.txt',
			mode: 'GOVERNANCE',
			retainUntil: shorter,
			options: { versionId },
		});
		expect(refused.message).toMatch(/kept\.txt/);
		await op('setRetention', 'kept.txt', { mode: 'GOVERNANCE', retainUntil: shorter, options: { versionId, bypassGovernance: true } });
		expect(Math.abs(Date.parse((await op('getRetention', 'kept.txt', { options: { versionId } }))[0].json.retainUntil as string) - Date.parse(shorter))).toBeLessThan(1000);
		await deleteVersion('kept.txt', versionId, true);
		expect((await op('getMetadata', 'kept.txt', { options: { versionId, notFoundAsFalse: true } }))[0].json.exists).toBe(false);
	});

	it('Compliance retention cannot be shortened or bypassed; once its date has passed the version can be deleted', async () => {
		const versionId = await put('compliance.txt');
		// A few seconds only: nothing stays that the suite cannot delete.
		const until = inSeconds(4);
		await op('setRetention', 'compliance.txt', { mode: 'COMPLIANCE', retainUntil: until, options: { versionId } });
		expect((await op('getRetention', 'compliance.txt', { options: { versionId } }))[0].json).toMatchObject({ hasRetention: true, mode: 'COMPLIANCE' });
		await expect(deleteVersion('compliance.txt', versionId, true)).rejects.toMatchObject({ name: 'AccessDenied' });
		const shorten = await runNodeError({
			resource: 'object',
			operation: 'setRetention',
			bucket: bucketParam(bucket),
			key: 'compliance.txt',
			mode: 'GOVERNANCE',
			retainUntil: inSeconds(2),
			options: { versionId, bypassGovernance: true },
		});
		expect(shorten.message).toMatch(/compliance\.txt/);
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(until) - Date.now()) + 1500));
		await deleteVersion('compliance.txt', versionId);
		expect((await op('getMetadata', 'compliance.txt', { options: { versionId, notFoundAsFalse: true } }))[0].json.exists).toBe(false);
	}, 20_000);

	it('Bucket > Create without the Object Lock option (saved workflows) creates a bucket without it', async () => {
		const locked = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
		expect(locked.ObjectLockConfiguration?.ObjectLockEnabled).toBe('Enabled');
		const plain = await client.send(new GetObjectLockConfigurationCommand({ Bucket: plainBucket })).catch((failure: Error) => failure);
		expect(plain).toBeInstanceOf(Error);
	});

	it('retention and legal hold in a bucket without Object Lock: the server\'s refusal names the object', async () => {
		await client.send(new PutObjectCommand({ Bucket: plainBucket, Key: 'x.txt', Body: 'x' }));
		const error = await runNodeError({ resource: 'object', operation: 'setLegalHold', bucket: bucketParam(plainBucket), key: 'x.txt', legalHold: 'ON' });
		expect(error.message).toMatch(/x\.txt/);
		const server = await client.send(new GetObjectLegalHoldCommand({ Bucket: plainBucket, Key: 'x.txt' })).catch((failure: Error) => failure);
		expect(server).toBeInstanceOf(Error);
	});
});
