/**
 * Requests the SDK has no command for (SNS's query API, small HTTPS GETs), sent through the S3
 * client's own request handler: the same deadlines, proxy, TLS and credentials as every S3 request,
 * signed with SigV4 when asked, and retried the same way (5xx, 429, timeouts, dropped connections).
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

import type { S3Connection } from './connection';
import { networkCode } from './errors';
import { backoffDelay } from './retries';

export interface SignedAnswer {
	status: number;
	body: string;
}

/** An SNS or S3 refusal, shaped like the SDK's errors so `connection.fail` words it the same way. */
export function serviceError(status: number, body: string, fallback: string): Error {
	const code = xmlValue(body, 'Code') ?? (status === 404 ? 'NotFound' : fallback);
	const message = xmlValue(body, 'Message') || code;
	return Object.assign(new Error(message), {
		name: code,
		Code: code,
		$metadata: { httpStatusCode: status, requestId: xmlValue(body, 'RequestId') },
	});
}

/** The text of the first <tag> in an XML answer (SNS's answers are small and flat enough for this). */
export function xmlValue(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
	return match ? decodeXml(match[1]) : undefined;
}

function decodeXml(text: string): string {
	return text
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
		.replace(/&amp;/g, '&');
}

function retryable(error: unknown, status?: number): boolean {
	if (status !== undefined) return status >= 500 || status === 429;
	const name = (error as { name?: string }).name;
	return name === 'TimeoutError' || networkCode(error) !== undefined;
}

async function readBody(stream: unknown, limit: number): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > limit) throw new Error(`the answer is larger than ${limit} bytes`);
		chunks.push(Buffer.from(chunk));
	}
	return Buffer.concat(chunks).toString('utf8');
}

export interface SignedRequestInit {
	method: string;
	body?: string;
	headers?: Record<string, string>;
	/** The service to sign for; unsigned without. */
	sign?: 'sns' | 's3';
	/** Largest answer accepted, in bytes. */
	limit?: number;
	/** What is being done, for the error message. */
	what: string;
	bucket?: string;
}

/**
 * One request through the client's handler, retried like S3 requests (5xx, 429, timeouts, dropped
 * connections) with the same backoff. `sign` is the service to sign for, or undefined for a plain GET.
 */
export async function signedRequest(
	connection: S3Connection,
	url: URL,
	init: SignedRequestInit,
): Promise<SignedAnswer> {
	for (let attempt = 1; ; attempt += 1) {
		const outcome = await attemptRequest(connection, url, init);
		const last = connection.cancelled || attempt >= connection.maxAttempts;
		if ('status' in outcome && (last || !retryable(undefined, outcome.status))) return outcome;
		if ('error' in outcome && (last || !retryable(outcome.error))) return connection.fail(outcome.error, { action: init.what, bucket: init.bucket });
		await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt + 1)));
	}
}

async function attemptRequest(
	connection: S3Connection,
	url: URL,
	init: SignedRequestInit,
): Promise<SignedAnswer | { error: unknown }> {
	const handler = connection.client.config.requestHandler as {
		handle(request: HttpRequest, options?: { abortSignal?: AbortSignal }): Promise<{ response: { statusCode: number; body: unknown } }>;
	};
	const query: Record<string, string> = {};
	url.searchParams.forEach((value, key) => (query[key] = value));
	try {
		let httpRequest = new HttpRequest({
			method: init.method,
			protocol: url.protocol,
			hostname: url.hostname,
			port: url.port ? Number(url.port) : undefined,
			path: url.pathname,
			query,
			headers: { host: url.host, ...init.headers },
			body: init.body,
		});
		if (init.sign) {
			const signer = new SignatureV4({
				service: init.sign,
				region: connection.resolved.region,
				sha256: Hash.bind(null, 'sha256'),
				credentials: connection.client.config.credentials,
			});
			httpRequest = (await signer.sign(httpRequest)) as HttpRequest;
		}
		const { response } = await handler.handle(httpRequest, { abortSignal: connection.signal });
		return { status: response.statusCode, body: await readBody(response.body, init.limit ?? 1024 * 1024) };
	} catch (error) {
		return { error };
	}
}

export function bucketUrl(connection: S3Connection, bucket: string): URL {
	const base = new URL(connection.resolved.endpoint ?? `https://s3.${connection.resolved.region}.amazonaws.com`);
	const path = base.pathname.replace(/\/+$/, '');
	if (connection.resolved.forcePathStyle) {
		base.pathname = `${path}/${encodeURIComponent(bucket)}`;
	} else {
		base.hostname = `${bucket}.${base.hostname}`;
		base.pathname = `${path}/`;
	}
	return base;
}
