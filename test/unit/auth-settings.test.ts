/**
 * Sign-in building blocks without a server: the memoization that keeps temporary credentials
 * until shortly before they expire, the machine-identity gate, the assume-role settings checks,
 * the wording of STS failures, the custom CA check, and the credential form's fields.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { S3StorageApi } from '../../credentials/S3StorageApi.credentials';
import {
	assertAuthAllowed,
	AuthSettingsError,
	authPlanFor,
	clearAuthCache,
	MACHINE_IDENTITY_ENV,
	MIN_SESSION_DURATION,
	memoizeCredentials,
	roleSettings,
	type Credentials,
} from '../../nodes/S3Storage/transport/auth';
import { describeAssumeRoleFailure } from '../../nodes/S3Storage/transport/errors';
import { buildClientConfig, getClient, destroyClients } from '../../nodes/S3Storage/transport/client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fakeFetcher(ttlMs: number | undefined) {
	const calls: boolean[] = [];
	const fetch = async (refresh: boolean): Promise<Credentials> => {
		calls.push(refresh);
		await sleep(5);
		return {
			accessKeyId: `AK${calls.length}`,
			secretAccessKey: `secret${calls.length}`,
			...(ttlMs === undefined ? {} : { expiration: new Date(Date.now() + ttlMs) }),
		};
	};
	return { calls, fetch };
}

describe('memoizeCredentials', () => {
	// A clock the tests move by hand, so a busy machine cannot make a sleep overshoot a deadline.
	let now = 1_700_000_000_000;
	const advance = (ms: number) => {
		now += ms;
	};
	beforeEach(() => {
		jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => jest.restoreAllMocks());

	it('fetches once for concurrent and repeated callers while the credentials are fresh', async () => {
		const { calls, fetch } = fakeFetcher(3_600_000);
		const provider = memoizeCredentials(fetch);
		const results = await Promise.all(Array.from({ length: 20 }, () => provider()));
		expect(calls).toEqual([false]);
		expect(new Set(results.map((r) => r.accessKeyId))).toEqual(new Set(['AK1']));
		for (let i = 0; i < 50; i++) await provider();
		expect(calls).toHaveLength(1);
		expect(provider.memoized).toBe(true);
	});

	it('never refetches credentials without an expiration, unless given a maximum age', async () => {
		const { calls, fetch } = fakeFetcher(undefined);
		const provider = memoizeCredentials(fetch, 10);
		await provider();
		advance(30);
		await provider();
		expect(calls).toHaveLength(1);

		const aged = fakeFetcher(undefined);
		const withMaxAge = memoizeCredentials(aged.fetch, 10, 60);
		expect((await withMaxAge()).accessKeyId).toBe('AK1');
		advance(20);
		expect((await withMaxAge()).accessKeyId).toBe('AK1');
		advance(60);
		expect((await withMaxAge()).accessKeyId).toBe('AK2');
		expect(aged.calls).toEqual([false, true]);
	});

	it('refreshes before expiry: at the margin, or halfway through short lives', async () => {
		// 400 ms lifetime, 5 min margin: refreshed after about 200 ms (half the life), with refresh=true.
		const { calls, fetch } = fakeFetcher(400);
		const provider = memoizeCredentials(fetch);
		expect((await provider()).accessKeyId).toBe('AK1');
		advance(50);
		expect((await provider()).accessKeyId).toBe('AK1');
		expect(calls).toHaveLength(1);
		advance(250);
		expect((await provider()).accessKeyId).toBe('AK2');
		expect(calls).toEqual([false, true]);
	});

	it('keeps still-valid credentials when an early refresh fails, and throws once they expired', async () => {
		let call = 0;
		const provider = memoizeCredentials(async () => {
			call += 1;
			if (call > 1) throw new Error('metadata service down');
			return { accessKeyId: 'AK1', secretAccessKey: 's', expiration: new Date(Date.now() + 300) };
		});
		await provider();
		advance(200); // past the refresh point (150 ms), before expiry (300 ms)
		expect((await provider()).accessKeyId).toBe('AK1');
		expect(call).toBe(2);
		advance(150); // expired now
		await expect(provider()).rejects.toThrow('metadata service down');
	});
});

describe('machine identity gate', () => {
	const saved = process.env[MACHINE_IDENTITY_ENV];
	afterEach(() => {
		if (saved === undefined) delete process.env[MACHINE_IDENTITY_ENV];
		else process.env[MACHINE_IDENTITY_ENV] = saved;
		destroyClients();
	});

	it.each([
		['machine identity', { authentication: 'machineIdentity' }],
		['assume role from the machine identity', { authentication: 'assumeRole', sourceCredentials: 'machineIdentity', roleArn: 'arn:aws:iam::1:role/x' }],
	])(`refuses %s unless ${MACHINE_IDENTITY_ENV}=true, saying how to enable it`, (_label, fields) => {
		for (const value of [undefined, '', 'false', '1', 'yes']) {
			if (value === undefined) delete process.env[MACHINE_IDENTITY_ENV];
			else process.env[MACHINE_IDENTITY_ENV] = value;
			let error: unknown;
			try {
				assertAuthAllowed(fields);
			} catch (caught) {
				error = caught;
			}
			expect(error).toBeInstanceOf(AuthSettingsError);
			expect((error as AuthSettingsError).message).toMatch(/machine identity is not allowed on this n8n instance/);
			expect((error as AuthSettingsError).description).toContain(`${MACHINE_IDENTITY_ENV}=true`);
			// getClient (every operation) refuses too, even with nothing cached.
			expect(() => getClient({ provider: 'other', endpoint: 'http://127.0.0.1:9', ...fields })).toThrow(AuthSettingsError);
		}
		process.env[MACHINE_IDENTITY_ENV] = 'true';
		expect(() => assertAuthAllowed(fields)).not.toThrow();
		process.env[MACHINE_IDENTITY_ENV] = ' TRUE ';
		expect(() => assertAuthAllowed(fields)).not.toThrow();
	});

	it('does not gate access keys or assume role from access keys', () => {
		delete process.env[MACHINE_IDENTITY_ENV];
		expect(() => assertAuthAllowed({ authentication: 'accessKeys' })).not.toThrow();
		expect(() => assertAuthAllowed({ authentication: 'assumeRole', sourceCredentials: 'accessKeys' })).not.toThrow();
	});

	it('refuses a cached client once the administrator withdraws the permission', () => {
		process.env[MACHINE_IDENTITY_ENV] = 'true';
		const credentials = { provider: 'other', endpoint: 'http://127.0.0.1:9', authentication: 'machineIdentity' };
		expect(getClient(credentials).client).toBeDefined();
		delete process.env[MACHINE_IDENTITY_ENV];
		expect(() => getClient(credentials)).toThrow(/not allowed/);
	});
});

describe('assume role settings', () => {
	it('applies defaults', () => {
		expect(roleSettings({ roleArn: ' arn:aws:iam:::role/app/S3Access ' })).toEqual({
			roleArn: 'arn:aws:iam:::role/app/S3Access',
			roleSessionName: 'n8n-s3-storage',
			sessionDuration: 3600,
			externalId: undefined,
			stsEndpoint: undefined,
			stsRegion: undefined,
		});
		expect(roleSettings({ roleArn: 'arn:aws:iam::1:role/x', stsEndpoint: 'sts.example.com/' }).stsEndpoint).toBe('https://sts.example.com');
	});

	it.each([
		[{}, /needs a role/],
		[{ roleArn: 'S3Access' }, /is not a role ARN/],
		[{ roleArn: 'arn:aws:iam::1:role/x', roleSessionName: 'a' }, /role session name "a" is not valid/],
		[{ roleArn: 'arn:aws:iam::1:role/x', roleSessionName: 'has space' }, /is not valid/],
		[{ roleArn: 'arn:aws:iam::1:role/x', sessionDuration: 60 }, /session duration 60 is not valid/],
		[{ roleArn: 'arn:aws:iam::1:role/x', sessionDuration: 50000 }, /is not valid/],
		[{ roleArn: 'arn:aws:iam::1:role/x', stsEndpoint: 'http://exa mple' }, /STS endpoint .* is not a valid URL/],
	])('rejects %o', (fields, message) => {
		expect(() => roleSettings(fields)).toThrow(message);
	});

	it('sends STS to the S3 endpoint for S3-compatible stores, to AWS STS for Amazon S3, or to "STS Endpoint"', async () => {
		// Observed through the request the provider sends: an unreachable port says where it went.
		const fields = { authentication: 'assumeRole', accessKeyId: 'AK', secretAccessKey: 'SECRETSECRET', roleArn: 'arn:aws:iam:::role/app/x', maxAttempts: 1 };
		const failureOf = async (extra: object, context: { endpoint: string | undefined; region: string; isAws: boolean }) => {
			const plan = authPlanFor({ ...fields, ...extra }, context, { fresh: true });
			return await (plan.credentials as () => Promise<unknown>)().then(
				() => undefined,
				(error: Error & { step?: string }) => error,
			);
		};
		const s3Compatible = await failureOf({}, { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', isAws: false });
		expect(s3Compatible).toMatchObject({ step: 'assumeRole' });
		expect(s3Compatible!.message).toMatch(/could not reach the STS endpoint http:\/\/127\.0\.0\.1:9 \(the connection was refused\)/);

		const field = await failureOf({ stsEndpoint: 'http://127.0.0.1:10' }, { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', isAws: false });
		expect(field!.message).toMatch(/STS endpoint http:\/\/127\.0\.0\.1:10 \(the connection was refused\)/);

		// Amazon S3: the SDK's own STS endpoint resolution (redirected here by its AWS_ENDPOINT_URL_STS setting).
		process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:11';
		try {
			const aws = await failureOf({}, { endpoint: undefined, region: 'eu-west-1', isAws: true });
			expect(aws!.message).toMatch(/could not reach the STS endpoint AWS STS \(eu-west-1\) \(the connection was refused\)/);
		} finally {
			delete process.env.AWS_ENDPOINT_URL_STS;
		}
		clearAuthCache();
	});

	it('reports a missing source key pair as the source step', async () => {
		const plan = authPlanFor(
			{ authentication: 'assumeRole', roleArn: 'arn:aws:iam:::role/app/x' },
			{ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', isAws: false },
			{ fresh: true },
		);
		await expect((plan.credentials as () => Promise<unknown>)()).rejects.toMatchObject({
			step: 'source',
			message: expect.stringMatching(/needs source credentials/),
		});
	});
});

describe('describeAssumeRoleFailure', () => {
	const arn = 'arn:aws:iam:::role/app/S3Access';
	const sdk = (name: string, status: number, message = 'UnknownError') => ({ name, message, $metadata: { httpStatusCode: status } });
	const limits = { minSessionDuration: MIN_SESSION_DURATION };

	it.each([
		// Ceph RGW answers STS errors in S3's XML shape: the SDK sees "Unknown" and only the HTTP status.
		['RGW 403', sdk('Unknown', 403), /access denied \(no error code, HTTP 403\)/, /trust policy/],
		['RGW 404', sdk('NotFound', 404), /the role does not exist/, /Role ARN/],
		['RGW 400', sdk('Unknown', 400), /rejected the request as invalid/, /Role Session Name/],
		// AWS's own codes
		['AccessDenied', sdk('AccessDenied', 403, 'User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole'), /access denied \(AccessDenied, HTTP 403\): User: arn/, /External ID/],
		['InvalidClientTokenId', sdk('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'), /did not accept the source credentials/, /source access key/],
		['ExpiredToken', sdk('ExpiredToken', 400), /session token has expired/, /Renew/],
		['RegionDisabledException', sdk('RegionDisabledException', 403), /not activated in this region/, /STS Region/],
	])('%s', (_label, error, message, description) => {
		const described = describeAssumeRoleFailure(error, arn, 'http://127.0.0.1:7480', [], limits);
		expect(described.message).toMatch(new RegExp(`^Could not assume role "${arn}"`));
		expect(described.message).toMatch(message);
		expect(described.description).toMatch(description);
	});

	it('removes the credential\'s secrets from a server message', () => {
		const described = describeAssumeRoleFailure(sdk('Weird', 500, 'echo sekritSEKRIT123 back'), arn, 'x', ['sekritSEKRIT123'], limits);
		expect(described.message).not.toContain('sekritSEKRIT123');
		expect(described.message).toContain('***');
	});
});

describe('credential form', () => {
	const properties = new S3StorageApi().properties;

	it('offers the three sign-in modes', () => {
		const authentication = properties.find((p) => p.name === 'authentication')!;
		expect(authentication.options!.map((o) => (o as { value: string }).value).sort()).toEqual(['accessKeys', 'assumeRole', 'machineIdentity']);
	});

	it('shows the access keys for access keys, and for assume role from access keys only', () => {
		const shows = properties.filter((p) => p.name === 'secretAccessKey').map((p) => p.displayOptions?.show);
		expect(shows).toEqual([{ authentication: ['accessKeys'] }, { authentication: ['assumeRole'], sourceCredentials: ['accessKeys'] }]);
		for (const p of properties.filter((p) => /secret|token/i.test(p.name) && p.type === 'string')) {
			expect(p.typeOptions?.password).toBe(true);
		}
	});

	it('has every assume-role field, and the session name default is valid', () => {
		const names = properties.filter((p) => JSON.stringify(p.displayOptions ?? {}).includes('assumeRole')).map((p) => p.name);
		expect(names).toEqual(
			expect.arrayContaining(['sourceCredentials', 'roleArn', 'externalId', 'roleSessionName', 'sessionDuration', 'stsEndpoint', 'stsRegion', 'profileName']),
		);
		const sessionName = properties.find((p) => p.name === 'roleSessionName')!.default as string;
		expect(() => roleSettings({ roleArn: 'arn:aws:iam::1:role/x', roleSessionName: sessionName })).not.toThrow();
	});

	it('builds a client config for every mode without sending anything', () => {
		process.env[MACHINE_IDENTITY_ENV] = 'true';
		try {
			for (const authentication of ['accessKeys', 'machineIdentity', 'assumeRole']) {
				const { auth } = buildClientConfig(
					{ provider: 'other', endpoint: 'http://127.0.0.1:9', authentication, roleArn: 'arn:aws:iam:::role/app/x', accessKeyId: 'a', secretAccessKey: 'b' },
					undefined,
					{ fresh: true },
				);
				expect(auth.mode).toBe(authentication);
			}
		} finally {
			delete process.env[MACHINE_IDENTITY_ENV];
		}
	});
});

describe('custom CA certificate', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ca-check-'));
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=n8n-s3-unit-ca'], {
		cwd: dir,
		stdio: 'ignore',
	});
	const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
	const keyPem = readFileSync(join(dir, 'ca.key'), 'utf8');
	rmSync(dir, { recursive: true, force: true });
	const fields = (customCa: string) => ({ authentication: 'accessKeys', accessKeyId: 'a', secretAccessKey: 'b', customCa });

	it('accepts a certificate, a bundle of them, and an empty field', () => {
		expect(() => assertAuthAllowed(fields(caPem))).not.toThrow();
		expect(() => assertAuthAllowed(fields(`${caPem}\n${caPem}`))).not.toThrow();
		expect(() => assertAuthAllowed(fields('  '))).not.toThrow();
	});

	it.each([
		['text without a certificate', 'not a certificate at all', /^"Custom CA Certificate" holds no certificate/],
		['a damaged certificate', caPem.replace(/^(-----BEGIN CERTIFICATE-----\n)[A-Za-z0-9+/]{20}/, '$1AAAAAAAAAAAAAAAAAAAA'), /^"Custom CA Certificate" is not a readable certificate \(/],
		['a cut certificate', caPem.replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END'), /is not a readable certificate/],
		['a second block that is damaged', `${caPem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----`, /^Block 2 of "Custom CA Certificate" is not a readable certificate/],
	])('refuses %s by name, before anything is sent', (_label, customCa, message) => {
		let error: AuthSettingsError | undefined;
		try {
			assertAuthAllowed(fields(customCa));
		} catch (thrown) {
			error = thrown as AuthSettingsError;
		}
		expect(error).toBeInstanceOf(AuthSettingsError);
		expect(error!.message).toMatch(message);
		expect(error!.description).toMatch(/-----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----/);
		// the client is never built with it
		expect(() => getClient({ provider: 'other', endpoint: 'https://127.0.0.1:9', ...fields(customCa) })).toThrow(AuthSettingsError);
	});

	it('a private key pasted by mistake is refused without being echoed', () => {
		let error: AuthSettingsError | undefined;
		try {
			assertAuthAllowed(fields(keyPem));
		} catch (thrown) {
			error = thrown as AuthSettingsError;
		}
		expect(error!.message).toBe('"Custom CA Certificate" is a PRIVATE KEY, not a certificate');
		expect(error!.description).toMatch(/^Remove the private key/);
		const body = keyPem.split('\n')[1];
		expect(`${error!.message} ${error!.description}`).not.toContain(body);
	});
});
