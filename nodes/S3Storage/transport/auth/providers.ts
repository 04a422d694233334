/**
 * Every way the credential signs in, built on the SDK's own providers (@aws-sdk/credential-providers):
 *   - accessKeys: the keys typed in the form (optionally with a session token);
 *   - machineIdentity: the SDK's default chain on the n8n host (environment, shared config/SSO
 *     profile, web identity token file, container credentials, EC2 instance metadata), allowed
 *     only when the n8n administrator sets N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY=true;
 *   - assumeRole: STS AssumeRole with the access keys or the machine identity as source.
 * Providers are cached per credential, so every client, item and execution shares the temporary
 * credentials. Failures are raised as `SignInError`s naming the step that failed.
 */
import { createHash } from 'node:crypto';

import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { agentsFor } from '../agents';
import { describeAssumeRoleFailure, describeMachineIdentityFailure, SignInError } from '../errors';
import { memoizeCredentials, REFRESH_MARGIN_MS, STATIC_MACHINE_CREDENTIALS_MAX_AGE_MS, type Credentials, type CredentialsProvider } from './credentials';
import {
	assertAuthAllowed,
	authenticationMode,
	MIN_SESSION_DURATION,
	roleSettings,
	type AuthContext,
	type AuthenticationMode,
	type AuthFields,
} from './settings';

const MAX_CACHED_PROVIDERS = 32;

export interface AuthPlan {
	mode: AuthenticationMode;
	/** What the S3 client signs with: static keys, or a memoized provider. */
	credentials: Credentials | CredentialsProvider;
	/** Assume role only: the provider of the source credentials (the credential test runs it as step 1). */
	source?: CredentialsProvider;
	/** Words for the credential test, e.g. 'the assumed role "arn:..."'. */
	signedInAs: string;
}

/** Providers by credential, shared by every client (region) and execution using it. */
const providerCache = new Map<string, AuthPlan>();

export function clearAuthCache(): void {
	providerCache.clear();
}

function secretsOf(fields: AuthFields): string[] {
	return [fields.secretAccessKey, fields.sessionToken].map((value) => (value ?? '').trim()).filter((value) => value.length >= 4);
}

function staticKeys(fields: AuthFields): Credentials {
	return {
		accessKeyId: (fields.accessKeyId ?? '').trim(),
		secretAccessKey: (fields.secretAccessKey ?? '').trim(),
		sessionToken: fields.sessionToken?.trim() || undefined,
	};
}

function machineIdentityProvider(fields: AuthFields): CredentialsProvider {
	const profile = (fields.profileName ?? '').trim() || undefined;
	// ignoreCache: the shared config files are read again at each refresh, not once per process.
	const chain = fromNodeProviderChain({ profile, ignoreCache: true });
	return memoizeCredentials(
		(refresh) =>
			chain(refresh ? { forceRefresh: true } : {}).catch((error: unknown) => {
				throw new SignInError('source', describeMachineIdentityFailure(error, profile, secretsOf(fields)));
			}),
		REFRESH_MARGIN_MS,
		// Long-term keys (environment, credentials file) carry no expiration: look again now and then, so rotated keys are used.
		STATIC_MACHINE_CREDENTIALS_MAX_AGE_MS,
	);
}

function stsRequestHandler(fields: AuthFields, stsUrl: string): NodeHttpHandler {
	// STS is called about once an hour per credential: no keep-alive, so no socket outlives the call.
	return new NodeHttpHandler({
		...agentsFor(stsUrl, fields, { keepAlive: false }),
		connectionTimeout: 10_000,
		requestTimeout: 30_000,
	});
}

function assumeRolePlan(fields: AuthFields, context: AuthContext): AuthPlan {
	const settings = roleSettings(fields);
	const secrets = secretsOf(fields);
	const fromMachine = fields.sourceCredentials === 'machineIdentity';
	const source: CredentialsProvider = fromMachine
		? machineIdentityProvider(fields)
		: async () => {
				const keys = staticKeys(fields);
				if (!keys.accessKeyId || !keys.secretAccessKey) {
					throw new SignInError('source', {
						code: 'MissingSourceKeys',
						message: 'Assume Role needs source credentials: "Access Key ID" and "Secret Access Key" are empty',
						description: 'Fill in the access keys that may call sts:AssumeRole, or choose "Machine Identity" as "Source Credentials".',
					});
				}
				return keys;
			};
	// S3-compatible stores with STS (Ceph RGW, MinIO) answer AssumeRole at their S3 endpoint.
	const { endpoint: stsEndpoint, region: stsRegion, where } = stsTarget(settings, context);
	const assume = fromTemporaryCredentials({
		masterCredentials: source,
		params: {
			RoleArn: settings.roleArn,
			RoleSessionName: settings.roleSessionName,
			DurationSeconds: settings.sessionDuration,
			...(settings.externalId ? { ExternalId: settings.externalId } : {}),
		},
		clientConfig: {
			region: stsRegion,
			...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
			requestHandler: stsRequestHandler(fields, stsEndpoint ?? `https://sts.${stsRegion}.amazonaws.com`),
			maxAttempts: fields.maxAttempts ?? 3,
		},
	});
	const credentials = memoizeCredentials(() =>
		assume().catch((error: unknown) => {
			throw error instanceof SignInError
				? error
				: new SignInError(
						'assumeRole',
						describeAssumeRoleFailure(error, settings.roleArn, where, secrets, { minSessionDuration: MIN_SESSION_DURATION }),
					);
		}),
	);
	return {
		mode: 'assumeRole',
		credentials,
		source,
		signedInAs: `the assumed role "${settings.roleArn}" (source: ${fromMachine ? 'the machine identity' : 'the access keys'})`,
	};
}

/** Where AssumeRole goes: "STS Endpoint", else AWS STS for Amazon S3, else the S3 endpoint (Ceph RGW, MinIO). */
function stsTarget(settings: ReturnType<typeof roleSettings>, context: AuthContext) {
	const endpoint = settings.stsEndpoint ?? (context.isAws ? undefined : context.endpoint);
	const region = settings.stsRegion ?? context.region;
	return { endpoint, region, where: endpoint ?? `AWS STS (${region})` };
}

/**
 * What a provider depends on, hashed (no secret in a map key). The machine identity depends only
 * on the profile, so every credential (and region) using it shares one; an assumed role on its
 * source, its settings and where STS is.
 */
function providerKey(fields: AuthFields, context: AuthContext): string {
	const mode = authenticationMode(fields);
	const machine = ['machine', (fields.profileName ?? '').trim()];
	let relevant: unknown[] = [mode, machine];
	if (mode === 'assumeRole') {
		const settings = roleSettings(fields);
		const source =
			fields.sourceCredentials === 'machineIdentity' ? machine : ['keys', fields.accessKeyId, fields.secretAccessKey, fields.sessionToken];
		relevant = [mode, source, settings, stsTarget(settings, context), fields.acceptSelfSigned, fields.customCa, fields.maxAttempts];
	}
	return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

/**
 * How the S3 client signs in for this credential. Cached per credential (so every client,
 * item and execution shares the temporary credentials) unless `fresh` is set, as the
 * credential test does to really try each step again.
 */
export function authPlanFor(fields: AuthFields, context: AuthContext, options: { fresh?: boolean } = {}): AuthPlan {
	const mode = authenticationMode(fields);
	assertAuthAllowed(fields);
	if (mode === 'accessKeys') {
		return { mode, credentials: staticKeys(fields), signedInAs: 'the access keys' };
	}
	const key = providerKey(fields, context);
	if (!options.fresh) {
		const cached = providerCache.get(key);
		if (cached) return cached;
	}
	const plan: AuthPlan =
		mode === 'machineIdentity'
			? { mode, credentials: machineIdentityProvider(fields), signedInAs: 'the machine identity' }
			: assumeRolePlan(fields, context);
	if (!options.fresh) {
		if (providerCache.size >= MAX_CACHED_PROVIDERS) providerCache.delete(providerCache.keys().next().value as string);
		providerCache.set(key, plan);
	}
	return plan;
}

/** Which of the default chain's sources produced the credentials, from the SDK's feature markers. */
export function machineIdentitySourceOf(credentials: Credentials): string | undefined {
	const features = Object.keys((credentials as { $source?: Record<string, unknown> }).$source ?? {});
	const has = (prefix: string) => features.some((feature) => feature.startsWith(prefix));
	if (has('CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN') || has('CREDENTIALS_STS_ASSUME_ROLE_WEB_ID')) return 'a web identity token file';
	if (has('CREDENTIALS_PROFILE')) return 'a shared config profile';
	if (has('CREDENTIALS_SSO')) return 'SSO';
	if (has('CREDENTIALS_ENV_VARS')) return 'environment variables';
	if (has('CREDENTIALS_HTTP')) return 'container credentials';
	if (has('CREDENTIALS_IMDS')) return 'EC2 instance metadata';
	if (has('CREDENTIALS_PROCESS')) return 'a credential process';
	return undefined;
}
