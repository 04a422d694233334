/**
 * The credential's `authenticate`: signs a request of n8n's HTTP Request node (and of any node that
 * uses "S3 Storage API" as a predefined credential) with SigV4, as the node's own client signs: the
 * same cached client's credentials (access keys, the machine identity, or the assumed role's
 * temporary keys, renewed before they expire), its region and the S3 signing rules (key path encoded
 * once, payload hash in x-amz-content-sha256). Only requests to the credential's own endpoint are
 * signed, so a typo in a URL never hands a valid signature to another host.
 */
import { Readable } from 'node:stream';

import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { getClient, type S3StorageCredentials } from './client';
import { encodeKeyPath } from './custom';
import { resolveEndpoint, type ResolvedEndpoint } from './providers';

/** Headers the signature sets; stale ones from an earlier signing are dropped first. */
const SIGNATURE_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'host']);
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const AWS_REGION_IN_HOST = /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2,4}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;

/** A failure of signing, in words, without any secret. */
export class RequestSigningError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'S3StorageRequestSigningError';
	}
}

type LegacyOptions = IHttpRequestOptions & { uri?: string; form?: IDataObject };

/** The URL the request goes to: `uri` (the HTTP Request node's legacy form) or baseURL + url. */
function urlOf(options: LegacyOptions): URL {
	const text = options.uri ?? `${options.baseURL ?? ''}${options.url ?? ''}`;
	if (!URL.canParse(text)) {
		throw new RequestSigningError(`"${text}" is not a full URL: give the S3 endpoint's address, e.g. https://s3.example.com/my-bucket/key.txt`);
	}
	return new URL(text);
}

/** Whether the URL is on the credential's endpoint: its host, a bucket below it (virtual-hosted), or AWS's S3 hosts. */
function isOwnEndpoint(url: URL, resolved: ResolvedEndpoint): boolean {
	if (!resolved.endpoint) return /(^|\.)s3([.-][\w-]+)*\.amazonaws\.com(\.cn)?$/i.test(url.hostname);
	const endpoint = new URL(resolved.endpoint);
	if (url.port !== endpoint.port && !(url.port === '' && endpoint.port === '')) return false;
	return url.hostname === endpoint.hostname || url.hostname.endsWith(`.${endpoint.hostname}`);
}

function addQuery(query: Record<string, string | string[]>, name: string, value: unknown) {
	const values = (Array.isArray(value) ? value : [value]).map((entry) => (entry === undefined || entry === null ? '' : typeof entry === 'object' ? JSON.stringify(entry) : String(entry)));
	const existing = query[name];
	const all = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), ...values];
	query[name] = all.length === 1 ? all[0] : all;
}

/** RFC 3986 encoding, as SigV4 canonicalizes the query: what is sent is exactly what was signed. */
function strictEncode(text: string): string {
	return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryString(query: Record<string, string | string[]>): string {
	return Object.keys(query)
		.sort()
		.flatMap((name) => (Array.isArray(query[name]) ? (query[name] as string[]) : [query[name] as string]).map((value) => `${strictEncode(name)}=${strictEncode(value)}`))
		.join('&');
}

/** S3 signs the path encoded once: each segment decoded (where it is valid percent-encoding) and encoded strictly. */
function s3Path(pathname: string): string {
	const decoded = pathname.split('/').map((segment) =>
		segment.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
			try {
				return decodeURIComponent(run);
			} catch {
				return run;
			}
		}),
	);
	return encodeKeyPath(decoded.join('/')) || '/';
}

/** The body as the signature sees it, and the Content-Type it implies. */
function bodyOf(options: LegacyOptions, headers: Record<string, string>): { body: unknown; hashable: boolean } {
	if (options.form && typeof options.form === 'object') {
		headers['content-type'] ??= 'application/x-www-form-urlencoded';
		return { body: new URLSearchParams(options.form as Record<string, string>).toString(), hashable: true };
	}
	const body = options.body;
	if (body === undefined || body === null || body === '') return { body: undefined, hashable: true };
	if (typeof body === 'string' || Buffer.isBuffer(body)) return { body, hashable: true };
	if (body instanceof URLSearchParams) return { body: body.toString(), hashable: true };
	if (body instanceof Readable || (typeof FormData !== 'undefined' && body instanceof FormData)) return { body, hashable: false };
	if (typeof body === 'object') {
		if (Object.keys(body).length === 0) return { body: undefined, hashable: true };
		headers['content-type'] ??= 'application/json';
		return { body: JSON.stringify(body), hashable: true };
	}
	return { body: String(body), hashable: true };
}

/**
 * Signs `options` for the credential. The query (from the URL and `qs`) moves into the URL in the
 * order and encoding it was signed in; a body the signature cannot hash (a stream, a multipart form)
 * is sent with UNSIGNED-PAYLOAD, as S3 allows.
 */
export async function signRequestOptions(credentials: S3StorageCredentials, given: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const options = given as LegacyOptions;
	// The settings check of every use (machine identity allowed? a readable CA?) and the cached client.
	const ready = (() => {
		try {
			return { resolved: resolveEndpoint(credentials), client: getClient(credentials).client };
		} catch (error) {
			return { problem: (error as Error).message };
		}
	})();
	if ('problem' in ready) throw new RequestSigningError(`The S3 Storage credential cannot sign requests: ${ready.problem}`);
	const { resolved, client } = ready;
	const url = urlOf(options);
	if (!isOwnEndpoint(url, resolved)) {
		throw new RequestSigningError(
			`The S3 Storage credential signs only requests to its own endpoint (${resolved.endpoint ?? 'Amazon S3'}), not to ${url.host}: correct the URL, or the credential's Endpoint`,
		);
	}
	// The client's own credentials: static keys, or the machine identity's / assumed role's, cached and renewed.
	// Their failures (sign-in) come worded and free of secrets.
	const identity = await client.config.credentials().catch((error: unknown) => ({ problem: (error as Error).message }));
	if ('problem' in identity) throw new RequestSigningError(`The S3 Storage credential could not sign in: ${identity.problem}`);
	if (!identity.accessKeyId || !identity.secretAccessKey) {
		throw new RequestSigningError('The S3 Storage credential has no access keys: fill in "Access Key ID" and "Secret Access Key"');
	}

	const query: Record<string, string | string[]> = {};
	for (const [name, value] of url.searchParams) addQuery(query, name, value);
	for (const [name, value] of Object.entries(options.qs ?? {})) if (value !== undefined) addQuery(query, name, value);

	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		const lower = name.toLowerCase();
		if (value === undefined || value === null || SIGNATURE_HEADERS.has(lower)) continue;
		headers[lower] = Array.isArray(value) ? value.join(',') : String(value);
	}
	const { body, hashable } = bodyOf(options, headers);
	if (!hashable) headers['x-amz-content-sha256'] ??= UNSIGNED_PAYLOAD;
	headers.host = url.host;

	const method = (options.method ?? 'GET').toUpperCase();
	const path = s3Path(url.pathname);
	const request = new HttpRequest({
		method,
		protocol: url.protocol,
		hostname: url.hostname,
		port: url.port ? Number(url.port) : undefined,
		path,
		query,
		headers,
		body: hashable ? body : undefined,
	});
	const region = (resolved.isAws && AWS_REGION_IN_HOST.exec(url.hostname)?.[1]) || resolved.region;
	const signer = new SignatureV4({
		credentials: identity,
		region,
		service: 's3',
		sha256: Hash.bind(null, 'sha256'),
		// S3 signs the path as sent (encoded once, above), and wants the payload hash as a header.
		uriEscapePath: false,
		applyChecksum: true,
	});
	const signed = await signer.sign(request);
	const search = queryString(query);
	const signedUrl = `${url.protocol}//${url.host}${path}${search ? `?${search}` : ''}`;
	return {
		...options,
		...(options.uri !== undefined ? { uri: signedUrl } : {}),
		url: signedUrl,
		baseURL: undefined,
		qs: undefined,
		form: undefined,
		headers: signed.headers,
		body: body as IHttpRequestOptions['body'],
		// The signature is for this host only; a redirect elsewhere must not carry it.
		sendCredentialsOnCrossOriginRedirect: false,
		...(credentials.acceptSelfSigned ? { skipSslCertificateValidation: true } : {}),
	} as IHttpRequestOptions;
}
