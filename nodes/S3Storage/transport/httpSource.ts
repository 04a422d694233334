/**
 * Outside HTTP(S) sources (Upload from URL): one GET whose answer body is handed on as a stream,
 * never stored. Deadlines as the S3 client has them (connect, then idle: nothing received while
 * data is wanted), redirects followed up to a limit (credentials never follow to another origin),
 * an HTTP error refused before a byte is used, a body shorter than its Content-Length failed, and
 * the execution's cancel or the consumer's end stops the download. URLs in errors are redacted.
 */
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

import { HttpSourceError } from './errors';

export const DEFAULT_SOURCE_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_SOURCE_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_REDIRECTS = 5;

export type HttpSourceAuth = { type: 'basic'; user: string; password: string } | { type: 'bearer'; token: string };

export interface HttpSourceRequest {
	url: string;
	headers?: Record<string, string>;
	auth?: HttpSourceAuth;
	maxRedirects?: number;
	/** Accept certificates that cannot be verified (test servers only). */
	acceptSelfSigned?: boolean;
	connectTimeoutMs?: number;
	/** Longest wait for the answer, and between bytes of the body while more is wanted. */
	idleTimeoutMs?: number;
	/** Stops the download (the execution's cancel signal). */
	signal?: AbortSignal;
}

export interface HttpSource {
	/** The answer's body; fails if it ends short of its Content-Length, stalls, or is cancelled. */
	body: Readable;
	/** Bytes the server announced (undefined: unknown, e.g. chunked). */
	contentLength: number | undefined;
	contentType: string | undefined;
	/** The URL the body came from (after redirects). */
	finalUrl: URL;
	/** The requested URL, safe to show. */
	shownUrl: string;
	/** Bytes of the body received so far. */
	received(): number;
}

/** Query parameters whose values are secrets as often as not (presigned URLs, API tokens). */
const SECRET_PARAMETER = /token|sig|secret|passw|pwd|key|auth|credential|session|code|hmac|hash|jwt|otp/i;

/** The URL without its user info and without the values of query parameters that look like secrets. */
export function redactUrl(raw: string | URL): string {
	const text = String(raw);
	if (!URL.canParse(text)) return '(an invalid URL)';
	const url = new URL(text);
	if (url.username || url.password) {
		url.username = '***';
		url.password = '';
	}
	for (const name of new Set(url.searchParams.keys())) {
		if (SECRET_PARAMETER.test(name)) url.searchParams.set(name, '***');
	}
	return url.toString();
}

/** The URL when it is an absolute http(s) URL, otherwise undefined. */
export function httpUrlOf(raw: string): URL | undefined {
	if (!URL.canParse(raw)) return undefined;
	const url = new URL(raw);
	return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Sends the GET, follows redirects, and resolves once a 2xx answer started; its body is not read yet. */
export async function openHttpSource(request: HttpSourceRequest): Promise<HttpSource> {
	const shownUrl = redactUrl(request.url);
	const first = httpUrlOf(request.url);
	if (!first) throw new HttpSourceError('invalid', shownUrl);
	let url: URL = first;
	const origin = url.origin;
	const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
	for (let redirects = 0; ; redirects++) {
		// Headers and credentials given for the URL go to its origin only, as browsers and curl do.
		const sameOrigin = url.origin === origin;
		const headers: OutgoingHttpHeaders = { 'user-agent': 'n8n-nodes-s3-storage', ...(sameOrigin ? request.headers : {}) };
		if (sameOrigin && request.auth) headers.authorization = authorizationOf(request.auth);
		const { response, clientRequest } = await get(url, headers, request, shownUrl);
		const status = response.statusCode ?? 0;
		const location = response.headers.location;
		if (REDIRECTS.has(status) && location) {
			clientRequest.destroy();
			const next: URL | undefined = URL.canParse(location, url.href) ? httpUrlOf(new URL(location, url).toString()) : undefined;
			if (redirects >= maxRedirects) throw new HttpSourceError('redirects', shownUrl, { redirects, status });
			if (!next) throw new HttpSourceError('invalid', shownUrl, { status });
			url = next;
			continue;
		}
		if (status < 200 || status >= 300) {
			clientRequest.destroy();
			throw new HttpSourceError('status', shownUrl, { status, statusText: response.statusMessage });
		}
		return sourceOf(response, clientRequest, url, shownUrl, request);
	}
}

function authorizationOf(auth: HttpSourceAuth): string {
	return auth.type === 'basic' ? `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}` : `Bearer ${auth.token}`;
}

function get(
	url: URL,
	headers: OutgoingHttpHeaders,
	options: HttpSourceRequest,
	shownUrl: string,
): Promise<{ response: IncomingMessage; clientRequest: ClientRequest }> {
	const connectMs = options.connectTimeoutMs ?? DEFAULT_SOURCE_CONNECT_TIMEOUT_MS;
	const idleMs = options.idleTimeoutMs ?? DEFAULT_SOURCE_IDLE_TIMEOUT_MS;
	return new Promise((resolve, reject) => {
		if (options.signal?.aborted) {
			reject(new HttpSourceError('cancelled', shownUrl));
			return;
		}
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		// No shared agent: the socket lives exactly as long as this download.
		const clientRequest = send(url, { method: 'GET', headers, agent: false, rejectUnauthorized: !options.acceptSelfSigned }, (response) => {
			clearTimeout(connectTimer);
			// From here the body's own idle timer (sourceOf) applies, only while data is wanted.
			clientRequest.setTimeout(0);
			options.signal?.removeEventListener('abort', onAbort);
			resolve({ response, clientRequest });
		});
		const connectTimer = setTimeout(() => clientRequest.destroy(new HttpSourceError('connectTimeout', shownUrl, { waitedMs: connectMs })), connectMs);
		clientRequest.on('socket', (socket) => socket.once('connect', () => clearTimeout(connectTimer)));
		clientRequest.setTimeout(idleMs, () => clientRequest.destroy(new HttpSourceError('idleTimeout', shownUrl, { waitedMs: idleMs })));
		const onAbort = () => clientRequest.destroy(new HttpSourceError('cancelled', shownUrl));
		options.signal?.addEventListener('abort', onAbort, { once: true });
		clientRequest.on('error', (error) => {
			clearTimeout(connectTimer);
			options.signal?.removeEventListener('abort', onAbort);
			reject(error instanceof HttpSourceError ? error : new HttpSourceError('network', shownUrl, {}, error));
		});
		clientRequest.end();
	});
}

/**
 * The answer's body as a stream that pulls from the socket only as fast as it is read, so memory
 * stays at what the consumer holds. The idle timer runs only while the consumer waits for data: a
 * consumer busy uploading parts is not a stalled server.
 */
function sourceOf(response: IncomingMessage, clientRequest: ClientRequest, finalUrl: URL, shownUrl: string, options: HttpSourceRequest): HttpSource {
	const idleMs = options.idleTimeoutMs ?? DEFAULT_SOURCE_IDLE_TIMEOUT_MS;
	const lengthHeader = response.headers['content-length'];
	const contentLength = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
	let received = 0;
	let idleTimer: NodeJS.Timeout | undefined;
	let ended = false;
	const stopIdle = () => {
		clearTimeout(idleTimer);
		idleTimer = undefined;
	};
	const fail = (error: HttpSourceError) => {
		if (!body.destroyed) body.destroy(error);
	};
	const incomplete = (cause?: unknown) => new HttpSourceError('incomplete', shownUrl, { received, expected: contentLength }, cause);

	const body = new Readable({
		highWaterMark: 1024 * 1024,
		read() {
			if (ended) return;
			stopIdle();
			idleTimer = setTimeout(() => fail(new HttpSourceError('idleTimeout', shownUrl, { waitedMs: idleMs, received, expected: contentLength })), idleMs);
			response.resume();
		},
		destroy(error, callback) {
			stopIdle();
			options.signal?.removeEventListener('abort', onAbort);
			clientRequest.destroy();
			callback(error);
		},
	});
	response.pause();
	response.on('data', (chunk: Buffer) => {
		received += chunk.length;
		stopIdle();
		if (!body.push(chunk)) response.pause();
		else idleTimer = setTimeout(() => fail(new HttpSourceError('idleTimeout', shownUrl, { waitedMs: idleMs, received, expected: contentLength })), idleMs);
	});
	response.on('end', () => {
		ended = true;
		stopIdle();
		if (contentLength !== undefined && received !== contentLength) fail(incomplete());
		else body.push(null);
	});
	response.on('error', (error) => fail(error instanceof HttpSourceError ? error : incomplete(error)));
	response.on('close', () => {
		if (!ended) fail(incomplete());
	});
	const onAbort = () => fail(new HttpSourceError('cancelled', shownUrl, { received, expected: contentLength }));
	if (options.signal?.aborted) onAbort();
	else options.signal?.addEventListener('abort', onAbort, { once: true });

	const type = response.headers['content-type'];
	return { body, contentLength, contentType: type?.trim() || undefined, finalUrl, shownUrl, received: () => received };
}

/** Reads a body known to be small (at most a part) into memory, so it goes up in one PutObject that can be retried. */
export async function readWhole(body: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
	return Buffer.concat(chunks);
}
