/**
 * Temporary credentials memoized per credential and refreshed a little before they expire, so
 * items and executions share them: one STS / metadata call per credential lifetime, never one per request.
 */
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';

type ChainProvider = ReturnType<typeof fromNodeProviderChain>;
export type Credentials = Awaited<ReturnType<ChainProvider>>;
export type CredentialsProvider = (() => Promise<Credentials>) & { memoized?: boolean };

/** Credentials are refreshed this long before they expire (or halfway through, when they live shorter). */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Machine credentials without an expiration (environment, credentials file) are read again after this long. */
export const STATIC_MACHINE_CREDENTIALS_MAX_AGE_MS = 15 * 60_000;
/** After a failed early refresh, the still-valid credentials are used this long before trying again. */
const RETRY_AFTER_FAILED_REFRESH_MS = 10_000;

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
