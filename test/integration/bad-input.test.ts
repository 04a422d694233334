/**
 * Bad input gets a clear error that names what was wrong and how to fix it, and under
 * "Continue On Fail" becomes an error item paired to its input while the other items go on.
 */
import { bucketParam, makeBinary, runNode, runNodeError, runSteps, setBinaryMode } from '../support/harness';
import { capabilities, credentialFor, getTarget, uniqueBucket } from '../support/target';

const target = getTarget();
const caps = capabilities(target);
const bucket = uniqueBucket('bad');

beforeAll(async () => {
	await setBinaryMode('filesystem');
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

const upload = (overrides: Record<string, unknown> = {}) => ({
	resource: 'object',
	operation: 'upload',
	bucket: bucketParam(bucket),
	binaryPropertyName: 'data',
	key: 'a.txt',
	...overrides,
});

it('a missing binary field names the field', async () => {
	const error = await runNodeError(upload({ binaryPropertyName: 'attachment' }), [{ json: {} }]);
	expect(error.message).toMatch(/attachment/);
});

it('an invalid bucket name says why it is invalid, before any request', async () => {
	const error = await runNodeError(upload({ bucket: bucketParam('My_Bucket') }), [
		{ json: {}, binary: { data: (await makeBinary(Buffer.from('x'), 'a.txt')) as never } },
	]);
	expect(error.message).toBe('"My_Bucket" is not a valid bucket name: it contains uppercase letters; bucket names are lowercase');
	expect(error.description).toMatch(/3-63 characters/);
});

it('no bucket and no default bucket tells where to set one', async () => {
	const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(''), returnAll: true });
	expect(error.message).toBe('No bucket given');
	expect(error.description).toMatch(/Default Bucket/);
});

it('an empty bucket field falls back to the credential\'s default bucket', async () => {
	const items = await runNode({ resource: 'bucket', operation: 'get', bucket: bucketParam('') }, undefined, {
		credential: credentialFor(target, { defaultBucket: bucket }),
	});
	expect(items[0].json).toMatchObject({ bucket, exists: true });
});

it('a missing bucket is named as missing', async () => {
	const missing = uniqueBucket('missing');
	const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(missing), returnAll: true });
	expect(error.message).toBe(`Bucket "${missing}" does not exist [item 0]`);
	expect(error.description).toMatch(/Bucket > Create/);
});

it('a missing key is named, with its bucket', async () => {
	const error = await runNodeError({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'nope/missing.txt' });
	expect(error.message).toBe(`Object "nope/missing.txt" not found in bucket "${bucket}" [item 0]`);
});

it('a key expression that resolves to nothing is refused with how to fill it', async () => {
	const error = await runNodeError({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: '={{ $json.key }}' }, [
		{ json: { key: '' } },
	]);
	expect(error.message).toBe('No object key given');
	expect(error.description).toMatch(/full key/);
});

it('an unreachable endpoint says so, with the endpoint', async () => {
	const error = await runNodeError({ resource: 'bucket', operation: 'getMany', returnAll: true }, undefined, {
		credential: credentialFor(target, { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }),
	});
	expect(error.message).toMatch(/S3 endpoint at http:\/\/127\.0\.0\.1:9 is unreachable \(the connection was refused\)/);
});

(caps.checksSignatures ? it : it.skip)('a wrong secret is refused and the error says the secret is wrong', async () => {
	// RGW answers a bad signature with SignatureDoesNotMatch only where STS is off (see tools/rgw.sh).
	const endpoint = process.env.S3_TEST_ENDPOINT_NO_STS ?? target.endpoint;
	const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true }, undefined, {
		credential: credentialFor(target, { endpoint, secretAccessKey: `${target.secretAccessKey}x` }),
	});
	expect(error.message).toMatch(/The secret access key is wrong/);
	expect(error.description).toMatch(/Secret Access Key/);
	expect(JSON.stringify(error)).not.toContain(target.secretAccessKey);
});

it('an unknown access key is named as unknown', async () => {
	const endpoint = process.env.S3_TEST_ENDPOINT_NO_STS ?? target.endpoint;
	const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true }, undefined, {
		credential: credentialFor(target, { endpoint, accessKeyId: 'AKIANOSUCHKEY0000000' }),
	});
	expect(error.message).toMatch(/access key ID is not known/);
});

it('under Continue On Fail each bad item becomes its own error item and good items go on', async () => {
	const good = await makeBinary(Buffer.from('fine'), 'good.txt', 'text/plain');
	const run = await runSteps(
		[
			{
				name: 'Upload',
				continueOnFail: true,
				parameters: {
					resource: 'object',
					operation: 'upload',
					bucket: bucketParam(bucket),
					binaryPropertyName: 'data',
					key: '={{ $json.key }}',
				},
			},
		],
		[
			{ json: { key: 'ok-1.txt' }, binary: { data: good as never } },
			{ json: { key: 'no-binary.txt' } },
			{ json: { key: 'ok-2.txt' }, binary: { data: good as never } },
		],
	);
	expect(run.nodeError('Upload')).toBeUndefined();
	const output = run.output('Upload')!;
	expect(output).toHaveLength(3);
	expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(output[0].json).toMatchObject({ key: 'ok-1.txt', size: 4 });
	expect(String(output[1].json.error)).toMatch(/data/);
	expect(output[2].json).toMatchObject({ key: 'ok-2.txt', size: 4 });
	const listed = await runNode({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true, options: { prefix: 'ok-' } });
	expect(listed.map((item) => item.json.key)).toEqual(['ok-1.txt', 'ok-2.txt']);
});

it('without Continue On Fail the node fails on the first bad item, naming it', async () => {
	const missing = uniqueBucket('gone');
	const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: `={{ $json.b }}`, returnAll: true }, [
		{ json: { b: bucket } },
		{ json: { b: missing } },
	]);
	expect(error.message).toBe(`Bucket "${missing}" does not exist [item 1]`);
});
