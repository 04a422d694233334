/**
 * No secret leaves through what a user or a log sees. Every sign-in mode is run, succeeding and
 * failing, through the node and the credential test; every output item, every error (message,
 * description and the whole object as n8n would serialise or inspect it), every credential test
 * message and every console / stdout / stderr line is searched for every secret involved: the
 * secret keys, the session tokens and temporary credentials handed out by the metadata servers
 * and by STS (read at a proxy in front of it), the web identity token and the container
 * authorization token.
 * (Presigned URLs are not run here: a URL presigned with temporary credentials carries the
 * session token by design of S3.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ICredentialTestFunctions, IDataObject } from 'n8n-workflow';

import { s3StorageApiTest } from '../../nodes/S3Storage/methods/credentialTest';
import { MACHINE_IDENTITY_ENV } from '../../nodes/S3Storage/transport/auth';
import { destroyClients } from '../../nodes/S3Storage/transport/client';
import {
	isolateAwsEnv,
	secretsInStsResponses,
	startContainerCredentialsServer,
	startCountingProxy,
	startFakeWebIdentitySts,
	startImdsServer,
	targetIssuer,
	type FakeServer,
} from '../support/fakeMetadataServers';
import { badGatewayHtml, slowDown, startFaultProxy, type FaultRule } from '../support/faultProxy';
import { bucketParam, runSteps } from '../support/harness';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const env = process.env;
const hasSts = capabilities(target).sts && !!env.S3_TEST_ROLE_ARN;
const bucket = uniqueBucket('auth-secrets');
const listParams = { resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true };
const readParams = { resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'secret-test.txt' };

const WRONG_SECRET = 'WrongSecretKeyThatMustNotAppear000000001';
const WEB_IDENTITY_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.web-identity-token-must-not-appear.sig';
const CONTAINER_TOKEN = 'container-auth-token-must-not-appear-42';

/** Everything seen: outputs, errors, credential test results, console and process output. */
const seen: string[] = [];
const servers: FakeServer[] = [];
const proxies: Array<{ responses: string[] }> = [];
let tempDir: string;
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
let restoreCapture: (() => void) | undefined;

function capture() {
	const spies = consoleMethods.map((method) =>
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			seen.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 10 }))).join(' '));
		}),
	);
	const writes = [process.stdout, process.stderr].map((stream) => {
		const original = stream.write.bind(stream);
		stream.write = ((chunk: unknown, ...rest: unknown[]) => {
			seen.push(String(chunk));
			return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
		}) as typeof stream.write;
		return () => {
			stream.write = original;
		};
	});
	return () => {
		for (const spy of spies) spy.mockRestore();
		for (const restore of writes) restore();
	};
}

/** Runs the node once with `credential` and records all it produced, success or failure. */
async function runAndRecord(params: IDataObject, credential: IDataObject, expectOk: boolean) {
	const run = await runSteps([{ name: 'S3', parameters: params }], [{ json: {} }, { json: {} }], { credential });
	const error = run.nodeError('S3');
	if (error) {
		seen.push(error.message, String(error.description), inspect(error, { depth: 10, showHidden: true }));
		seen.push(JSON.stringify(error, Object.getOwnPropertyNames(error)));
	}
	const output = run.output('S3') ?? [];
	seen.push(JSON.stringify(output), inspect(run.runData, { depth: 12 }));
	if (expectOk) expect(error).toBeUndefined();
	else expect(error).toBeDefined();
	const tested = await s3StorageApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'S3', type: 's3StorageApi', data: credential as never });
	seen.push(JSON.stringify(tested));
	expect(tested.status).toBe(expectOk ? 'OK' : 'Error');
	destroyClients();
}

beforeAll(async () => {
	const client = rawClient();
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
	await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'secret-test.txt', Body: 'content' }));
	client.destroy();
	tempDir = mkdtempSync(join(tmpdir(), 'n8n-s3-secrets-'));
	restoreCapture = capture();
});

afterAll(async () => {
	restoreCapture?.();
	for (const server of servers) await server.close();
	const client = rawClient();
	const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
	for (const object of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
	await client.send(new DeleteBucketCommand({ Bucket: bucket }));
	client.destroy();
	rmSync(tempDir, { recursive: true, force: true });
});

const machine = (overrides: Record<string, unknown> = {}) =>
	credentialFor(target, { authentication: 'machineIdentity', accessKeyId: '', secretAccessKey: '', ...overrides });

it('no secret appears in outputs, errors, credential tests or logs, in any sign-in mode', async () => {
	// Access keys: right and wrong secret.
	await runAndRecord(readParams, credentialFor(target), true);
	if (capabilities(target).checksSignatures) {
		await runAndRecord(listParams, credentialFor(target, { secretAccessKey: WRONG_SECRET }), false);
	}

	// Machine identity, refused by the administrator's switch and from each source.
	let restoreEnv = isolateAwsEnv({ AWS_ACCESS_KEY_ID: target.accessKeyId, AWS_SECRET_ACCESS_KEY: target.secretAccessKey });
	try {
		await runAndRecord(listParams, machine(), false);
		process.env[MACHINE_IDENTITY_ENV] = 'true';
		await runAndRecord(readParams, machine(), true);
	} finally {
		restoreEnv();
	}

	const envIssued = await targetIssuer()();
	restoreEnv = isolateAwsEnv({
		[MACHINE_IDENTITY_ENV]: 'true',
		AWS_ACCESS_KEY_ID: envIssued.accessKeyId,
		AWS_SECRET_ACCESS_KEY: envIssued.secretAccessKey,
		AWS_SESSION_TOKEN: envIssued.sessionToken || undefined,
	});
	try {
		await runAndRecord(listParams, machine(), true);
	} finally {
		restoreEnv();
	}

	const profileIssued = await targetIssuer()();
	const credentialsFile = join(tempDir, 'credentials');
	writeFileSync(
		credentialsFile,
		`[p]\naws_access_key_id = ${profileIssued.accessKeyId}\naws_secret_access_key = ${profileIssued.secretAccessKey}\n${profileIssued.sessionToken ? `aws_session_token = ${profileIssued.sessionToken}\n` : ''}`,
	);
	restoreEnv = isolateAwsEnv({ [MACHINE_IDENTITY_ENV]: 'true', AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
	try {
		await runAndRecord(listParams, machine({ profileName: 'p' }), true);
		await runAndRecord(listParams, machine({ profileName: 'missing' }), false);
	} finally {
		restoreEnv();
	}

	const sts = await startFakeWebIdentitySts();
	servers.push(sts);
	const tokenFile = join(tempDir, 'token');
	writeFileSync(tokenFile, WEB_IDENTITY_TOKEN);
	restoreEnv = isolateAwsEnv({
		[MACHINE_IDENTITY_ENV]: 'true',
		AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
		AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/irsa',
		AWS_ENDPOINT_URL_STS: sts.url,
	});
	try {
		await runAndRecord(listParams, machine(), true);
		process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
		await runAndRecord(listParams, machine(), false);
	} finally {
		restoreEnv();
	}
	expect(sts.webIdentityTokens).toContain(WEB_IDENTITY_TOKEN);

	const container = await startContainerCredentialsServer({ authToken: CONTAINER_TOKEN });
	servers.push(container);
	restoreEnv = isolateAwsEnv({
		[MACHINE_IDENTITY_ENV]: 'true',
		AWS_CONTAINER_CREDENTIALS_FULL_URI: container.fullUri,
		AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN,
	});
	try {
		await runAndRecord(listParams, machine(), true);
		process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = `${CONTAINER_TOKEN}-wrong`;
		await runAndRecord(listParams, machine(), false);
	} finally {
		restoreEnv();
	}

	const imds = await startImdsServer();
	servers.push(imds);
	restoreEnv = isolateAwsEnv({ [MACHINE_IDENTITY_ENV]: 'true', AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
	try {
		await runAndRecord(readParams, machine(), true);
	} finally {
		restoreEnv();
	}

	// Assume role at a real STS (through a proxy that keeps the role credentials it hands out).
	if (hasSts) {
		const proxy = await startCountingProxy(target.endpoint);
		servers.push(proxy);
		proxies.push(proxy);
		const role = (overrides: Record<string, unknown>) =>
			credentialFor(target, { authentication: 'assumeRole', roleArn: env.S3_TEST_ROLE_ARN, stsEndpoint: proxy.url, ...overrides });
		await runAndRecord(readParams, role({}), true);
		await runAndRecord(listParams, role({ accessKeyId: env.S3_TEST_OTHER_ACCESS_KEY_ID, secretAccessKey: env.S3_TEST_OTHER_SECRET_ACCESS_KEY }), false);
		await runAndRecord(listParams, role({ roleArn: 'arn:aws:iam:::role/app/Nope' }), false);
		await runAndRecord(listParams, role({ roleArn: env.S3_TEST_EXTERNAL_ID_ROLE_ARN, externalId: 'wrong' }), false);
		await runAndRecord(listParams, role({ secretAccessKey: WRONG_SECRET }), false);
		restoreEnv = isolateAwsEnv({ [MACHINE_IDENTITY_ENV]: 'true', AWS_ACCESS_KEY_ID: target.accessKeyId, AWS_SECRET_ACCESS_KEY: target.secretAccessKey });
		try {
			await runAndRecord(listParams, role({ sourceCredentials: 'machineIdentity', accessKeyId: '', secretAccessKey: '' }), true);
		} finally {
			restoreEnv();
		}
	}

	// Faults on the way (stalls, cut and damaged bodies, a proxy's page, throttling): every new message, searched too.
	const faults = await startFaultProxy(target.endpoint);
	try {
		const throughFaults = credentialFor(target, { endpoint: faults.endpoint, idleTimeout: 1, maxAttempts: 2 });
		const failing = async (rule: FaultRule, params: IDataObject, words: RegExp) => {
			faults.clear();
			faults.rule = rule;
			const run = await runSteps([{ name: 'S3', parameters: params }], [{ json: {} }], { credential: throughFaults });
			const error = run.nodeError('S3');
			expect(error?.message).toMatch(words);
			seen.push(String(error?.message), String(error?.description), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error, Object.getOwnPropertyNames(error)));
			destroyClients();
		};
		await failing((request) => (request.name === 'GetObject' ? { kind: 'stall' } : undefined), readParams, /did not answer within 1 s/);
		await failing((request) => (request.name === 'GetObject' ? { kind: 'resetBody', afterBytes: request.nth === 1 ? 3 : 0 } : undefined), readParams, /only 3 of 7 bytes arrived/);
		await failing((request) => (request.name === 'GetObject' ? { kind: 'flipResponseByte', at: 2 } : undefined), readParams, /damaged/);
		await failing((request) => (request.name === 'ListObjectsV2' ? badGatewayHtml() : undefined), listParams, /not an S3 answer/);
		await failing((request) => (request.name === 'ListObjectsV2' ? slowDown() : undefined), listParams, /throttling/);
	} finally {
		await faults.stop();
	}

	const secrets = new Set(
		[
			target.secretAccessKey,
			env.S3_TEST_OTHER_SECRET_ACCESS_KEY,
			WRONG_SECRET,
			WEB_IDENTITY_TOKEN,
			CONTAINER_TOKEN,
			...[envIssued, profileIssued, ...servers.flatMap((server) => server.issued)].flatMap((c) => [c.secretAccessKey, c.sessionToken]),
			...proxies.flatMap((proxy) => secretsInStsResponses(proxy.responses)),
		].filter((secret): secret is string => !!secret && secret.length >= 8),
	);
	// The search is only meaningful if it has something to look for, and looked at a lot.
	expect(secrets.size).toBeGreaterThanOrEqual(12);
	if (hasSts) expect(proxies[0].responses.some((body) => body.includes('<SessionToken>'))).toBe(true);
	const haystack = seen.join('\n');
	expect(haystack.length).toBeGreaterThan(10_000);
	expect(haystack).toContain('Could not get the machine identity\'s credentials');
	if (hasSts) expect(haystack).toContain('Could not assume role');
	const leaks = [...secrets].filter((secret) => haystack.includes(secret));
	expect(leaks).toEqual([]);
});
