/**
 * Failures on the way to the server and back (sockets, DNS, TLS, bodies cut short): the one table
 * of codes and their words, and the one walker that finds the code in an error's cause chain.
 */
import type { SdkErrorShape } from './types';

const BODY_CUT = 'the connection was cut while the body was being received';

/** Node.js network codes (and the SDK's timeout), in words. Every message about the network uses these. */
export const NETWORK_CODES: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved (DNS lookup failed)',
	ETIMEDOUT: 'the connection timed out',
	TimeoutError: 'the connection timed out',
	ECONNRESET: 'the connection was reset by the server',
	ECONNABORTED: 'the connection was aborted',
	EPIPE: 'the connection was closed while the request was being sent',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EADDRNOTAVAIL: 'the address is not available',
	// Node's http client ends a response whose socket closed early with Error("aborted") (code ECONNRESET).
	aborted: BODY_CUT,
	ERR_STREAM_PREMATURE_CLOSE: BODY_CUT,
};

/** Codes meaning the answer started but its body did not arrive whole. */
export const BODY_CUT_CODES: ReadonlySet<string> = new Set(['aborted', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Node's codes for a TLS connection that could not be verified or set up. */
export const TLS_CODES: ReadonlySet<string> = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'EPROTO',
]);

/**
 * Local system codes that appear in the same texts (a token file, a credentials file). Not network
 * failures, but n8n rewrites any message naming one of them, so they are put in words too.
 */
const LOCAL_CODES: Readonly<Record<string, string>> = {
	ENOENT: 'no such file or directory',
	EISDIR: 'is a directory',
	ENOTDIR: 'not a directory',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EEXIST: 'already exists',
	GETADDRINFO: 'address lookup',
	ERRADDRINUSE: 'address in use',
};

const isNetworkCode = (code: string) => code in NETWORK_CODES || TLS_CODES.has(code);

/** The error and its causes, outermost first (at most `maxDepth` of them). */
export function* causeChain(error: unknown, maxDepth = 5): Generator<SdkErrorShape> {
	let current: unknown = error;
	for (let depth = 0; current && depth < maxDepth; depth++) {
		yield current as SdkErrorShape;
		current = (current as SdkErrorShape).cause;
	}
}

/**
 * The network or TLS code of a failure, wherever it sits in the cause chain: 'ECONNREFUSED',
 * 'TimeoutError', 'aborted' (a body cut short), a TLS code...; undefined when the server answered.
 */
export function networkCode(error: unknown): string | undefined {
	for (const candidate of causeChain(error)) {
		const message = typeof candidate.message === 'string' ? candidate.message : '';
		// Checked before the code: Node gives a body cut short the code ECONNRESET as well.
		if (/(^|: )aborted$/.test(message)) return 'aborted';
		if (typeof candidate.code === 'string' && isNetworkCode(candidate.code)) return candidate.code;
		if (candidate.name === 'TimeoutError') return 'TimeoutError';
		// The SDK wraps errors it does not recognise as Errors ("AWS SDK error wrapper for Error: connect
		// ECONNREFUSED ..."), keeping the code only in the text.
		for (const [, fromText] of message.matchAll(/\b(E[A-Z_]+|[A-Z_]*CERT[A-Z_]*|UNABLE_TO_[A-Z_]+)\b/g)) {
			if (isNetworkCode(fromText)) return fromText;
		}
		if (/certificate|self[- ]signed|wrong version number|SSL routines/i.test(message)) return 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
	}
	return undefined;
}

/** Words for a code found by `networkCode` (TLS codes are explained by the caller). */
export function networkWords(code: string): string {
	return NETWORK_CODES[code] ?? code;
}

const HUMANIZED = Object.entries({ ...NETWORK_CODES, ...LOCAL_CODES }).filter(([code]) => /^(E[A-Z_]+|GETADDRINFO)$/.test(code));

/**
 * Replaces Node.js error codes in a text by words, e.g. "connect ECONNREFUSED" -> "connect (the
 * connection was refused)": n8n replaces a whole error message that names such a code by a generic one.
 */
export function humanizeCodes(text: string): string {
	let result = text;
	for (const [code, words] of HUMANIZED) result = result.replace(new RegExp(code, 'gi'), `(${words})`);
	return result;
}
