/**
 * Custom API Call: one S3 request the user describes (method, bucket, key or raw path, query,
 * headers, body), sent through the credential's cached S3 client as a command of its own. So it is
 * addressed (path or virtual host, base path), signed (keys, machine identity, assumed role), timed
 * out, proxied and retried exactly as every other operation's requests, and its failures are worded
 * by the same errors module. Only idempotent methods are retried; a body is opened again for each
 * attempt, so a retried upload sends its bytes from the start.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

import type { S3ClientResolvedConfig } from '@aws-sdk/client-s3';
import { Command } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import type { EndpointParameterInstructions, EndpointV2, FinalizeRequestMiddleware, HandlerExecutionContext, MetadataBearer, Pluggable } from '@smithy/types';

import type { S3Connection } from './connection';
import { IncompleteBodyError, type S3ErrorContext } from './errors';
import { LocalFile } from './upload';
import { isXmlContentType, xmlToJson } from './xmlAnswer';

export type CustomMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

/** HTTP's idempotent methods: sending one twice does what sending it once does, so a failure may be retried. */
const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'PUT', 'DELETE']);

/** A request body, opened once per attempt (bytes in memory, a file on this disk, or a stream n8n's store gives again). */
export interface CustomBody {
	size: number;
	contentType?: string;
	open: () => Promise<Uint8Array | Readable | LocalFile>;
}

export interface CustomRequest {
	method: CustomMethod;
	/** Empty: a request to the service itself (e.g. list buckets). */
	bucket?: string;
	/** An object key, encoded here as S3 encodes keys. */
	key?: string;
	/** A path below the bucket (or the service), sent as given: already percent-encoded. */
	rawPath?: string;
	query: Record<string, string | string[]>;
	/** Header names are sent lower-cased. */
	headers: Record<string, string>;
	body?: CustomBody;
}

export interface CustomAnswer {
	statusCode: number;
	headers: Record<string, string>;
	/** The answer's bytes, streamed; a body cut short fails (never ends as a shorter success). */
	body: Readable;
	/** How many times the request was sent. */
	attempts: number;
}

type CustomOutput = MetadataBearer & { statusCode: number; headers: Record<string, string>; body: unknown };

/** Carries a failure of a non-idempotent request past the client's retries, which must not resend it. */
class NotRetried extends Error {
	constructor(readonly original: unknown) {
		super('not retried');
	}
}

/** S3's encoding of a key in a path: every byte but unreserved characters and "/" escaped. */
export function encodeKeyPath(key: string): string {
	return key
		.split('/')
		.map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`))
		.join('/');
}

/** The request's path under the endpoint's address for the bucket (which may hold the bucket, or a base path). */
function pathUnder(basePath: string, request: CustomRequest): string {
	const below = request.rawPath !== undefined ? request.rawPath.replace(/^\/+/, '') : encodeKeyPath(request.key ?? '');
	if (below === '' && request.rawPath === undefined && request.key === undefined) return basePath || '/';
	return `${basePath.replace(/\/+$/, '')}/${below}`;
}

const STATUS_NAMES: Record<number, string> = {
	301: 'PermanentRedirect',
	400: 'BadRequest',
	403: 'Forbidden',
	404: 'NotFound',
	405: 'MethodNotAllowed',
	409: 'Conflict',
	411: 'MissingContentLength',
	412: 'PreconditionFailed',
	416: 'InvalidRange',
	501: 'NotImplemented',
};

const ERROR_BODY_LIMIT = 1024 * 1024;

async function readUpTo(body: unknown, limit: number): Promise<Buffer> {
	if (!body || typeof (body as Readable)[Symbol.asyncIterator] !== 'function') return Buffer.alloc(0);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body as Readable) {
		const buffer = Buffer.from(chunk as Uint8Array);
		chunks.push(buffer);
		size += buffer.length;
		if (size >= limit) {
			(body as Readable).destroy();
			break;
		}
	}
	return Buffer.concat(chunks);
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
	return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/**
 * An error answer in the shape of the SDK's errors (code as name and Code, status and request ID in
 * $metadata, status and headers in $response), so retries and describeS3Error treat it like any other.
 */
async function errorOf(response: HttpResponse): Promise<Error> {
	const { statusCode, headers } = response;
	const text = (await readUpTo(response.body, ERROR_BODY_LIMIT)).toString('utf8');
	let fields: Record<string, unknown> = {};
	let parsed = false;
	if (text.trim().startsWith('<')) {
		try {
			const json = xmlToJson(text);
			fields = (json.Error as Record<string, unknown> | undefined) ?? {};
			parsed = 'Error' in json;
		} catch {
			parsed = false;
		}
	}
	const code = typeof fields.Code === 'string' && fields.Code ? fields.Code : undefined;
	const serverMessage = typeof fields.Message === 'string' ? fields.Message : '';
	// A body that is not S3's error XML (an HTML page from a proxy) is worded as "not an S3 answer".
	const notS3 = text.trim() !== '' && !parsed;
	const message = notS3 ? 'Deserialization error: the answer is not S3 XML' : serverMessage || code || STATUS_NAMES[statusCode] || `HTTP ${statusCode}`;
	const name = code ?? (notS3 || statusCode >= 500 ? 'UnknownError' : (STATUS_NAMES[statusCode] ?? 'UnknownError'));
	const requestId = headerOf(headers, 'x-amz-request-id') ?? (typeof fields.RequestId === 'string' ? fields.RequestId : undefined);
	const error = new Error(message);
	const plain = Object.fromEntries(Object.entries(fields).filter(([key, value]) => typeof value === 'string' && !['Code', 'Message'].includes(key)));
	return Object.assign(error, plain, {
		name,
		...(code ? { Code: code } : {}),
		$fault: statusCode >= 500 ? 'server' : 'client',
		$metadata: { httpStatusCode: statusCode, requestId, extendedRequestId: headerOf(headers, 'x-amz-id-2') },
		$response: { statusCode, headers },
	});
}

/** How the command builds its request and reads its answer, overriding the client's serializers (which need an S3 operation's schema). */
const customSerde: Pluggable<object, CustomOutput> = {
	applyToStack: (stack) => {
		// The request as the user described it, at the address the endpoint rules gave for the bucket.
		stack.add(
			(next, context: HandlerExecutionContext & { endpointV2?: EndpointV2 }) => async (args) => {
				const input = args.input as CustomRequest;
				const url = context.endpointV2?.url;
				if (!url) throw new Error('The S3 client resolved no endpoint for the request');
				const headers: Record<string, string> = { ...input.headers };
				if (input.body) {
					headers['content-length'] = String(input.body.size);
					if (input.body.contentType && headers['content-type'] === undefined) headers['content-type'] = input.body.contentType;
				}
				const request = new HttpRequest({
					protocol: url.protocol,
					hostname: url.hostname,
					port: url.port ? Number(url.port) : undefined,
					method: input.method,
					path: pathUnder(url.pathname, input),
					query: input.query,
					headers,
				});
				return await next({ ...args, request });
			},
			{ name: 'serializerMiddleware', step: 'serialize', tags: ['SERIALIZER'], override: true },
		);
		// Every answer comes back as status, headers and the body stream; an error status becomes an S3 error.
		stack.add(
			(next) => async (args) => {
				const { response } = await next(args);
				const answer = response as HttpResponse;
				if (answer.statusCode >= 300 && answer.statusCode !== 304) throw await errorOf(answer);
				const output: CustomOutput = { $metadata: {}, statusCode: answer.statusCode, headers: answer.headers, body: answer.body };
				return { response, output };
			},
			{ name: 'deserializerMiddleware', step: 'deserialize', tags: ['DESERIALIZER'], override: true },
		);
		// Inside the retry loop and before signing: a fresh body for each attempt, and no retry of a
		// non-idempotent method (the client retries any method; n8n users expect POST to run once).
		stack.addRelativeTo(
			((next) => async (args) => {
				const input = args.input as CustomRequest;
				let opened: Uint8Array | Readable | undefined;
				try {
					let request = args.request;
					if (input.body && HttpRequest.isInstance(request)) {
						const source = await input.body.open();
						opened = source instanceof LocalFile ? createReadStream(source.path) : source;
						request = HttpRequest.clone(request);
						(request as HttpRequest).body = opened;
						const headers = (request as HttpRequest).headers;
						const hasChecksum = Object.keys(headers).some((name) => name === 'content-md5' || name.startsWith('x-amz-checksum-'));
						// S3 requires Content-MD5 on some calls (tagging, lifecycle, delete objects); bytes in memory get one.
						if (opened instanceof Uint8Array && !hasChecksum) headers['content-md5'] = createHash('md5').update(opened).digest('base64');
					}
					return await next({ ...args, request });
				} catch (error) {
					if (opened instanceof Readable) opened.destroy();
					throw IDEMPOTENT.has(input.method) ? error : new NotRetried(error);
				}
			}) as FinalizeRequestMiddleware<object, CustomOutput>,
			{ name: 'n8nS3StorageCustomAttempt', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true },
		);
	},
};

/** The command that carries a custom request through the S3 client's middleware (endpoint, auth, retries, signing). */
class CustomRequestCommand extends Command.classBuilder<CustomRequest, CustomOutput, S3ClientResolvedConfig, CustomRequest, CustomOutput>()
	.ep({
		// The client's own endpoint parameters (those of every S3 command), plus the bucket.
		ForcePathStyle: { type: 'clientContextParams', name: 'forcePathStyle' },
		UseArnRegion: { type: 'clientContextParams', name: 'useArnRegion' },
		DisableMultiRegionAccessPoints: { type: 'clientContextParams', name: 'disableMultiregionAccessPoints' },
		Accelerate: { type: 'clientContextParams', name: 'useAccelerateEndpoint' },
		DisableS3ExpressSessionAuth: { type: 'staticContextParams', value: true },
		UseGlobalEndpoint: { type: 'builtInParams', name: 'useGlobalEndpoint' },
		UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
		Endpoint: { type: 'builtInParams', name: 'endpoint' },
		Region: { type: 'builtInParams', name: 'region' },
		UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
		Bucket: { type: 'contextParams', name: 'bucket' },
	})
	.m((CommandCtor: { getEndpointParameterInstructions: () => EndpointParameterInstructions }, _clientStack: unknown, config: S3ClientResolvedConfig) => [
		getEndpointPlugin(config, CommandCtor.getEndpointParameterInstructions()),
		customSerde,
	])
	.s('AmazonS3', 'CustomApiCall', {})
	.n('S3Client', 'CustomApiCallCommand')
	.build() {}

/**
 * The answer's body, counted: fewer bytes than its Content-Length fails with IncompleteBodyError, and
 * any failure of the body (cut, stalled past the idle timeout, cancelled) is worded like the request's.
 */
async function* answerBody(connection: S3Connection, context: S3ErrorContext, body: Readable | undefined, expected: number | undefined): AsyncGenerator<Uint8Array> {
	let received = 0;
	try {
		for await (const chunk of body ?? []) {
			received += (chunk as Uint8Array).length;
			yield chunk as Uint8Array;
		}
		if (expected !== undefined && received < expected) throw new IncompleteBodyError(received, expected, 1, new Error('the body ended early'));
	} catch (error) {
		throw connection.describe(error, context);
	}
}

/** Sends one custom request; any failure leaves as the connection's NodeApiError, worded with `context`. */
export async function sendCustomRequest(connection: S3Connection, request: CustomRequest, context: S3ErrorContext): Promise<CustomAnswer> {
	let output: CustomOutput;
	try {
		output = (await connection.client.send(new CustomRequestCommand(request) as never, { abortSignal: connection.signal })) as CustomOutput;
	} catch (error) {
		return connection.fail(error instanceof NotRetried ? error.original : error, context);
	}
	const headers = Object.fromEntries(Object.entries(output.headers).map(([name, value]) => [name.toLowerCase(), value]));
	const declared = request.method === 'HEAD' ? undefined : Number(headers['content-length']);
	const expected = declared !== undefined && Number.isFinite(declared) ? declared : undefined;
	const body = Readable.from(answerBody(connection, context, output.body as Readable | undefined, expected), { objectMode: false });
	return { statusCode: output.statusCode, headers, body, attempts: output.$metadata.attempts ?? 1 };
}

/** The answers read whole in memory (XML, JSON, text) stop at this size. */
export const CUSTOM_ANSWER_MEMORY_LIMIT = 32 * 1024 * 1024;

/**
 * Reads an answer's body whole, or undefined when it is larger than `limit` (the caller says to take it
 * as a file). Failures of the body come worded already (answerBody).
 */
export async function readCustomAnswer(answer: CustomAnswer, limit = CUSTOM_ANSWER_MEMORY_LIMIT): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of answer.body) {
		size += (chunk as Buffer).length;
		if (size > limit) {
			answer.body.destroy();
			return undefined;
		}
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** What an answer's body is: S3 XML, JSON, text, or bytes to keep as a file. */
export type AnswerKind = 'xml' | 'json' | 'text' | 'file' | 'empty';

/**
 * Guesses what the answer is. An object's content (it carries Last-Modified, or an object's metadata)
 * stays a file whatever its type, so a GET of "report.xml" gives the file, not its parse.
 */
export function answerKindOf(answer: Pick<CustomAnswer, 'headers'>, method: string): AnswerKind {
	const { headers } = answer;
	if (method === 'HEAD' || headers['content-length'] === '0') return 'empty';
	const isObjectContent = headers['last-modified'] !== undefined || Object.keys(headers).some((name) => name.startsWith('x-amz-meta-'));
	if (isObjectContent) return 'file';
	const contentType = headers['content-type'];
	if (isXmlContentType(contentType)) return 'xml';
	if (/^application\/([\w.-]+\+)?json\b/i.test(contentType ?? '')) return 'json';
	if (/^text\//i.test(contentType ?? '')) return 'text';
	// Some servers send XML without a type; an answer without any type and a small size is read as text and sniffed.
	return contentType ? 'file' : 'text';
}

export { xmlToJson } from './xmlAnswer';
