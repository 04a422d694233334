/**
 * How long requests keep trying. The SDK's standard mode waits about 0.1-0.4 s between attempts, so a
 * server restart of a second or two, or a burst of 503 Slow Down, fails the request (measured: a part
 * gave up within 0.35 s). Here every retryable failure waits 0.5 s doubling up to 20 s, jittered so
 * parallel parts do not retry in step. What is retryable is the SDK's call (throttling, 5xx, timeouts,
 * dropped connections), plus S3's own 400s that mean "the bytes did not arrive as sent".
 */
import { ConfiguredRetryStrategy } from '@smithy/util-retry';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/** Codes S3 answers with HTTP 400 for a body damaged or cut on the way, which a resend fixes. */
const RESENDABLE_CODES = new Set(['BadDigest', 'RequestTimeout', 'IncompleteBody', 'XAmzContentSHA256Mismatch', 'InvalidDigest']);

/** The delay before attempt `attempt` (2 = first retry): half fixed, half random. */
export function backoffDelay(attempt: number): number {
	const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 2));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

type ErrorInfo = Parameters<ConfiguredRetryStrategy['refreshRetryTokenForRetry']>[1];
type Token = Parameters<ConfiguredRetryStrategy['refreshRetryTokenForRetry']>[0];

class S3RetryStrategy extends ConfiguredRetryStrategy {
	override async refreshRetryTokenForRetry(token: Token, errorInfo: ErrorInfo) {
		const code = (errorInfo.error as { name?: string; Code?: string } | undefined)?.Code ?? errorInfo.error?.name;
		const resendable = code !== undefined && RESENDABLE_CODES.has(code);
		return await super.refreshRetryTokenForRetry(token, resendable ? { ...errorInfo, errorType: 'TRANSIENT' } : errorInfo);
	}
}

export function retryStrategy(maxAttempts: number): ConfiguredRetryStrategy {
	return new S3RetryStrategy(Math.max(1, maxAttempts), backoffDelay);
}
