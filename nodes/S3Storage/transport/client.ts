import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { assertAuthAllowed, authPlanFor, clearAuthCache, type AuthContext, type AuthFields, type AuthPlan } from './auth';
import { resolveEndpoint, type ResolvedEndpoint } from './providers';

/** The credential's fields, as the form stores them. */
export interface S3StorageCredentials extends AuthFields {
	provider?: string;
	accountId?: string;
	region?: string;
	endpoint?: string;
	forcePathStyle?: boolean;
	defaultBucket?: string;
	acceptSelfSigned?: boolean;
	customCa?: string;
	checksumMode?: 'auto' | 'whenRequired' | 'whenSupported';
	maxAttempts?: number;
	[key: string]: unknown;
}

export interface ClientHandle {
	client: S3Client;
	resolved: ResolvedEndpoint;
}

/** Sockets per client: enough for parallel multipart parts and concurrent items. */
const MAX_SOCKETS = 64;
const MAX_CACHED_CLIENTS = 32;

/**
 * One client per credential and region, kept across items and executions so that TLS
 * sessions and keep-alive sockets are reused. Keyed by a hash so no secret sits in a map key.
 */
const clientCache = new Map<string, ClientHandle>();

export type CredentialsResolver = (
	credentials: S3StorageCredentials,
	context: AuthContext,
	options: { fresh?: boolean },
) => AuthPlan;

/**
 * Sign-in modes (transport/auth.ts): the form's access keys, the machine identity (the SDK's
 * default chain, allowed by the n8n administrator), or an assumed role. Each returns what the
 * S3 client signs with; temporary credentials are memoized and shared by every client using
 * the credential.
 */
export const credentialsResolvers: Record<string, CredentialsResolver> = {
	accessKeys: authPlanFor,
	machineIdentity: authPlanFor,
	assumeRole: authPlanFor,
};

function cacheKey(credentials: S3StorageCredentials, region: string | undefined): string {
	const sorted = Object.keys(credentials)
		.sort()
		.map((key) => [key, credentials[key]]);
	return createHash('sha256').update(JSON.stringify([sorted, region ?? ''])).digest('hex');
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
		forcePathStyle: credentials.forcePathStyle,
	});
	const authentication = credentials.authentication ?? 'accessKeys';
	const resolveCredentials = credentialsResolvers[authentication];
	if (!resolveCredentials) throw new Error(`Unknown authentication mode "${authentication}"`);
	const auth = resolveCredentials(credentials, { endpoint: resolved.endpoint, region: resolved.region, isAws: resolved.isAws }, options);

	const checksumMode = credentials.checksumMode ?? 'auto';
	const whenRequired = checksumMode === 'whenRequired' || (checksumMode === 'auto' && !resolved.isAws);
	const ca = credentials.customCa?.trim() || undefined;

	const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
	const config: S3ClientConfig = {
		region: resolved.region,
		endpoint: resolved.endpoint,
		forcePathStyle: resolved.forcePathStyle,
		credentials: auth.credentials,
		maxAttempts: credentials.maxAttempts ?? 3,
		retryMode: 'standard',
		// Non-AWS stores often reject CRC32 checksums (R2, older MinIO) or presign them wrongly.
		requestChecksumCalculation: whenRequired ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
		responseChecksumValidation: whenRequired ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
		requestHandler: new NodeHttpHandler({
			httpAgent: new HttpAgent(agentOptions),
			httpsAgent: new HttpsAgent({
				...agentOptions,
				rejectUnauthorized: !credentials.acceptSelfSigned,
				...(ca ? { ca } : {}),
			}),
			connectionTimeout: 10_000,
		}),
	};
	return { config, resolved, auth };
}

export function getClient(credentials: S3StorageCredentials, regionOverride?: string): ClientHandle {
	// Checked on every use, not only when the client is built: the administrator may revoke it.
	assertAuthAllowed(credentials);
	const key = cacheKey(credentials, regionOverride);
	const cached = clientCache.get(key);
	if (cached) return cached;
	const { config, resolved } = buildClientConfig(credentials, regionOverride);
	const handle = { client: new S3Client(config), resolved };
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
