/**
 * Machine identity: the SDK's default chain on the n8n host, allowed only by the administrator's
 * N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY=true. Every source of the chain is exercised for real:
 * environment variables, a shared credentials/config profile, a web identity token file (EKS
 * IRSA) exchanged at an STS endpoint, container credentials (ECS / EKS Pod Identity) and EC2
 * instance metadata (IMDSv2), the last three served by small servers on 127.0.0.1 in AWS's own
 * formats. They hand out credentials the S3 server accepts (on Ceph RGW: real temporary
 * credentials from its STS), so the node's S3 calls prove the chain's result was used.
 * Each test replaces process.env (restored after it); they run one after another.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ICredentialTestFunctions, IDataObject } from 'n8n-workflow';

import { s3StorageApiTest } from '../../nodes/S3Storage/methods/credentialTest';
import { MACHINE_IDENTITY_ENV } from '../../nodes/S3Storage/transport/auth';
import { destroyClients } from '../../nodes/S3Storage/transport/client';
import {
	isolateAwsEnv,
	startContainerCredentialsServer,
	startFakeWebIdentitySts,
	startImdsServer,
	targetIssuer,
} from '../support/fakeMetadataServers';
import { bucketParam, runNode, runNodeError } from '../support/harness';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const bucket = uniqueBucket('auth-machine');
const listParams = { resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true };
const machine = (overrides: Record<string, unknown> = {}) =>
	credentialFor(target, { authentication: 'machineIdentity', accessKeyId: '', secretAccessKey: '', ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function credentialTest(data: Record<string, unknown>) {
	return await s3StorageApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'S3', type: 's3StorageApi', data: data as never });
}

async function listKeys(credential: IDataObject, items = 1) {
	const output = await runNode(listParams, Array.from({ length: items }, () => ({ json: {} })), { credential });
	return output.map((item) => item.json.key);
}

let restoreEnv: (() => void) | undefined;
let tempDir: string;

beforeAll(async () => {
	const client = rawClient();
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
	await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'machine.txt', Body: 'm' }));
	client.destroy();
	tempDir = mkdtempSync(join(tmpdir(), 'n8n-s3-machine-'));
});

afterEach(() => {
	restoreEnv?.();
	restoreEnv = undefined;
	destroyClients();
});

afterAll(async () => {
	const client = rawClient();
	const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
	for (const object of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
	await client.send(new DeleteBucketCommand({ Bucket: bucket }));
	client.destroy();
	rmSync(tempDir, { recursive: true, force: true });
});

/** A clean AWS environment with machine identity allowed, plus `vars`. */
function allowWith(vars: Record<string, string | undefined> = {}) {
	restoreEnv = isolateAwsEnv({ [MACHINE_IDENTITY_ENV]: 'true', ...vars });
}

describe('machine identity: the administrator\'s switch', () => {
	it('is refused by every operation and the credential test until the administrator allows it', async () => {
		restoreEnv = isolateAwsEnv({ AWS_ACCESS_KEY_ID: target.accessKeyId, AWS_SECRET_ACCESS_KEY: target.secretAccessKey });
		const error = await runNodeError(listParams, undefined, { credential: machine() });
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe('Sign-in with the machine identity is not allowed on this n8n instance (the credential uses Machine Identity)');
		expect(error.description).toMatch(new RegExp(`set the environment variable ${MACHINE_IDENTITY_ENV}=true for n8n \\(and its workers\\) and restart n8n`));

		const tested = await credentialTest(machine());
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/^Sign-in with the machine identity is not allowed on this n8n instance.*N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY=true/);

		process.env[MACHINE_IDENTITY_ENV] = 'true';
		expect(await listKeys(machine())).toEqual(['machine.txt']);
	});

	it('says when the host has no identity at all, and which sources were looked at', async () => {
		allowWith(); // no variables, no files, instance metadata off
		const error = await runNodeError(listParams, undefined, { credential: machine() });
		expect(error.message).toMatch(/^Could not get the machine identity's credentials: none were found on the n8n host/);
		expect(error.description).toMatch(/AWS_WEB_IDENTITY_TOKEN_FILE.*AWS_CONTAINER_CREDENTIALS_FULL_URI.*instance metadata/);
		const tested = await credentialTest(machine());
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/^Sign-in failed at step "getting the machine identity's credentials": Could not get the machine identity's credentials: none were found/);
	});
});

describe('machine identity: each source of the default chain', () => {
	it('environment variables (with a session token)', async () => {
		const issued = await targetIssuer()();
		allowWith({
			AWS_ACCESS_KEY_ID: issued.accessKeyId,
			AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
			AWS_SESSION_TOKEN: issued.sessionToken || undefined,
		});
		expect(await listKeys(machine(), 3)).toEqual(['machine.txt', 'machine.txt', 'machine.txt']);
		expect(await credentialTest(machine())).toEqual({ status: 'OK', message: 'Connected with the machine identity (from environment variables)' });
	});

	it('environment variables with AWS_CREDENTIAL_EXPIRATION: kept until they expire, then read again', async () => {
		const issued = await targetIssuer()();
		allowWith({
			AWS_ACCESS_KEY_ID: issued.accessKeyId,
			AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
			AWS_SESSION_TOKEN: issued.sessionToken || undefined,
			AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 6_000).toISOString(),
		});
		expect(await listKeys(machine(), 2)).toHaveLength(2);
		// Rotated to a key the server does not know: unseen while the first ones are valid...
		process.env.AWS_ACCESS_KEY_ID = 'AKIAUNKNOWNROTATED01';
		process.env.AWS_CREDENTIAL_EXPIRATION = new Date(Date.now() + 60_000).toISOString();
		expect(await listKeys(machine())).toEqual(['machine.txt']);
		// ...and used once they have expired (RGW with STS answers an unknown key with a session token by AccessDenied).
		await sleep(6_300);
		const error = await runNodeError(listParams, undefined, { credential: machine() });
		expect(error.message).toMatch(/^(The access key ID is not known to the server|Access denied: the credential may not list objects)/);
	});

	it('a profile with a credential_process, run again once its credentials expire', async () => {
		const issued = await targetIssuer()();
		const script = join(tempDir, 'credential-process.js');
		const counter = join(tempDir, 'credential-process.count');
		writeFileSync(
			script,
			`const fs = require('fs');
fs.appendFileSync(${JSON.stringify(counter)}, 'x');
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(issued.accessKeyId)}, SecretAccessKey: ${JSON.stringify(issued.secretAccessKey)},
  ${issued.sessionToken ? `SessionToken: ${JSON.stringify(issued.sessionToken)},` : ''} Expiration: new Date(Date.now() + 4000).toISOString() }));
`,
		);
		const configFile = join(tempDir, 'config-process');
		writeFileSync(configFile, `[profile from-process]\ncredential_process = ${process.execPath} ${script}\n`);
		allowWith({ AWS_CONFIG_FILE: configFile });
		const runs = () => (existsSync(counter) ? readFileSync(counter, 'utf8').length : 0);
		expect(await listKeys(machine({ profileName: 'from-process' }), 3)).toHaveLength(3);
		expect(await listKeys(machine({ profileName: 'from-process' }))).toEqual(['machine.txt']);
		expect(runs()).toBe(1);
		await sleep(4_300);
		expect(await listKeys(machine({ profileName: 'from-process' }))).toEqual(['machine.txt']);
		expect(runs()).toBe(2);
	});

	it('a shared credentials file profile chosen in the credential, and AWS_PROFILE', async () => {
		const issued = await targetIssuer()();
		const credentialsFile = join(tempDir, 'credentials');
		const configFile = join(tempDir, 'config');
		writeFileSync(
			credentialsFile,
			[
				'[default]',
				'aws_access_key_id = AKIADEFAULTNOTUSED00',
				'aws_secret_access_key = defaultSecretNotUsed000000000000000000000',
				'',
				'[n8n-storage]',
				`aws_access_key_id = ${issued.accessKeyId}`,
				`aws_secret_access_key = ${issued.secretAccessKey}`,
				...(issued.sessionToken ? [`aws_session_token = ${issued.sessionToken}`] : []),
				'',
			].join('\n'),
		);
		writeFileSync(configFile, ['[profile n8n-storage]', 'region = us-east-1', ''].join('\n'));
		allowWith({ AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile });

		expect(await listKeys(machine({ profileName: 'n8n-storage' }))).toEqual(['machine.txt']);
		expect(await credentialTest(machine({ profileName: 'n8n-storage' }))).toEqual({
			status: 'OK',
			message: 'Connected with the machine identity (from a shared config profile)',
		});

		destroyClients();
		process.env.AWS_PROFILE = 'n8n-storage';
		expect(await listKeys(machine())).toEqual(['machine.txt']);

		destroyClients();
		const error = await runNodeError(listParams, undefined, { credential: machine({ profileName: 'no-such-profile' }) });
		expect(error.message).toMatch(/^Could not get the machine identity's credentials \(profile "no-such-profile"\): the profile was not found or has no credentials/);
		expect(error.description).toMatch(/Check that profile "no-such-profile" exists/);
	});

	it('a web identity token file (EKS IRSA), exchanged at STS; the token file is read again at each refresh', async () => {
		const sts = await startFakeWebIdentitySts({ ttlMs: 4_000 });
		try {
			const tokenFile = join(tempDir, 'token');
			writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.first-projected-token.sig');
			allowWith({
				AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
				AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/n8n-irsa',
				AWS_ROLE_SESSION_NAME: 'n8n-pod',
				AWS_REGION: 'us-east-1',
				AWS_ENDPOINT_URL_STS: sts.url,
			});
			expect(await listKeys(machine(), 4)).toHaveLength(4);
			expect(await listKeys(machine())).toEqual(['machine.txt']);
			expect(sts.webIdentityTokens).toEqual(['eyJhbGciOiJSUzI1NiJ9.first-projected-token.sig']);
			const sent = new URLSearchParams(sts.requests[0].body);
			expect(sent.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/n8n-irsa');
			expect(sent.get('RoleSessionName')).toBe('n8n-pod');

			// The kubelet rotates the projected token; after expiry the new one is exchanged.
			writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.rotated-token.sig');
			await sleep(4_300);
			expect(await listKeys(machine())).toEqual(['machine.txt']);
			expect(sts.webIdentityTokens).toEqual(['eyJhbGciOiJSUzI1NiJ9.first-projected-token.sig', 'eyJhbGciOiJSUzI1NiJ9.rotated-token.sig']);

			expect(await credentialTest(machine())).toEqual({
				status: 'OK',
				message: 'Connected with the machine identity (from a web identity token file)',
			});

			destroyClients();
			process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
			const error = await runNodeError(listParams, undefined, { credential: machine() });
			expect(error.message).toMatch(
				/^Could not get the machine identity's credentials: a credential service could not be reached \(connect \(the connection was refused\) 127\.0\.0\.1:9\)/,
			);
		} finally {
			await sts.close();
		}
	});

	it('container credentials (ECS / EKS Pod Identity) with an authorization token, refreshed after expiry', async () => {
		const server = await startContainerCredentialsServer({ authToken: 'pod-identity-auth-token-1234', ttlMs: 4_000 });
		try {
			allowWith({ AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'pod-identity-auth-token-1234' });
			expect(await listKeys(machine(), 5)).toHaveLength(5);
			expect(await listKeys(machine(), 2)).toHaveLength(2);
			expect(server.requests.map((r) => [r.method, r.status])).toEqual([['GET', 200]]);
			expect(server.requests[0].headers.authorization).toBe('pod-identity-auth-token-1234');
			await sleep(4_300);
			expect(await listKeys(machine())).toEqual(['machine.txt']);
			expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
			expect(await credentialTest(machine())).toEqual({ status: 'OK', message: 'Connected with the machine identity (from container credentials)' });
		} finally {
			await server.close();
		}
	});

	it('container credentials with the token in a file (EKS Pod Identity), and a refused token', async () => {
		const server = await startContainerCredentialsServer({ authToken: 'token-from-file-5678' });
		try {
			const tokenFile = join(tempDir, 'eks-pod-identity-token');
			writeFileSync(tokenFile, 'token-from-file-5678');
			allowWith({ AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile });
			expect(await listKeys(machine())).toEqual(['machine.txt']);
			expect(server.requests[0].headers.authorization).toBe('token-from-file-5678');

			destroyClients();
			writeFileSync(tokenFile, 'a-wrong-token');
			const error = await runNodeError(listParams, undefined, { credential: machine() });
			expect(error.message).toMatch(
				/^Could not get the machine identity's credentials: the container credentials endpoint \(AWS_CONTAINER_CREDENTIALS_FULL_URI\) gave none/,
			);
			expect(error.description).toMatch(/AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE holds the token the endpoint expects/);
			expect(server.requests.at(-1)!.status).toBe(401);
		} finally {
			await server.close();
		}
	});

	it('EC2 instance metadata, IMDSv2 (token first), refreshed after expiry', async () => {
		const imds = await startImdsServer({ ttlMs: 4_000 });
		try {
			allowWith({ AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
			expect(await listKeys(machine(), 5)).toHaveLength(5);
			expect(await listKeys(machine())).toEqual(['machine.txt']);
			const credentialGets = () => imds.requests.filter((r) => r.url.endsWith('/n8n-instance-role')).length;
			expect(imds.requests.map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual([
				'PUT /latest/api/token 200',
				'GET /latest/meta-data/iam/security-credentials/ 200',
				'GET /latest/meta-data/iam/security-credentials/n8n-instance-role 200',
			]);
			expect(imds.requests[0].headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600');
			expect(imds.requests[2].headers['x-aws-ec2-metadata-token']).toBe(imds.tokens[0]);
			await sleep(4_300);
			expect(await listKeys(machine())).toEqual(['machine.txt']);
			expect(credentialGets()).toBe(2);
			expect(imds.requests.every((r) => r.status === 200)).toBe(true);
			expect(await credentialTest(machine())).toMatchObject({ status: 'OK', message: expect.stringMatching(/^Connected with the machine identity/) });
		} finally {
			await imds.close();
		}
	});
});
