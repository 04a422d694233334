/**
 * The credential test (the "Test" button of the credential form) really calls the server and
 * says precisely what is wrong. Also proves the TLS settings against a real HTTPS endpoint.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, IDataObject } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import { bucketParam, runNode, runNodeError } from '../support/harness';
import { capabilities, credentialFor, getTarget, uniqueBucket } from '../support/target';
import { startTlsProxy, type TlsProxy } from '../support/tlsProxy';

const target = getTarget();
const caps = capabilities(target);
const bucket = uniqueBucket('cred');

async function testCredential(overrides: IDataObject) {
	const test = new S3Storage().methods.credentialTest.s3StorageApiTest;
	return await test.call({} as ICredentialTestFunctions, {
		id: '1',
		name: 'S3',
		type: 's3StorageApi',
		data: credentialFor(target, overrides) as ICredentialDataDecryptedObject,
	});
}

let proxy: TlsProxy;
beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	proxy = await startTlsProxy(target.endpoint);
});
afterAll(async () => {
	await proxy.close();
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket) });
});

it('succeeds with good keys, and checks the default bucket when one is set', async () => {
	const plain = await testCredential({});
	expect(plain.status).toBe('OK');
	expect(plain.message).toMatch(/^Connected/);
	const withBucket = await testCredential({ defaultBucket: bucket });
	expect(withBucket.status).toBe('OK');
	expect(withBucket.message).toMatch(new RegExp(`default bucket "${bucket}" is reachable`));
});

it('names a missing default bucket', async () => {
	const missing = uniqueBucket('nobucket');
	const result = await testCredential({ defaultBucket: missing });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(new RegExp(`Bucket "${missing}" does not exist`));
});

it('names an unreachable endpoint', async () => {
	const result = await testCredential({ endpoint: 'http://127.0.0.1:9' });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/endpoint at http:\/\/127\.0\.0\.1:9 is unreachable \(the connection was refused\)/);
});

it('names an unknown access key', async () => {
	const endpoint = process.env.S3_TEST_ENDPOINT_NO_STS ?? target.endpoint;
	const result = await testCredential({ endpoint, accessKeyId: 'AKIANOSUCHKEY0000000' });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/access key ID is not known/);
});

(caps.checksSignatures ? it : it.skip)('names a wrong secret, without echoing it', async () => {
	const endpoint = process.env.S3_TEST_ENDPOINT_NO_STS ?? target.endpoint;
	const wrong = `${target.secretAccessKey}-wrong`;
	const result = await testCredential({ endpoint, secretAccessKey: wrong });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/secret access key is wrong/);
	expect(result.message).not.toContain(wrong);
});

const otherUser = process.env.S3_TEST_OTHER_ACCESS_KEY_ID;
(otherUser ? it : it.skip)('names a missing permission (a second user on the first user\'s bucket)', async () => {
	const result = await testCredential({
		accessKeyId: otherUser,
		secretAccessKey: process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY,
		defaultBucket: bucket,
	});
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/Access denied: the credential may not reach bucket/);
});

// Ceph RGW with STS on answers a wrong secret (and an unknown key) with AccessDenied, as it answers a missing permission.
(target.server === 'rgw' && caps.sts ? it : it.skip)('on a server that answers a wrong secret with AccessDenied, says both possibilities', async () => {
	const wrong = `${target.secretAccessKey}-wrong`;
	const result = await testCredential({ secretAccessKey: wrong, defaultBucket: bucket });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(
		new RegExp(`^Access denied: the credential may not reach bucket "${bucket}" \\(either its keys are wrong or unknown to the server, or they lack permission\\)`),
	);
	expect(result.message).toMatch(/Check "Access Key ID" and "Secret Access Key"/);
	expect(result.message).not.toMatch(/keys were accepted/);
	expect(result.message).not.toContain(wrong);
});

it('a refused bucket listing reads as a sentence', async () => {
	// A server that refuses ListBuckets (as stores do for keys scoped to one bucket).
	const server = createServer((req, res) => {
		req.resume();
		res.writeHead(403, { 'Content-Type': 'application/xml', 'x-amz-request-id': 'tx1' });
		res.end('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message></Message></Error>');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const result = await testCredential({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Access denied: the credential may not list buckets \(either its keys are wrong or unknown to the server, or they lack permission\)\. /);
		expect(result.message).not.toMatch(/list buckets of/);
	} finally {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});

describe('TLS', () => {
	it('refuses a certificate it cannot verify and says how to fix it', async () => {
		const result = await testCredential({ endpoint: proxy.endpoint });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/TLS connection to the S3 endpoint at https:\/\/127\.0\.0\.1:\d+ failed/);
		expect(result.message).toMatch(/Custom CA Certificate/);
	});

	it('connects when told to accept self-signed certificates', async () => {
		expect(await testCredential({ endpoint: proxy.endpoint, acceptSelfSigned: true })).toMatchObject({ status: 'OK' });
	});

	it('connects with the custom CA, and operations work through it', async () => {
		expect(await testCredential({ endpoint: proxy.endpoint, customCa: proxy.caPem })).toMatchObject({ status: 'OK' });
		const items = await runNode({ resource: 'bucket', operation: 'get', bucket: bucketParam(bucket) }, undefined, {
			credential: credentialFor(target, { endpoint: proxy.endpoint, customCa: proxy.caPem }),
		});
		expect(items[0].json).toMatchObject({ bucket, exists: true });
	});

	it('a custom CA that is not a certificate is refused by name, before connecting', async () => {
		const garbage = proxy.caPem.replace(/^(-----BEGIN CERTIFICATE-----\n)[A-Za-z0-9+/]{16}/, '$1AAAAAAAAAAAAAAAA');
		const tested = await testCredential({ endpoint: proxy.endpoint, customCa: garbage });
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/^"Custom CA Certificate" is not a readable certificate \(/);
		expect(tested.message).not.toMatch(/self[- ]signed|TLS connection/);
		const error = await runNodeError({ resource: 'bucket', operation: 'get', bucket: bucketParam(bucket) }, undefined, {
			credential: credentialFor(target, { endpoint: proxy.endpoint, customCa: 'not a certificate' }),
		});
		expect(error.message).toMatch(/^"Custom CA Certificate" holds no certificate/);
		expect(error.description).toMatch(/-----BEGIN CERTIFICATE-----/);
	});

	it('an operation over unverifiable TLS fails with the TLS explanation', async () => {
		const error = await runNodeError({ resource: 'bucket', operation: 'get', bucket: bucketParam(bucket) }, undefined, {
			credential: credentialFor(target, { endpoint: proxy.endpoint }),
		});
		expect(error.message).toMatch(/TLS connection .* failed/);
	});
});
