/**
 * Custom API Call > Send Request: any S3 request, signed with the credential through the node's own
 * client. XML answers come back as JSON, object content as a file, bodies go up from text or from a
 * binary field, and S3's refusals read like every other operation's.
 */
import { GetBucketTaggingCommand, GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

import type { IBinaryData } from 'n8n-workflow';

import { binaryToBuffer, bucketParam, makeBinary, runNode, runNodeError, runSteps, setBinaryMode } from '../support/harness';
import { badGatewayHtml, slowDown, startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const caps = capabilities();
/** s3rver answers bucket tagging with 501 Not Implemented. */
const bucketTagging = getTarget().server !== 's3rver';
const client = rawClient();

const call = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[1], options?: Parameters<typeof runNode>[2]) =>
	runNode({ resource: 'customApiCall', operation: 'send', ...parameters }, items, options);

describe('Custom API Call', () => {
	const bucket = uniqueBucket('custom');

	beforeAll(async () => {
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/report 2024.xml', Body: '<a>1</a>', ContentType: 'application/xml' }));
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	});

	it('lists the buckets (no bucket: a request to the service), XML answer as JSON', async () => {
		const [answer] = await call({ method: 'GET' });
		expect(answer.json.statusCode).toBe(200);
		const result = (answer.json.body as { ListAllMyBucketsResult: { Buckets: { Bucket: Array<{ Name: string }> } } }).ListAllMyBucketsResult;
		// One bucket or many, Bucket is always a list.
		expect(Array.isArray(result.Buckets.Bucket)).toBe(true);
		expect(result.Buckets.Bucket.map((b) => b.Name)).toContain(bucket);
		expect(answer.binary).toBeUndefined();
	});

	it('lists objects with query parameters (list-type=2, prefix), keys kept as text', async () => {
		const [answer] = await call({
			method: 'GET',
			bucket: bucketParam(bucket),
			queryParameters: { parameters: [{ name: 'list-type', value: '2' }, { name: 'prefix', value: 'docs/' }] },
		});
		const result = (answer.json.body as { ListBucketResult: { Contents: Array<{ Key: string; Size: string }>; KeyCount: string } }).ListBucketResult;
		expect(result.Contents).toEqual([expect.objectContaining({ Key: 'docs/report 2024.xml', Size: '8' })]);
		expect(result.KeyCount).toBe('1');
	});

	(bucketTagging ? it : it.skip)('PutBucketTagging with an XML text body (Content-MD5 added), then GetBucketTagging through a raw path', async () => {
		const xml = '<Tagging><TagSet><Tag><Key>team</Key><Value>data &amp; ops</Value></Tag><Tag><Key>cost</Key><Value>007</Value></Tag></TagSet></Tagging>';
		const [put] = await call({
			method: 'PUT',
			bucket: bucketParam(bucket),
			queryParameters: { parameters: [{ name: 'tagging', value: '' }] },
			bodySource: 'text',
			bodyText: xml,
		});
		expect(put.json.statusCode).toBeLessThan(300);
		const stored = await client.send(new GetBucketTaggingCommand({ Bucket: bucket }));
		expect(stored.TagSet).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'data & ops' }, { Key: 'cost', Value: '007' }]));

		const [got] = await call({ method: 'GET', bucket: bucketParam(bucket), target: 'path', path: '?tagging' });
		const tags = (got.json.body as { Tagging: { TagSet: { Tag: Array<{ Key: string; Value: string }> } } }).Tagging.TagSet.Tag;
		expect(tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'data & ops' }, { Key: 'cost', Value: '007' }]));
	});

	(caps.versioning ? it : it.skip)('GetBucketVersioning round-trip: PUT Enabled, GET reads it back as JSON', async () => {
		await call({
			method: 'PUT',
			bucket: bucketParam(bucket),
			queryParameters: { parameters: [{ name: 'versioning', value: '' }] },
			bodySource: 'text',
			bodyText: '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>',
		});
		const [got] = await call({ method: 'GET', bucket: bucketParam(bucket), queryParameters: { parameters: [{ name: 'versioning', value: '' }] } });
		// The namespace attribute is dropped; values stay text.
		const configuration = (got.json.body as { VersioningConfiguration: Record<string, string> }).VersioningConfiguration;
		expect(configuration.Status).toBe('Enabled');
		expect(Object.keys(configuration).filter((name) => name.startsWith('xmlns'))).toEqual([]);
		await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
	});

	it('GETs an object as a binary file (even an .xml one), with status and headers', async () => {
		const [answer] = await call({ method: 'GET', bucket: bucketParam(bucket), target: 'key', key: 'docs/report 2024.xml' });
		expect(answer.json).toMatchObject({ statusCode: 200, headers: expect.objectContaining({ 'content-type': 'application/xml', 'content-length': '8' }) });
		expect(answer.binary?.data).toMatchObject({ fileName: 'report 2024.xml', mimeType: 'application/xml' });
		expect((await binaryToBuffer(answer.binary!.data)).toString()).toBe('<a>1</a>');
	});

	it('HEAD returns the status and headers only', async () => {
		const [answer] = await call({ method: 'HEAD', bucket: bucketParam(bucket), target: 'key', key: 'docs/report 2024.xml' });
		expect(answer.json).toEqual({ statusCode: 200, headers: expect.objectContaining({ 'content-length': '8', etag: expect.any(String) }) });
	});

	it.each([
		['in memory', 'memory' as const, 3 * 1024 * 1024 + 17],
		['streamed from a file (filesystem mode, larger than a part)', 'filesystem' as const, 9 * 1024 * 1024 + 5],
	])('PUTs a body from a binary field, %s: stored byte for byte with its content type', async (_label, mode, size) => {
		const bytes = Buffer.alloc(size);
		for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
		await setBinaryMode(mode);
		try {
			const binary = await makeBinary(bytes, 'blob.bin', 'application/x-test');
			const [answer] = await call(
				{ method: 'PUT', bucket: bucketParam(bucket), target: 'key', key: `up/${mode}.bin`, bodySource: 'binary', binaryPropertyName: 'file' },
				[{ json: {}, binary: { file: binary as unknown as IBinaryData } }],
			);
			expect(answer.json.statusCode).toBe(200);
		} finally {
			await setBinaryMode('memory');
		}
		const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `up/${mode}.bin` }));
		expect(stored.ContentType).toBe('application/x-test');
		const back = Buffer.from(await stored.Body!.transformToByteArray());
		expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
	});

	it('an S3 error answer reads like every other operation\'s (NoSuchKey names the key and bucket)', async () => {
		const error = await runNodeError({ resource: 'customApiCall', operation: 'send', method: 'GET', bucket: bucketParam(bucket), target: 'key', key: 'missing.txt' });
		expect(error.message).toBe(`Object "missing.txt" not found in bucket "${bucket}" [item 0]`);
		const noBucket = await runNodeError({ resource: 'customApiCall', operation: 'send', method: 'GET', bucket: bucketParam(`${bucket}-nope`) });
		expect(noBucket.message).toBe(`Bucket "${bucket}-nope" does not exist [item 0]`);
	});

	it('a reserved header and an unencoded raw path are refused before any request', async () => {
		const header = await runNodeError({
			resource: 'customApiCall',
			operation: 'send',
			method: 'GET',
			headerParameters: { parameters: [{ name: 'Authorization', value: 'x' }] },
		});
		expect(header.message).toBe('The header "Authorization" cannot be sent');
		const path = await runNodeError({ resource: 'customApiCall', operation: 'send', method: 'GET', bucket: bucketParam(bucket), target: 'path', path: 'a b.txt' });
		expect(path.message).toContain('"Path" holds characters that must be percent-encoded');
	});

	it('Continue On Fail gives an error item per failed request, the others their answers', async () => {
		const run = await runSteps(
			[
				{
					name: 'Call',
					continueOnFail: true,
					parameters: { resource: 'customApiCall', operation: 'send', method: 'HEAD', bucket: bucketParam(bucket), target: 'key', key: '={{ $json.key }}' },
				},
			],
			[{ json: { key: 'docs/report 2024.xml' } }, { json: { key: 'nope.txt' } }],
		);
		const [found, missing] = run.output('Call')!;
		expect(found.json.statusCode).toBe(200);
		expect(String(missing.json.error)).toContain('nope.txt');
	});

	(caps.checksSignatures ? it : it.skip)('a wrong secret is named as such', async () => {
		const error = await runNodeError(
			{ resource: 'customApiCall', operation: 'send', method: 'GET', bucket: bucketParam(bucket) },
			undefined,
			{ credential: credentialFor(undefined, { secretAccessKey: 'wrong-secret-wrong-secret' }) },
		);
		// RGW with STS answers a bad signature with AccessDenied, and the message says the keys may be wrong.
		expect(error.message).toMatch(/secret access key is wrong|either its keys are wrong/);
		expect(JSON.stringify(error)).not.toContain('wrong-secret-wrong-secret');
	});

	(process.env.S3_TEST_ENDPOINT_NO_STS ? it : it.skip)('a wrong secret on a server that answers SignatureDoesNotMatch is named as a wrong secret', async () => {
		const error = await runNodeError(
			{ resource: 'customApiCall', operation: 'send', method: 'GET', bucket: bucketParam(bucket) },
			undefined,
			{ credential: credentialFor(undefined, { endpoint: process.env.S3_TEST_ENDPOINT_NO_STS, secretAccessKey: 'wrong-secret-wrong-secret' }) },
		);
		expect(error.message).toBe(
			`The secret access key is wrong: the server rejected the request signature (while trying to send the GET request to bucket "${bucket}") [item 0]`,
		);
	});
});

describe('Custom API Call: deadlines and retries, as every other request', () => {
	const bucket = uniqueBucket('custom-faults');
	let proxy: FaultProxy;
	const viaProxy = (overrides: Record<string, unknown> = {}) => ({ credential: credentialFor(undefined, { endpoint: proxy.endpoint, maxAttempts: 4, ...overrides }) });

	beforeAll(async () => {
		proxy = await startFaultProxy(getTarget().endpoint);
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep.txt', Body: 'kept' }));
	});

	beforeEach(() => {
		proxy.rule = undefined;
		proxy.clear();
	});

	afterAll(async () => {
		await proxy.stop();
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	});

	it('a GET answered 503 SlowDown twice is retried and succeeds', async () => {
		proxy.rule = (request) => (request.method === 'GET' && request.nth <= 2 ? slowDown() : undefined);
		const [answer] = await call({ method: 'GET', bucket: bucketParam(bucket), target: 'key', key: 'keep.txt' }, undefined, viaProxy());
		expect((await binaryToBuffer(answer.binary!.data)).toString()).toBe('kept');
		expect(proxy.requests.filter((r) => r.method === 'GET').map((r) => r.status)).toEqual([503, 503, 200]);
	});

	it('a POST is sent once: a 502 from a gateway fails the item without a second POST', async () => {
		proxy.rule = (request) => (request.method === 'POST' ? badGatewayHtml() : undefined);
		const error = await runNodeError(
			{
				resource: 'customApiCall',
				operation: 'send',
				method: 'POST',
				bucket: bucketParam(bucket),
				queryParameters: { parameters: [{ name: 'delete', value: '' }] },
				bodySource: 'text',
				bodyText: '<Delete><Object><Key>keep.txt</Key></Object></Delete>',
			},
			undefined,
			viaProxy(),
		);
		expect(error.message).toContain('answered HTTP 502 with something that is not an S3 answer (text/html)');
		expect(proxy.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
		// Nothing was deleted: the proxy answered instead of the server.
		expect(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'keep.txt' }))).Body!.transformToString()).toBe('kept');
	});

	it('a PUT whose body upload is cut is sent again from its first byte', async () => {
		const bytes = Buffer.alloc(256 * 1024, 7);
		const binary = await makeBinary(bytes, 'cut.bin', 'application/octet-stream');
		proxy.rule = (request) => (request.method === 'PUT' && request.nth === 1 ? { kind: 'resetRequest', afterBytes: 64 * 1024 } : undefined);
		const [answer] = await call(
			{ method: 'PUT', bucket: bucketParam(bucket), target: 'key', key: 'cut.bin', bodySource: 'binary', binaryPropertyName: 'data' },
			[{ json: {}, binary: { data: binary as unknown as IBinaryData } }],
			viaProxy(),
		);
		expect(answer.json.statusCode).toBe(200);
		expect(proxy.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
		const stored = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'cut.bin' }))).Body!.transformToByteArray());
		expect(stored.equals(bytes)).toBe(true);
	});

	it('a request the server never answers ends at the credential\'s Idle Timeout, on every attempt', async () => {
		proxy.rule = (request) => (request.method === 'GET' ? { kind: 'stall' } : undefined);
		const started = Date.now();
		const error = await runNodeError({ resource: 'customApiCall', operation: 'send', method: 'GET', bucket: bucketParam(bucket) }, undefined, viaProxy({ idleTimeout: 1, maxAttempts: 2 }));
		expect(error.message).toBe(`Could not send the GET request to bucket "${bucket}": the S3 endpoint at ${proxy.endpoint} did not answer within 1 s, tried 2 times [item 0]`);
		expect(proxy.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
		expect(Date.now() - started).toBeLessThan(10_000);
	});
});
