import { createHash } from 'node:crypto';

import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { accountSettingsOf, addAccountHeaders, type AccountSettingsFields } from './accountHeaders';
import { agentsFor, proxyFor } from './agents';
import { assertAuthAllowed, authPlanFor, clearAuthCache, type AuthFields, type AuthPlan } from './auth';
import { addContentMd5 } from './integrity';
import { resolveEndpoint, type ResolvedEndpoint } from './providers';
import { retryStrategy } from './retries';

/** The credential's fields, as the form stores them. */
export interface S3StorageCredentials extends AuthFields, AccountSettingsFields {
	provider?: string;
	accountId?: string;
	/** Cloudflare R2's jurisdiction (eu, fedramp, us); empty: the default host. */
	jurisdiction?: string;
	region?: string;
	endpoint?: string;
	forcePathStyle?: boolean;
	defaultBucket?: string;
	acceptSelfSigned?: boolean;
	customCa?: string;
	checksumMode?: 'auto' | 'whenRequired' | 'whenSupported';
	maxAttempts?: number;
	idleTimeout?: number;
	responseTimeout?: number;
	[key: string]: unknown;
}

export interface ClientHandle {
	client: S3Client;
	resolved: ResolvedEndpoint;
}

/** Sockets per client: enough for parallel multipart parts and concurrent items. */
const MAX_SOCKETS = 64;
const CONNECTION_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
export const DEFAULT_RESPONSE_TIMEOUT_SECONDS = 300;
export const DEFAULT_MAX_ATTEMPTS = 10;
const MAX_CACHED_CLIENTS = 32;

/**
 * One client per credential and region, kept across items and executions so that TLS
 * sessions and keep-alive sockets are reused. Keyed by a hash so no secret sits in a map key.
 */
const clientCache = new Map<string, ClientHandle>();

function cacheKey(credentials: S3StorageCredentials, region: string | undefined): string {
	const sorted = Object.keys(credentials)
		.sort()
		.map((key) => [key, credentials[key]]);
	// The proxy too: a changed HTTP(S)_PROXY / NO_PROXY needs other sockets.
	const proxy = proxyFor(credentials.endpoint || `https://s3.${region ?? credentials.region ?? 'us-east-1'}.amazonaws.com`);
	return createHash('sha256').update(JSON.stringify([sorted, region ?? '', proxy])).digest('hex');
}

export function buildClientConfig(
	credentials: S3StorageCredentials,
	regionOverride?: string,
	options: { fresh?: boolean } = {},
): { config: S3ClientConfig; resolved: ResolvedEndpoint; auth: AuthPlan } {
	const resolved = resolveEndpoint({
		provider: credentials.provider,
		region: regionOverride || credentials.region,
		endpoint: credentials.endpoint,
		accountId: credentials.accountId,
		jurisdiction: credentials.jurisdiction,
		forcePathStyle: credentials.forcePathStyle,
	});
	const auth = authPlanFor(credentials, { endpoint: resolved.endpoint, region: resolved.region, isAws: resolved.isAws }, options);

	const checksumMode = credentials.checksumMode ?? 'auto';
	const whenRequired = checksumMode === 'whenRequired' || (checksumMode === 'auto' && !resolved.isAws);
	const config: S3ClientConfig = {
		region: resolved.region,
		endpoint: resolved.endpoint,
		forcePathStyle: resolved.forcePathStyle,
		credentials: auth.credentials,
		retryStrategy: retryStrategy(credentials.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
		// Non-AWS stores often reject CRC32 checksums (R2, older MinIO) or presign them wrongly.
		requestChecksumCalculation: whenRequired ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
		responseChecksumValidation: whenRequired ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
		// AWS accounts with buckets in several regions: follow S3's redirect to the bucket's region.
		followRegionRedirects: resolved.isAws,
		requestHandler: new NodeHttpHandler({
			...agentsFor(endpointUrlOf(resolved), credentials, { keepAlive: true, maxSockets: MAX_SOCKETS }),
			connectionTimeout: CONNECTION_TIMEOUT_MS,
			// Idle: nothing received for this long, before the answer or mid-body, ends the request
			// (a stall becomes a retried TimeoutError; a stalled body is resumed by download.ts).
			socketTimeout: seconds(credentials.idleTimeout, DEFAULT_IDLE_TIMEOUT_SECONDS),
			// Overall: the answer must have started by then, however busy the socket.
			requestTimeout: seconds(credentials.responseTimeout, DEFAULT_RESPONSE_TIMEOUT_SECONDS),
			throwOnRequestTimeout: true,
		}),
	};
	return { config, resolved, auth };
}

/** The URL requests go to, for the proxy decision: the endpoint, or AWS's regional one. */
function endpointUrlOf(resolved: ResolvedEndpoint): string {
	return resolved.endpoint ?? `https://s3.${resolved.region}.amazonaws.com`;
}

function seconds(value: number | undefined, fallback: number): number {
	return (typeof value === 'number' && value > 0 ? value : fallback) * 1000;
}

export function getClient(credentials: S3StorageCredentials, regionOverride?: string): ClientHandle {
	// Checked on every use, not only when the client is built: the administrator may revoke it.
	assertAuthAllowed(credentials);
	// Checked before the cache too: a setting that cannot work fails every use, not only the first.
	const accountSettings = accountSettingsOf(credentials);
	const key = cacheKey(credentials, regionOverride);
	const cached = clientCache.get(key);
	if (cached) return cached;
	const { config, resolved } = buildClientConfig(credentials, regionOverride);
	const client = new S3Client(config);
	addContentMd5(client);
	addAccountHeaders(client, accountSettings);
	const handle = { client, resolved };
	if (clientCache.size >= MAX_CACHED_CLIENTS) {
		const [oldestKey, oldest] = clientCache.entries().next().value as [string, ClientHandle];
		oldest.client.destroy();
		clientCache.delete(oldestKey);
	}
	clientCache.set(key, handle);
	return handle;
}

/** For tests and shutdown: closes every cached client's sockets. */
export function destroyClients(): void {
	for (const { client } of clientCache.values()) client.destroy();
	clientCache.clear();
	clearAuthCache();
}
