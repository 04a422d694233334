/**
 * Failures of an outside HTTP(S) source (Upload from URL, ../httpSource.ts), in words. The URL they
 * carry is already redacted: no user info, no values of query parameters that look like secrets.
 */
import { networkCode, networkWords, TLS_CODES } from './network';
import type { DescribedError } from './types';

export type HttpSourceFailure = 'invalid' | 'status' | 'redirects' | 'connectTimeout' | 'idleTimeout' | 'network' | 'incomplete' | 'cancelled';

export class HttpSourceError extends Error {
	override readonly name = 'HttpSourceError';
	constructor(
		readonly kind: HttpSourceFailure,
		/** The URL, redacted. */
		readonly url: string,
		readonly details: { status?: number; statusText?: string; waitedMs?: number; received?: number; expected?: number; redirects?: number } = {},
		override readonly cause?: unknown,
	) {
		super(`${kind}: ${url}`);
	}
}

function seconds(ms: number | undefined): string {
	const value = (ms ?? 0) / 1000;
	return `${Number.isInteger(value) ? value : value.toFixed(1)} s`;
}

function bytes(count: number | undefined): string {
	return (count ?? 0).toLocaleString('en-US');
}

const STATUS_HINTS: Record<number, string> = {
	401: 'The server wants credentials: set Authentication (Basic or Bearer) or the header it expects.',
	403: 'The server refused access: check Authentication and headers, or whether a presigned URL has expired.',
	404: 'Check the URL: nothing is there (or the server hides it from this client).',
	410: 'The resource is gone from this URL.',
	429: 'The server is throttling requests: wait, or lower the node\'s concurrency.',
};

/** `into` names where the body was going, e.g. 'object "k" in bucket "b"'. */
export function describeHttpSourceError(error: HttpSourceError, into: string | undefined): DescribedError {
	const { details } = error;
	const what = `Could not download ${error.url}${into ? ` into ${into}` : ''}`;
	switch (error.kind) {
		case 'invalid':
			return {
				code: 'InvalidUrl',
				message: details.status ? `${what}: the server redirected (HTTP ${details.status}) to a location that is not an http(s) URL` : `${what}: it is not an http:// or https:// URL`,
				description: 'Give an absolute URL starting with http:// or https://, e.g. https://example.com/files/report.pdf.',
			};
		case 'status': {
			const status = details.status ?? 0;
			const text = details.statusText ? ` (${details.statusText})` : '';
			return {
				code: 'HttpStatus',
				httpStatus: status,
				message: `${what}: the server answered HTTP ${status}${text}; nothing was uploaded`,
				description: STATUS_HINTS[status] ?? (status >= 500 ? 'The source server failed to answer; run the item again later.' : 'The source server refused the request; check the URL, headers and authentication.'),
			};
		}
		case 'redirects':
			return {
				code: 'TooManyRedirects',
				message: `${what}: more than ${details.redirects ?? 0} redirects`,
				description: 'The URL keeps redirecting (possibly in a loop). Use the final URL, or raise "Max Redirects".',
			};
		case 'connectTimeout':
			return {
				code: 'Timeout',
				message: `${what}: could not connect within ${seconds(details.waitedMs)}`,
				description: 'Check that the host is reachable from n8n (firewall, proxy, DNS).',
			};
		case 'idleTimeout':
			return {
				code: 'Timeout',
				message:
					details.received === undefined
						? `${what}: the server did not answer within ${seconds(details.waitedMs)}`
						: `${what}: the server sent nothing for ${seconds(details.waitedMs)} after ${bytes(details.received)}${details.expected === undefined ? '' : ` of ${bytes(details.expected)}`} bytes`,
				description: 'The source server stalled; nothing incomplete was stored. Run the item again, or raise the "Idle Timeout" option if the server is just slow.',
			};
		case 'incomplete':
			return {
				code: 'IncompleteBody',
				message: `${what}: the connection ended after ${bytes(details.received)}${details.expected === undefined ? '' : ` of ${bytes(details.expected)}`} bytes`,
				description: 'The source server or the network cut the download short; nothing incomplete was stored. Run the item again.',
			};
		case 'cancelled':
			return { code: 'Aborted', message: `The download of ${error.url} was cancelled`, description: 'The execution was stopped before the download finished; nothing incomplete was stored.' };
		default: {
			const code = networkCode(error.cause);
			if (code && TLS_CODES.has(code)) {
				return {
					code,
					message: `${what}: the TLS connection failed (${code})`,
					description: 'The server\'s certificate could not be verified. Check the URL\'s scheme, or, for a test server only, turn on "Accept Self-Signed Certificates".',
				};
			}
			return {
				code: code ?? 'NetworkError',
				message: `${what}: ${code ? networkWords(code) : ((error.cause as Error | undefined)?.message ?? 'the request failed')}`,
				description: 'Check the URL\'s host and port, and that n8n can reach it over the network.',
			};
		}
	}
}
