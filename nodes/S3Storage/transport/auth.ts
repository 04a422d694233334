/**
 * Every way the credential signs in, built on the SDK's own providers (@aws-sdk/credential-providers):
 *   - accessKeys: the keys typed in the form (optionally with a session token);
 *   - machineIdentity: the SDK's default chain on the n8n host (environment, shared config/SSO
 *     profile, web identity token file, container credentials, EC2 instance metadata), allowed
 *     only when the n8n administrator sets N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY=true;
 *   - assumeRole: STS AssumeRole with the access keys or the machine identity as source.
 *
 * Temporary credentials are memoized per credential and refreshed a little before they expire,
 * so items and executions share them: one STS / metadata call per credential lifetime, never one
 * per request. Failures are tagged with the step that failed (source credentials or AssumeRole)
 * and carry a message and description free of secrets.
 */
import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { TLS_CODES, type DescribedError } from './errors';
import { EndpointSettingsError } from './providers';

/** The environment variable an n8n administrator sets to `true` to allow machine identity. */
export const MACHINE_IDENTITY_ENV = 'N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY';

export const DEFAULT_ROLE_SESSION_NAME = 'n8n-s3-storage';
export const DEFAULT_SESSION_DURATION = 3600;
export const MIN_SESSION_DURATION = 900;
export const MAX_SESSION_DURATION = 43200;

/** Credentials are refreshed this long before they expire (or halfway through, when they live shorter). */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Machine credentials without an expiration (environment, credentials file) are read again after this long. */
export const STATIC_MACHINE_CREDENTIALS_MAX_AGE_MS = 15 * 60_000;
/** After a failed early refresh, the still-valid credentials are used this long before trying again. */
const RETRY_AFTER_FAILED_REFRESH_MS = 10_000;
const MAX_CACHED_PROVIDERS = 32;

export type AuthenticationMode = 'accessKeys' | 'machineIdentity' | 'assumeRole';
export type AuthStep = 'source' | 'assumeRole';

/** The credential's sign-in fields, as the form stores them. */
export interface AuthFields {
	authentication?: string;
	accessKeyId?: string;
	secretAccessKey?: string;
	sessionToken?: string;
	/** Machine identity: the shared config / SSO profile to use (empty: AWS_PROFILE or "default"). */
	profileName?: string;
	/** Assume role: where the credentials that call STS come from. */
	sourceCredentials?: 'accessKeys' | 'machineIdentity' | string;
	roleArn?: string;
	externalId?: string;
	roleSessionName?: string;
	sessionDuration?: number;
	stsEndpoint?: string;
	stsRegion?: string;
	acceptSelfSigned?: boolean;
	customCa?: string;
	maxAttempts?: number;
}

/** What the S3 side already resolved, which the STS side defaults to. */
export interface AuthContext {
	/** The S3 endpoint; undefined on AWS. Assume role sends STS here unless "STS Endpoint" is set. */
	endpoint: string | undefined;
	region: string;
	isAws: boolean;
}

type ChainProvider = ReturnType<typeof fromNodeProviderChain>;
export type Credentials = Awaited<ReturnType<ChainProvider>>;
export type CredentialsProvider = (() => Promise<Credentials>) & { memoized?: boolean };

export interface AuthPlan {
	mode: AuthenticationMode;
	/** What the S3 client signs with: static keys, or a memoized provider. */
	credentials: Credentials | CredentialsProvider;
	/** Assume role only: the provider of the source credentials (the credential test runs it as step 1). */
	source?: CredentialsProvider;
	/** Words for the credential test, e.g. 'the assumed role "arn:..."'. */
	signedInAs: string;
}

/** Settings that cannot work (machine identity not allowed, missing role ARN...): says what to do. */
export class AuthSettingsError extends EndpointSettingsError {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'AuthSettingsError';
	}
}

/**
 * A sign-in failure, already described. `authFailure` is read by transport/errors.ts so the node
 * reports it as such and not as an S3 error. Holds no SDK error (its request may hold secrets).
 */
export class AuthStepError extends Error {
	readonly authFailure: DescribedError;

	constructor(
		readonly step: AuthStep,
		described: DescribedError,
	) {
		// n8n replaces a whole error message that contains a Node.js error code (ECONNREFUSED, ENOENT...) with a generic one.
		const readable = { ...described, message: humanizeCodes(described.message), description: humanizeCodes(described.description) };
		super(readable.message);
		this.name = 'S3StorageSignInError';
		this.authFailure = readable;
	}
}

const CODE_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'the connection was aborted',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the DNS lookup failed',
	ETIMEDOUT: 'the connection timed out',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EADDRNOTAVAIL: 'the address is not available',
	ENOENT: 'no such file or directory',
	EISDIR: 'is a directory',
	ENOTDIR: 'not a directory',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EEXIST: 'already exists',
	GETADDRINFO: 'address lookup',
	ERRADDRINUSE: 'address in use',
};

/** Replaces Node.js error codes in a text by words, e.g. "connect ECONNREFUSED" -> "connect (the connection was refused)". */
export function humanizeCodes(text: string): string {
	let result = text;
	for (const [code, words] of Object.entries(CODE_WORDS)) {
		result = result.replace(new RegExp(code, 'gi'), `(${words})`);
	}
	return result;
}

export function authenticationMode(fields: AuthFields): AuthenticationMode {
	const mode = fields.authentication ?? 'accessKeys';
	if (mode === 'accessKeys' || mode === 'machineIdentity' || mode === 'assumeRole') return mode;
	throw new AuthSettingsError(
		`Unknown authentication mode "${mode}"`,
		'Open the S3 Storage credential and choose Access Keys, Machine Identity or Assume Role.',
	);
}

export function machineIdentityAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
	return (env[MACHINE_IDENTITY_ENV] ?? '').trim().toLowerCase() === 'true';
}

export function usesMachineIdentity(fields: AuthFields): boolean {
	const mode = authenticationMode(fields);
	return mode === 'machineIdentity' || (mode === 'assumeRole' && fields.sourceCredentials === 'machineIdentity');
}

/** Throws when the credential uses the machine identity and the administrator has not allowed it. */
export function assertAuthAllowed(fields: AuthFields): void {
	if (!usesMachineIdentity(fields) || machineIdentityAllowed()) return;
	const how = authenticationMode(fields) === 'assumeRole' ? 'Assume Role with the machine identity as source' : 'Machine Identity';
	throw new AuthSettingsError(
		`Sign-in with the machine identity is not allowed on this n8n instance (the credential uses ${how})`,
		`The machine identity is the AWS identity of the server n8n runs on (environment variables, a shared config profile, an EKS IRSA or Pod Identity role, an ECS task role or an EC2 instance profile). Any workflow could act with it, so an n8n administrator must allow it: set the environment variable ${MACHINE_IDENTITY_ENV}=true for n8n (and its workers) and restart n8n. Otherwise choose "Access Keys" in the credential.`,
	);
}

const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

/** The assume-role settings, checked before anything is sent. */
export function roleSettings(fields: AuthFields) {
	const roleArn = (fields.roleArn ?? '').trim();
	const fix = 'Open the S3 Storage credential and correct the Assume Role settings.';
	if (!roleArn) throw new AuthSettingsError('Assume Role needs a role: fill in "Role ARN" in the credential', fix);
	if (!/^arn:[^:]+:iam:/.test(roleArn)) {
		throw new AuthSettingsError(
			`"${roleArn}" is not a role ARN`,
			'A role ARN looks like arn:aws:iam::123456789012:role/NAME on AWS, or arn:aws:iam:::role/PATH/NAME on Ceph RGW.',
		);
	}
	const roleSessionName = (fields.roleSessionName ?? '').trim() || DEFAULT_ROLE_SESSION_NAME;
	if (!SESSION_NAME_PATTERN.test(roleSessionName)) {
		throw new AuthSettingsError(
			`The role session name "${roleSessionName}" is not valid`,
			'Use 2 to 64 characters: letters, digits and + = , . @ _ - (STS and Ceph RGW refuse shorter names).',
		);
	}
	const sessionDuration = Number(fields.sessionDuration ?? DEFAULT_SESSION_DURATION) || DEFAULT_SESSION_DURATION;
	if (!Number.isInteger(sessionDuration) || sessionDuration < MIN_SESSION_DURATION || sessionDuration > MAX_SESSION_DURATION) {
		throw new AuthSettingsError(
			`The session duration ${sessionDuration} is not valid`,
			`Use a whole number of seconds from ${MIN_SESSION_DURATION} to ${MAX_SESSION_DURATION} (and at most the role's maximum session duration).`,
		);
	}
	const externalId = (fields.externalId ?? '').trim() || undefined;
	let stsEndpoint = (fields.stsEndpoint ?? '').trim() || undefined;
	if (stsEndpoint !== undefined) {
		if (!/^https?:\/\//i.test(stsEndpoint)) stsEndpoint = `https://${stsEndpoint}`;
		if (!URL.canParse(stsEndpoint)) {
			throw new AuthSettingsError(`The STS endpoint "${stsEndpoint}" is not a valid URL`, 'Use a form such as https://sts.example.com or http://127.0.0.1:7480.');
		}
		stsEndpoint = stsEndpoint.replace(/\/+$/, '');
	}
	const stsRegion = (fields.stsRegion ?? '').trim() || undefined;
	return { roleArn, roleSessionName, sessionDuration, externalId, stsEndpoint, stsRegion };
}

/* ------------------------------------------------------------------------------------------ */
/* Memoization                                                                                 */
/* ------------------------------------------------------------------------------------------ */

function refreshTime(credentials: Credentials, fetchedAt: number, marginMs: number, maxAgeMs: number): number {
	const expiresAt = credentials.expiration?.getTime();
	if (expiresAt === undefined || Number.isNaN(expiresAt)) return fetchedAt + maxAgeMs;
	const lifetime = Math.max(0, expiresAt - fetchedAt);
	return expiresAt - Math.min(marginMs, lifetime / 2);
}

/**
 * Fetches credentials once and hands out the same ones until `marginMs` before they expire (or
 * halfway through their life when they live shorter than twice the margin); credentials without
 * an expiration are fetched again after `maxAgeMs` (never, by default). Concurrent callers
 * share one fetch. If an early refresh fails, the still-valid credentials keep being used and
 * the refresh is retried a little later; once they have expired, the failure is thrown.
 * `fetch(true)` means: a refresh, ignore any cache below.
 */
export function memoizeCredentials(
	fetch: (refresh: boolean) => Promise<Credentials>,
	marginMs: number = REFRESH_MARGIN_MS,
	maxAgeMs: number = Number.POSITIVE_INFINITY,
): CredentialsProvider {
	let current: Credentials | undefined;
	let refreshAt = 0;
	let pending: Promise<Credentials> | undefined;

	const load = (): Promise<Credentials> => {
		pending ??= fetch(current !== undefined)
			.then((fresh) => {
				current = fresh;
				refreshAt = refreshTime(fresh, Date.now(), marginMs, maxAgeMs);
				return fresh;
			})
			.finally(() => {
				pending = undefined;
			});
		return pending;
	};

	const provider: CredentialsProvider = async () => {
		const now = Date.now();
		if (current && now < refreshAt) return current;
		const stillValid = current?.expiration !== undefined && current.expiration.getTime() > now;
		if (current && stillValid) {
			const valid = current;
			return await load().catch(() => {
				refreshAt = Math.min(Date.now() + RETRY_AFTER_FAILED_REFRESH_MS, valid.expiration!.getTime());
				return valid;
			});
		}
		return await load();
	};
	// Tells the S3 client not to wrap it in its own memoization (which refreshes 5 minutes early).
	provider.memoized = true;
	return provider;
}

/* ------------------------------------------------------------------------------------------ */
/* Providers                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** Providers by credential, shared by every client (region) and execution using it. */
const providerCache = new Map<string, AuthPlan>();

export function clearAuthCache(): void {
	providerCache.clear();
}

function secretsOf(fields: AuthFields): string[] {
	return [fields.secretAccessKey, fields.sessionToken].map((value) => (value ?? '').trim()).filter((value) => value.length >= 4);
}

/** Removes any secret this credential holds from a text that is about to be shown. */
function redact(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join('***');
	return result;
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
				throw new AuthStepError('source', describeMachineIdentityFailure(error, profile, secretsOf(fields)));
			}),
		REFRESH_MARGIN_MS,
		// Long-term keys (environment, credentials file) carry no expiration: look again now and then, so rotated keys are used.
		STATIC_MACHINE_CREDENTIALS_MAX_AGE_MS,
	);
}

function stsRequestHandler(fields: AuthFields): NodeHttpHandler {
	const ca = fields.customCa?.trim() || undefined;
	// STS is called about once an hour per credential: no keep-alive, so no socket outlives the call.
	return new NodeHttpHandler({
		httpAgent: new HttpAgent({ keepAlive: false }),
		httpsAgent: new HttpsAgent({ keepAlive: false, rejectUnauthorized: !fields.acceptSelfSigned, ...(ca ? { ca } : {}) }),
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
					throw new AuthStepError('source', {
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
			requestHandler: stsRequestHandler(fields),
			maxAttempts: fields.maxAttempts ?? 3,
		},
	});
	const credentials = memoizeCredentials(() =>
		assume().catch((error: unknown) => {
			throw error instanceof AuthStepError
				? error
				: new AuthStepError('assumeRole', describeAssumeRoleFailure(error, settings.roleArn, where, secrets));
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

/* ------------------------------------------------------------------------------------------ */
/* Describing failures                                                                         */
/* ------------------------------------------------------------------------------------------ */

interface SdkErrorLike {
	name?: string;
	message?: string;
	Code?: string;
	code?: string;
	$metadata?: { httpStatusCode?: number };
	cause?: unknown;
}

function connectionCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const candidate = current as SdkErrorLike;
		if (typeof candidate.code === 'string' && (/^E[A-Z_]+$/.test(candidate.code) || TLS_CODES.has(candidate.code))) {
			return candidate.code;
		}
		if (candidate.name === 'TimeoutError') return 'TimeoutError';
		// The SDK wraps errors it does not recognise as Errors in "AWS SDK error wrapper for Error: connect ECONNREFUSED ..."
		const named = /\b(E[A-Z]{4,}|ERR_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_[A-Z_]+|CERT_HAS_EXPIRED)\b/.exec(
			typeof candidate.message === 'string' ? candidate.message : '',
		);
		if (named) return named[1];
		current = candidate.cause;
	}
	return undefined;
}

function errorCode(error: SdkErrorLike): string | undefined {
	const code = error.Code ?? error.name;
	return code && !['Unknown', 'UnknownError', 'Error', 'NotFound'].includes(code) ? code : undefined;
}

function serverMessage(error: SdkErrorLike, code: string | undefined): string {
	const message = (error.message ?? '').trim();
	return message && message !== code && message !== 'UnknownError' && message !== 'Unknown' ? message : '';
}

const MACHINE_SOURCES =
	'the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables, the shared config and credentials files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE; AWS_PROFILE or "Profile Name"), SSO, a web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, as EKS IRSA sets), container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, as ECS and EKS Pod Identity set) and the EC2 instance metadata service (IMDSv2)';

export function describeMachineIdentityFailure(error: unknown, profile: string | undefined, secrets: string[]): DescribedError {
	if (error instanceof AuthStepError) return error.authFailure;
	const sdkError = (error ?? {}) as SdkErrorLike;
	const message = redact(String(sdkError.message ?? error), secrets)
		.replace(/^AWS SDK error wrapper for /, '')
		.replace(/^(Error|CredentialsProviderError|ProviderError): /, '');
	if (/could not load credentials from any providers/i.test(message)) {
		const containerVariable = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'].find((name) => process.env[name]);
		if (containerVariable && !profile) {
			// The SDK moves on after a failing container endpoint and reports only that nothing was found.
			return {
				code: 'NoMachineIdentity',
				message: `Could not get the machine identity's credentials: the container credentials endpoint (${containerVariable}) gave none`,
				description:
					'The endpoint did not answer, refused the request or sent no credentials. On ECS, check the task role; on EKS Pod Identity, the pod identity association and its agent; and that AWS_CONTAINER_AUTHORIZATION_TOKEN or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE holds the token the endpoint expects.',
			};
		}
		if (profile) {
			return {
				code: 'NoMachineIdentity',
				message: `Could not get the machine identity's credentials (profile "${profile}"): the profile was not found or has no credentials`,
				description: `Check that profile "${profile}" exists in the shared config or credentials file of the n8n host (~/.aws/config, ~/.aws/credentials, or the files AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name) and gives credentials (keys, SSO, a role or a credential process), or empty "Profile Name" to use the other sources.`,
			};
		}
		return {
			code: 'NoMachineIdentity',
			message: 'Could not get the machine identity\'s credentials: none were found on the n8n host',
			description: `The AWS SDK looked, in this order, at ${MACHINE_SOURCES}. Give the n8n process one of them, or use Access Keys.`,
		};
	}
	const status = sdkError.$metadata?.httpStatusCode;
	const code = errorCode(sdkError) ?? (status ? `HTTP ${status}` : 'CredentialsProviderError');
	const net = status ? undefined : connectionCode(error);
	const detail = status
		? `${serverMessage(sdkError, code) || 'the web identity STS call failed'} (${code}, HTTP ${status})`
		: net
			? `a credential service could not be reached (${message})`
			: message;
	return {
		code,
		httpStatus: status,
		message: `Could not get the machine identity's credentials${profile ? ` (profile "${profile}")` : ''}: ${detail}`,
		description: `The first credential source the AWS SDK found on the n8n host failed. It looks, in this order, at ${MACHINE_SOURCES}. Fix the one the message names.`,
	};
}

export function describeAssumeRoleFailure(error: unknown, roleArn: string, where: string, secrets: string[]): DescribedError {
	const sdkError = (error ?? {}) as SdkErrorLike;
	const status = sdkError.$metadata?.httpStatusCode;
	const prefix = `Could not assume role "${roleArn}"`;
	const net = connectionCode(error);
	if (net && !status) {
		const tls = TLS_CODES.has(net);
		return {
			code: tls ? 'StsTlsFailure' : 'StsUnreachable',
			message: `${prefix}: ${tls ? 'the TLS connection to' : 'could not reach'} the STS endpoint ${where} (${CODE_WORDS[net] ?? net})`,
			description:
				'Check "STS Endpoint" and "STS Region" in the credential (an empty STS Endpoint means AWS STS for Amazon S3, and the S3 endpoint itself for other providers, as Ceph RGW and MinIO answer STS there), and that n8n can reach it.' +
				(tls ? ' For a private CA, give its certificate in "Custom CA Certificate".' : ''),
		};
	}
	const code = errorCode(sdkError);
	const fromServer = redact(serverMessage(sdkError, code), secrets);
	const label = `${code ?? 'no error code'}${status ? `, HTTP ${status}` : ''}`;
	const said = fromServer ? `: ${fromServer}` : '';
	const result = (reason: string, description: string): DescribedError => ({
		code: code ?? (status ? `HTTP ${status}` : 'UnknownError'),
		httpStatus: status,
		message: `${prefix}: ${reason} (${label})${said}`,
		description,
	});
	if (code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') {
		return result('STS did not accept the source credentials', 'Check the source access key ID and secret access key (or the machine identity) that call STS.');
	}
	if (code === 'ExpiredToken' || code === 'ExpiredTokenException') {
		return result('the source credentials\' session token has expired', 'Renew the source session token, or leave it empty for long-term access keys.');
	}
	if (code === 'RegionDisabledException') {
		return result('STS is not activated in this region', 'Activate STS for the region in the AWS account, or set "STS Region" to an active one.');
	}
	if (code === 'NoSuchEntity' || (!code && status === 404)) {
		return result(
			'the role does not exist',
			'Check "Role ARN": on AWS arn:aws:iam::ACCOUNT_ID:role/NAME, on Ceph RGW arn:aws:iam:::role/PATH/NAME (the role\'s path is part of the ARN).',
		);
	}
	if (code === 'AccessDenied' || (!code && status === 403)) {
		return result(
			'access denied',
			'STS refused to let the source credentials assume this role. Check that the role\'s trust policy allows the source identity (the user or role of the source credentials) to call sts:AssumeRole, that "External ID" matches the trust policy\'s sts:ExternalId condition if it has one, and that the source credentials themselves are valid.',
		);
	}
	if (code === 'ValidationError' || code === 'MalformedPolicyDocument' || (!code && status === 400)) {
		return result(
			'STS rejected the request as invalid',
			`Check the Role ARN format, "Role Session Name" (2 to 64 characters: letters, digits and + = , . @ _ -) and "Session Duration" (${MIN_SESSION_DURATION} seconds up to the role's maximum session duration, 3600 by default).`,
		);
	}
	return result(
		'the STS service refused the request',
		`The STS endpoint is ${where}. The code above is the server's own; see its STS error reference.`,
	);
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
