/**
 * How the node answers when an AI agent calls it as a tool: what goes into a model's context must
 * be short, text (never bytes) and, when something fails, say what to do next.
 *   - Read gives at most TOOL_TEXT_LIMIT characters, says when it cut and which range reads on;
 *   - Download gives the object's metadata and a presigned URL instead of its bytes;
 *   - failures become one message that holds the instruction (an agent passes the model only the
 *     message of a tool's error).
 * Outside an agent none of this applies: the node behaves as in any workflow.
 */
import type { Readable } from 'node:stream';

import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { S3Connection } from '../transport';
import { presignGetObject } from '../transport/presign';
import { formatBytes } from './objectRead';
import { compact } from './utils';

/** Characters of an object's content Read gives a model in one call. */
export const TOOL_TEXT_LIMIT = 20_000;
/** Seconds the download URL given to a model works (one hour). */
export const TOOL_URL_EXPIRY_SECONDS = 3600;

/**
 * Whether this run is an AI agent calling the node as a tool. n8n says so in two ways, and which
 * one depends on the agent: the AI Agent node (v3) has the workflow engine run the tool with a
 * plain execute context, whose isToolExecution() is false, but the node is then the "<name>Tool"
 * variant n8n generates for nodes marked usableAsTool; older agents call the tool through a
 * supply-data context, whose isToolExecution() is true.
 */
export function isToolRun(this: IExecuteFunctions): boolean {
	if (this.getNode().type.endsWith('Tool')) return true;
	const context = this as IExecuteFunctions & { isToolExecution?: () => boolean };
	return typeof context.isToolExecution === 'function' && context.isToolExecution() === true;
}

type ReadAs = 'text' | 'json' | 'base64';

/** Bytes to fetch so that TOOL_TEXT_LIMIT characters are surely there (and one more byte to tell a cut). */
function headBytesFor(readAs: ReadAs, encoding: BufferEncoding): number {
	if (readAs === 'base64') return (TOOL_TEXT_LIMIT / 4) * 3 + 1;
	// A UTF-16 code unit (what String#length counts) is at most 3 bytes of UTF-8 and 2 of UTF-16.
	const perUnit = encoding === 'utf8' ? 3 : encoding === 'utf16le' ? 2 : 1;
	return TOOL_TEXT_LIMIT * perUnit + 4;
}

/** The first `maxBytes` of a body; the rest is not fetched. */
async function readHead(body: Readable, maxBytes: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of body) {
		chunks.push(chunk as Buffer);
		total += (chunk as Buffer).length;
		if (total >= maxBytes) break;
	}
	body.destroy();
	return Buffer.concat(chunks).subarray(0, maxBytes);
}

/** The first byte and the object's total size, from a GetObject answer (ranged or not). */
export function spanOfAnswer(contentRange: string | undefined, contentLength: number | undefined): { start: number; total?: number } {
	const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(contentRange ?? '');
	if (match) return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
	return { start: 0, total: contentLength };
}

export interface ToolContent {
	/** The content as the model gets it: text, parsed JSON, or base64. */
	content: unknown;
	/** Bytes of the object the content covers, as a range ("bytes=0-59999"). */
	range: string;
	truncated: boolean;
	/** What was cut and how to read on; only when something was cut. */
	note?: string;
	/** The range that reads on from where the content stops; only when something was cut. */
	nextRange?: string;
}

/**
 * Content of at most TOOL_TEXT_LIMIT characters from the bytes read at `start` of an object of
 * `total` bytes. JSON too long to give whole is given as (cut) text: a cut JSON does not parse.
 */
export function contentForTool(
	data: Buffer,
	options: { readAs: ReadAs; encoding: BufferEncoding; start: number; total?: number; canAskRange: boolean },
): ToolContent {
	const { readAs, encoding, start } = options;
	const total = options.total ?? start + data.length;
	let text = readAs === 'base64' ? data.toString('base64') : data.toString(encoding);
	// A byte order mark is not content; its bytes still count for the next range.
	let markBytes = 0;
	if (readAs !== 'base64' && start === 0 && text.charCodeAt(0) === 0xfeff) {
		text = text.slice(1);
		markBytes = Buffer.byteLength('\ufeff', encoding);
	}
	const endOfObject = start + data.length >= total;
	if (text.length <= TOOL_TEXT_LIMIT && endOfObject) {
		let content: unknown = text;
		if (readAs === 'json') content = JSON.parse(text);
		return { content, range: rangeOf(start, data.length), truncated: false };
	}
	let shown: string;
	let shownBytes: number;
	if (readAs === 'base64') {
		shown = text.slice(0, TOOL_TEXT_LIMIT - (TOOL_TEXT_LIMIT % 4));
		shownBytes = (shown.length / 4) * 3;
	} else {
		let end = Math.min(text.length, TOOL_TEXT_LIMIT);
		// Never split a surrogate pair: half a character would count as three bytes.
		if (end > 0 && end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
		shown = text.slice(0, end);
		shownBytes = Math.min(data.length, markBytes + Buffer.byteLength(shown, encoding));
	}
	const next = start + shownBytes;
	const nextRange = `bytes=${next}-`;
	const unit = readAs === 'base64' ? 'base64 characters' : 'characters';
	const readOn = options.canAskRange
		? `To read on, call this tool again with the range "${nextRange}".`
		: `This tool takes no range, so it cannot read further; ask for the object's download link instead.`;
	const json = readAs === 'json' ? ' It is given as text, not parsed: cut JSON does not parse.' : '';
	return {
		content: shown,
		range: rangeOf(start, shownBytes),
		truncated: true,
		nextRange,
		note: `Content cut to ${shown.length.toLocaleString('en-US')} ${unit} (bytes ${start}-${next - 1} of an object of ${total.toLocaleString('en-US')} bytes, ${formatBytes(total)}).${json} ${readOn}`,
	};
}

function rangeOf(start: number, length: number): string {
	return length > 0 ? `bytes=${start}-${start + length - 1}` : 'bytes=0-0';
}

/** Read's answer to a model: the object's facts and at most TOOL_TEXT_LIMIT characters of it. */
export async function readForTool(
	this: IExecuteFunctions,
	response: { Body: Readable; ContentRange?: string; ContentLength?: number; ContentType?: string; ETag?: string; LastModified?: Date; VersionId?: string },
	options: { bucket: string; key: string; readAs: ReadAs; encoding: BufferEncoding; outputField: string },
): Promise<INodeExecutionData[]> {
	const { bucket, key, readAs, encoding } = options;
	const data = await readHead(response.Body, headBytesFor(readAs, encoding));
	const { start, total } = spanOfAnswer(response.ContentRange, response.ContentLength);
	const parameters = this.getNode().parameters as { options?: IDataObject };
	const canAskRange = typeof parameters.options?.range === 'string';
	let result: ToolContent;
	try {
		result = contentForTool(data, { readAs, encoding, start, total, canAskRange });
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`Object "${key}" is not valid JSON (${(error as Error).message}). Read it as text instead, or check that the key names a JSON file.`,
		);
	}
	return [
		{
			json: compact({
				bucket,
				key,
				size: total,
				contentType: response.ContentType,
				etag: response.ETag,
				lastModified: response.LastModified?.toISOString(),
				versionId: response.VersionId,
				range: result.range,
				truncated: result.truncated,
				nextRange: result.nextRange,
				note: result.note,
				[options.outputField]: result.content as never,
			}),
		},
	];
}

/**
 * Download's answer to a model: the object's metadata and a URL it (or the user) can fetch the bytes
 * from, since a tool's binary output never reaches the model. Nothing is downloaded.
 */
export async function downloadLinkForTool(
	this: IExecuteFunctions,
	connection: S3Connection,
	options: { bucket: string; key: string; versionId?: string; range?: string; itemIndex: number },
): Promise<INodeExecutionData[]> {
	const { bucket, key, versionId, range, itemIndex } = options;
	const head = await connection.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }), {
		action: 'download',
		bucket,
		key,
		itemIndex,
	});
	const signed = await presignGetObject(connection, { bucket, key, versionId, expiresIn: TOOL_URL_EXPIRY_SECONDS, itemIndex });
	const rangeNote = range ? ` The URL serves the whole object; for only ${range}, send the header "Range: ${range}".` : '';
	return [
		{
			json: compact({
				bucket,
				key,
				size: head.ContentLength,
				contentType: head.ContentType,
				etag: head.ETag,
				lastModified: head.LastModified?.toISOString(),
				versionId: head.VersionId,
				url: signed.url,
				expiresAt: signed.expiresAt,
				note: `The file's bytes are not passed to the agent. Anyone with the URL can download it with a plain GET until ${signed.expiresAt}.${rangeNote}`,
			}),
		},
	];
}

/** What a model can do about a failure, when the failure's own description speaks to a person in the editor. */
function adviceFor(message: string, httpCode: string | undefined): string | undefined {
	if (/^Bucket ".*" does not exist/.test(message)) {
		return 'Check the bucket name (it is case-sensitive); do not create buckets unless the user asked for it.';
	}
	if (httpCode === '404' || / not found in bucket /.test(message)) {
		return 'Check the key: keys are case-sensitive and include the folder prefix. List the objects under the prefix to find the exact key, then call again with it.';
	}
	if (httpCode === '403' || /^Access denied/.test(message)) {
		return 'Retrying will not help: the credential lacks permission. Tell the user which bucket and key were refused.';
	}
	if (httpCode === '503' || httpCode === '429' || /did not answer within|throttling/.test(message)) {
		return 'The storage server is busy or slow: wait a little, then try once more; if it fails again, tell the user.';
	}
	return undefined;
}

/**
 * A failure worded for a model: what happened and what to do, in the message (an agent hands the
 * model only a tool error's message), without the "[item N]" suffix that means nothing to it.
 */
export function toolError(this: IExecuteFunctions, error: unknown): NodeOperationError {
	const raw = error instanceof Error ? error.message : String(error);
	const message = raw.replace(/\s*\[item \d+\]$/, '').replace(/\.$/, '');
	const { description, httpCode } = error as { description?: string | null; httpCode?: string | null };
	const advice = adviceFor(message, httpCode ?? undefined) ?? description ?? undefined;
	return new NodeOperationError(this.getNode(), advice ? `${message}. What to do: ${advice}` : `${message}.`);
}

type OperationExecute = (this: IExecuteFunctions, itemIndex: number, connection: S3Connection) => Promise<INodeExecutionData[]>;

/** An operation whose failures, in a tool run, are worded for the model (see toolError). */
export function withToolErrors(operation: OperationExecute): OperationExecute {
	return async function (this: IExecuteFunctions, itemIndex: number, connection: S3Connection) {
		if (!isToolRun.call(this)) return await operation.call(this, itemIndex, connection);
		try {
			return await operation.call(this, itemIndex, connection);
		} catch (error) {
			throw toolError.call(this, error);
		}
	};
}
