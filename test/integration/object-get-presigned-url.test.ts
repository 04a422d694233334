/**
 * Object > Get Presigned URL: the URLs and forms the node signs are used by plain HTTP clients
 * (fetch, curl, a browser-style multipart form), as the people they are handed to would use them.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
	CreateBucketCommand,
	GetObjectCommand,
	HeadObjectCommand,
	PutBucketVersioningCommand,
	PutObjectCommand,
	type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';

import type { IDataObject } from 'n8n-workflow';

import { startCountingProxy } from '../support/fakeMetadataServers';
import { bucketParam, runNode, runNodeError } from '../support/harness';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const caps = capabilities();
const client = rawClient();
const bucket = uniqueBucket('presign');

async function getBytes(key: string): Promise<Buffer> {
	const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return Buffer.from(await output.Body!.transformToByteArray());
}

async function presign(parameters: IDataObject, credential?: IDataObject) {
	const [item] = await runNode(
		{ resource: 'object', operation: 'getPresignedUrl', bucket: bucketParam(bucket), expiresIn: 600, ...parameters },
		undefined,
		credential ? { credential } : undefined,
	);
	return item.json as {
		url: string;
		method: string;
		expiresAt: string;
		expiresIn: number;
		key?: string;
		headers?: Record<string, string>;
		fields?: Record<string, string>;
		requestedExpiresIn?: number;
		note?: string;
	};
}

/** What a browser sends for `<form method="post" enctype="multipart/form-data">`: fields first, file last. */
function formOf(fields: Record<string, string>, file: Buffer, fileName: string, extra: Record<string, string> = {}) {
	const form = new FormData();
	for (const [name, value] of Object.entries({ ...fields, ...extra })) form.append(name, value);
	form.append('file', new Blob([file]), fileName);
	return form;
}

beforeAll(async () => {
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	client.destroy();
});

describe('download URL (GET)', () => {
	const key = 'reports/2024/summary ü+=.bin';
	const content = randomBytes(150_000);

	beforeAll(async () => {
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content, ContentType: 'application/x-test' }));
	});

	it('downloads the exact bytes with plain fetch, and says when it expires', async () => {
		const before = Date.now();
		const signed = await presign({ method: 'get', key, expiresIn: 900 });
		expect(signed).toMatchObject({ bucket, key, method: 'GET', expiresIn: 900 });
		expect(signed.headers).toBeUndefined();
		// Long-term keys never expire: nothing is cut short.
		expect(signed.note).toBeUndefined();
		expect(signed.requestedExpiresIn).toBeUndefined();
		const expiresAt = Date.parse(signed.expiresAt);
		expect(expiresAt).toBeGreaterThanOrEqual(before + 899_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 901_000);
		expect(new URL(signed.url).searchParams.get('X-Amz-Expires')).toBe('900');

		const response = await fetch(signed.url);
		expect(response.status).toBe(200);
		expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
	});

	it('overrides the response content type and disposition', async () => {
		const signed = await presign({
			method: 'get',
			key,
			options: { responseContentType: 'text/csv', responseContentDisposition: 'attachment; filename="summary.csv"' },
		});
		const response = await fetch(signed.url);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="summary.csv"');
		await response.arrayBuffer();
	});

	it('refuses an expiry beyond the 7 days SigV4 allows, before signing anything', async () => {
		const error = await runNodeError({
			resource: 'object',
			operation: 'getPresignedUrl',
			bucket: bucketParam(bucket),
			method: 'get',
			key,
			expiresIn: 604_801,
		});
		expect(error.message).toMatch(/longer than the 7 days \(604,800 seconds\)/);
		expect(error.description).toMatch(/Choose a shorter expiry/);
		// Exactly 7 days is allowed.
		const signed = await presign({ method: 'get', key, expiresIn: 604_800 });
		expect(new URL(signed.url).searchParams.get('X-Amz-Expires')).toBe('604800');
	});

	it('falls back to the credential\'s default bucket when none is chosen', async () => {
		const [item] = await runNode(
			{ resource: 'object', operation: 'getPresignedUrl', bucket: { __rl: true, mode: 'list', value: '' }, method: 'get', key, expiresIn: 60 },
			undefined,
			{ credential: credentialFor(getTarget(), { defaultBucket: bucket }) },
		);
		expect(item.json.bucket).toBe(bucket);
		const response = await fetch(item.json.url as string);
		expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
	});

	(caps.checksSignatures ? it : it.skip)('a tampered URL is refused (403)', async () => {
		const signed = await presign({ method: 'get', key });
		const url = new URL(signed.url);
		// Another key under the same signature, and a signature with one character changed.
		const otherKey = new URL(signed.url);
		otherKey.pathname = otherKey.pathname.replace('summary', 'summarx');
		const signature = url.searchParams.get('X-Amz-Signature')!;
		const badSignature = new URL(signed.url);
		badSignature.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
		const longer = new URL(signed.url);
		longer.searchParams.set('X-Amz-Expires', '604800');
		for (const tampered of [otherKey, badSignature, longer]) {
			const response = await fetch(tampered);
			expect(response.status).toBe(403);
			await response.arrayBuffer();
		}
		expect((await fetch(signed.url)).status).toBe(200);
	});

	(caps.checksSignatures ? it : it.skip)('an expired URL is refused', async () => {
		const signed = await presign({ method: 'get', key, expiresIn: 1 });
		await new Promise((resolve) => setTimeout(resolve, 2_500));
		const response = await fetch(signed.url);
		expect(response.status).toBe(403);
		await response.arrayBuffer();
	});

	(caps.versioning ? it : it.skip)('signs a specific version', async () => {
		const versioned = uniqueBucket('presign-ver');
		await client.send(new CreateBucketCommand({ Bucket: versioned }));
		try {
			await client.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
			const first: PutObjectCommandOutput = await client.send(new PutObjectCommand({ Bucket: versioned, Key: 'v.txt', Body: 'first' }));
			await client.send(new PutObjectCommand({ Bucket: versioned, Key: 'v.txt', Body: 'second' }));
			const [item] = await runNode({
				resource: 'object',
				operation: 'getPresignedUrl',
				bucket: bucketParam(versioned),
				method: 'get',
				key: 'v.txt',
				expiresIn: 60,
				options: { versionId: first.VersionId },
			});
			expect(item.json.versionId).toBe(first.VersionId);
			expect(await (await fetch(item.json.url as string)).text()).toBe('first');
		} finally {
			await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(versioned), options: { emptyFirst: true } });
		}
	});
});

describe('upload URL (PUT)', () => {
	it('accepts a plain HTTP PUT of a file body', async () => {
		const content = randomBytes(70_000);
		const signed = await presign({ method: 'put', key: 'incoming/plain put.bin' });
		expect(signed).toMatchObject({ method: 'PUT', headers: {} });
		const response = await fetch(signed.url, { method: 'PUT', body: content });
		expect(response.status).toBe(200);
		expect((await getBytes('incoming/plain put.bin')).equals(content)).toBe(true);
	});

	it('signs no checksum headers, even where the client computes checksums by default (AWS behaviour)', async () => {
		const content = randomBytes(1_000);
		const signed = await presign(
			{ method: 'put', key: 'incoming/when-supported.bin' },
			credentialFor(getTarget(), { checksumMode: 'whenSupported' }),
		);
		const url = new URL(signed.url);
		const names = [...url.searchParams.keys()].map((name) => name.toLowerCase());
		expect(names.filter((name) => name.includes('checksum'))).toEqual([]);
		expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
		const response = await fetch(signed.url, { method: 'PUT', body: content });
		expect(response.status).toBe(200);
		expect((await getBytes('incoming/when-supported.bin')).equals(content)).toBe(true);
	});

	const curl = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].find((path) => existsSync(path));
	(curl ? it : it.skip)('works with `curl -T file URL`', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'presign-curl-'));
		try {
			const file = join(directory, 'report.pdf');
			const content = randomBytes(200_000);
			writeFileSync(file, content);
			const signed = await presign({ method: 'put', key: 'incoming/curl.pdf' });
			const { stdout } = await promisify(execFile)(curl!, [
				'-sS',
				'--noproxy',
				'*',
				'-o',
				'/dev/null',
				'-w',
				'%{http_code}',
				'-T',
				file,
				signed.url,
			]);
			expect(stdout).toBe('200');
			expect((await getBytes('incoming/curl.pdf')).equals(content)).toBe(true);
		} finally {
			rmSync(directory, { recursive: true, force: true });
		}
	});

	it('with a content type, the upload gets it when the uploader sends the header it is told to', async () => {
		const signed = await presign({ method: 'put', key: 'incoming/typed.png', options: { contentType: 'image/png' } });
		expect(signed.headers).toEqual({ 'Content-Type': 'image/png' });
		expect(new URL(signed.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
		const response = await fetch(signed.url, { method: 'PUT', body: Buffer.from('png!'), headers: signed.headers });
		expect(response.status).toBe(200);
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'incoming/typed.png' }));
		expect(head.ContentType).toBe('image/png');
	});

	(caps.checksSignatures ? it : it.skip)('with a content type, an upload with another type is refused', async () => {
		const signed = await presign({ method: 'put', key: 'incoming/typed-wrong.png', options: { contentType: 'image/png' } });
		const response = await fetch(signed.url, {
			method: 'PUT',
			body: Buffer.from('<html>'),
			headers: { 'Content-Type': 'text/html' },
		});
		expect(response.status).toBe(403);
		await response.arrayBuffer();
	});

	(caps.checksSignatures ? it : it.skip)('a PUT URL cannot be used for another key', async () => {
		const signed = await presign({ method: 'put', key: 'incoming/allowed.bin' });
		const url = new URL(signed.url);
		url.pathname = url.pathname.replace('allowed', 'hijacked');
		const response = await fetch(url, { method: 'PUT', body: Buffer.from('x') });
		expect(response.status).toBe(403);
		await response.arrayBuffer();
	});
});

describe('browser form upload (POST policy)', () => {
	it('a multipart/form-data POST may upload to any key under the prefix', async () => {
		const signed = await presign({
			method: 'post',
			postKeyMode: 'prefix',
			keyPrefix: 'forms/',
			options: { contentTypePrefix: 'image/', maxSize: 100_000 },
		});
		expect(signed.method).toBe('POST');
		expect(signed.key).toBe('forms/${filename}');
		expect(signed.fields).toMatchObject({ key: 'forms/${filename}', bucket });
		expect(signed.fields!.Policy).toBeTruthy();
		const policy = JSON.parse(Buffer.from(signed.fields!.Policy, 'base64').toString('utf8')) as { conditions: unknown[] };
		expect(policy.conditions).toEqual(
			expect.arrayContaining([
				['starts-with', '$key', 'forms/'],
				['starts-with', '$Content-Type', 'image/'],
				['content-length-range', 0, 100_000],
			]),
		);

		// The page may choose any key under the prefix.
		const content = randomBytes(5_000);
		const response = await fetch(signed.url, {
			method: 'POST',
			body: formOf({ ...signed.fields!, key: 'forms/chosen by page.png' }, content, 'photo.png', { 'Content-Type': 'image/png' }),
		});
		expect([200, 201, 204]).toContain(response.status);
		await response.arrayBuffer();
		expect((await getBytes('forms/chosen by page.png')).equals(content)).toBe(true);
	});

	// s3rver stores the literal "${filename}"; real servers substitute the uploaded file's name.
	(caps.checksSignatures ? it : it.skip)('left as signed, the form stores the file under its own name', async () => {
		const signed = await presign({ method: 'post', postKeyMode: 'prefix', keyPrefix: 'forms/', options: { maxSize: 100_000 } });
		const content = randomBytes(5_000);
		const response = await fetch(signed.url, { method: 'POST', body: formOf(signed.fields!, content, 'photo.png') });
		expect([200, 201, 204]).toContain(response.status);
		await response.arrayBuffer();
		expect((await getBytes('forms/photo.png')).equals(content)).toBe(true);
	});

	it('an exact-key form uploads to that key with the content type it carries', async () => {
		const signed = await presign({
			method: 'post',
			postKeyMode: 'key',
			key: 'forms/exact/invoice.pdf',
			options: { contentType: 'application/pdf' },
		});
		expect(signed.fields).toMatchObject({ key: 'forms/exact/invoice.pdf', 'Content-Type': 'application/pdf' });
		const content = randomBytes(3_000);
		const response = await fetch(signed.url, { method: 'POST', body: formOf(signed.fields!, content, 'whatever.pdf') });
		expect([200, 201, 204]).toContain(response.status);
		await response.arrayBuffer();
		expect((await getBytes('forms/exact/invoice.pdf')).equals(content)).toBe(true);
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'forms/exact/invoice.pdf' }));
		expect(head.ContentType).toBe('application/pdf');
	});

	it('rejects a minimum size above the maximum, before signing', async () => {
		const error = await runNodeError({
			resource: 'object',
			operation: 'getPresignedUrl',
			bucket: bucketParam(bucket),
			method: 'post',
			postKeyMode: 'prefix',
			keyPrefix: 'forms/',
			expiresIn: 60,
			options: { minSize: 10, maxSize: 5 },
		});
		expect(error.message).toMatch(/minimum size \(10 bytes\) is larger than the maximum size \(5 bytes\)/);
	});

	describe('policy violations are refused', () => {
		const policy = () =>
			presign({
				method: 'post',
				postKeyMode: 'prefix',
				keyPrefix: 'forms/strict/',
				options: { contentTypePrefix: 'image/', maxSize: 1_000 },
			});
		const post = async (fields: Record<string, string>, content: Buffer, extra: Record<string, string>) => {
			const url = (await policy()).url;
			const response = await fetch(url, { method: 'POST', body: formOf(fields, content, 'f.png', extra) });
			await response.arrayBuffer();
			return response.status;
		};

		(caps.checksSignatures ? it : it.skip)('a file over the maximum size', async () => {
			const { fields } = await policy();
			expect(await post(fields!, randomBytes(1_001), { 'Content-Type': 'image/png' })).toBe(400);
			expect(await post(fields!, randomBytes(1_000), { 'Content-Type': 'image/png' })).toBe(204);
		});

		(caps.checksSignatures ? it : it.skip)('a content type outside the allowed prefix', async () => {
			const { fields } = await policy();
			expect(await post(fields!, randomBytes(100), { 'Content-Type': 'text/html' })).toBe(403);
		});

		(caps.checksSignatures ? it : it.skip)('a key outside the prefix', async () => {
			const { fields } = await policy();
			expect(await post({ ...fields!, key: 'elsewhere/f.png' }, randomBytes(100), { 'Content-Type': 'image/png' })).toBe(403);
		});
	});
});

/*
 * A URL signed with temporary credentials stops working when they expire, whatever its own expiry
 * says: the node never promises longer. Ceph RGW's STS issues sessions of 900 s and more.
 */
const ROLE = process.env.S3_TEST_ROLE_ARN ?? '';
const itSts = caps.sts && ROLE ? it : it.skip;

function roleCredential(overrides: IDataObject) {
	return credentialFor(getTarget(), { authentication: 'assumeRole', sourceCredentials: 'accessKeys', roleArn: ROLE, ...overrides });
}

describe('URLs signed with temporary credentials', () => {
	const key = 'temporary/role.txt';

	beforeAll(async () => {
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'signed by a role' }));
	});

	itSts('a 7-day URL from a 15-minute session expires with the session, and says so', async () => {
		// The proxy in front of STS shows the session's real Expiration.
		const sts = await startCountingProxy(getTarget().endpoint);
		try {
			const credential = roleCredential({ sessionDuration: 900, stsEndpoint: sts.url, roleSessionName: `presign-${Date.now()}` });
			const signed = await presign({ method: 'get', key, expiresIn: 604_800 }, credential);
			const sessionExpiration = Date.parse(/<Expiration>([^<]+)<\/Expiration>/.exec(sts.responses[0])![1]);
			expect(sessionExpiration - Date.now()).toBeLessThanOrEqual(900_000);

			expect(Date.parse(signed.expiresAt)).toBeLessThanOrEqual(sessionExpiration);
			expect(Date.parse(signed.expiresAt)).toBeGreaterThan(Date.now() + 800_000);
			expect(signed.expiresIn).toBeLessThanOrEqual(900);
			expect(signed.requestedExpiresIn).toBe(604_800);
			expect(signed.note).toMatch(new RegExp(`^The URL works for ${signed.expiresIn} seconds, not the 604800 asked for: it is signed with temporary credentials that expire at `));
			const url = new URL(signed.url);
			expect(url.searchParams.get('X-Amz-Expires')).toBe(String(signed.expiresIn));
			expect(url.searchParams.get('X-Amz-Security-Token')).toBeTruthy();
			// X-Amz-Date plus X-Amz-Expires is exactly expiresAt.
			const date = url.searchParams.get('X-Amz-Date')!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
			expect(Date.parse(date) + signed.expiresIn * 1000).toBe(Date.parse(signed.expiresAt));

			const response = await fetch(signed.url);
			expect(response.status).toBe(200);
			expect(await response.text()).toBe('signed by a role');

			// A shorter expiry than the session is kept as asked.
			const short = await presign({ method: 'get', key, expiresIn: 300 }, credential);
			expect(short.expiresIn).toBe(300);
			expect(short.note).toBeUndefined();

			// Upload URLs and forms are cut the same way.
			const put = await presign({ method: 'put', key: 'temporary/put.txt', expiresIn: 86_400 }, credential);
			expect(Date.parse(put.expiresAt)).toBeLessThanOrEqual(sessionExpiration);
			expect(put.requestedExpiresIn).toBe(86_400);
			const post = await presign({ method: 'post', postKeyMode: 'prefix', keyPrefix: 'temporary/', expiresIn: 86_400 }, credential);
			expect(Date.parse(post.expiresAt)).toBeLessThanOrEqual(sessionExpiration);
			const policy = JSON.parse(Buffer.from(post.fields!.Policy, 'base64').toString('utf8')) as { expiration: string };
			expect(Date.parse(policy.expiration)).toBe(Date.parse(post.expiresAt));
			expect(post.note).toMatch(/temporary credentials/);
		} finally {
			await sts.close();
		}
	});

	itSts('the URL is refused once the expiresAt it was given has passed', async () => {
		// The proxy tells the node its session ends in 6 s (RGW's real one lasts longer): the URL follows the node's view.
		const sts = await startCountingProxy(getTarget().endpoint, { expirationMs: 6_000 });
		try {
			const credential = roleCredential({ stsEndpoint: sts.url, roleSessionName: `presign-short-${Date.now()}` });
			const signed = await presign({ method: 'get', key, expiresIn: 3600 }, credential);
			expect(signed.expiresIn).toBeGreaterThanOrEqual(1);
			expect(signed.expiresIn).toBeLessThanOrEqual(5);
			expect(signed.requestedExpiresIn).toBe(3600);
			const early = await fetch(signed.url);
			expect(early.status).toBe(200);
			await early.arrayBuffer();
			await new Promise((resolve) => setTimeout(resolve, Date.parse(signed.expiresAt) - Date.now() + 1_500));
			const late = await fetch(signed.url);
			expect(late.status).toBe(403);
			await late.arrayBuffer();
		} finally {
			await sts.close();
		}
	});
});
