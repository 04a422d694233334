import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { binarySourceOf } from '../../helpers/binarySource';
import { saveToBinaryStore } from '../../helpers/binaryStoreError';
import { bucketFieldValue, assertBucketName, fileNameOfKey, getLocatorText, getText, updateDisplayOptions } from '../../helpers/utils';
import {
	answerKindOf,
	CUSTOM_ANSWER_MEMORY_LIMIT,
	readCustomAnswer,
	sendCustomRequest,
	xmlToJson,
	type CustomAnswer,
	type CustomBody,
	type CustomMethod,
	type CustomRequest,
	type S3Connection,
	type S3ErrorContext,
} from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyPicker, optionsCollection, versionedPicker } from '../common.descriptions';

const METHODS: CustomMethod[] = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];

const nameValueList = (displayName: string, name: string, placeholder: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	placeholder,
	default: {},
	typeOptions: { multipleValues: true },
	description,
	options: [
		{
			displayName: 'Parameter',
			name: 'parameters',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		default: 'GET',
		options: METHODS.map((method) => ({ name: method, value: method })),
		description: 'The HTTP method of the S3 API call. Only GET, HEAD, PUT and DELETE are retried after a failure; POST is sent once.',
	},
	{
		...bucketLocator,
		description:
			'The bucket the request is about; its address follows the credential\'s addressing style. Leave empty for a request to the service itself, e.g. listing buckets.',
	},
	{
		displayName: 'Address',
		name: 'target',
		type: 'options',
		default: 'bucket',
		options: [
			{ name: 'Bucket (or Service)', value: 'bucket', description: 'The bucket itself, e.g. ?versioning or ?tagging; the service when Bucket is empty' },
			{ name: 'Object Key', value: 'key', description: 'An object in the bucket; the key is encoded as S3 expects' },
			{ name: 'Raw Path', value: 'path', description: 'A path below the bucket (or the service), sent exactly as typed' },
		],
	},
	// A request may create the object (PUT), so a new node opens in the typed mode.
	...versionedPicker(
		{
			displayName: 'Key',
			name: 'key',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. reports/2024/summary.csv',
			description: 'The object\'s full key, including any folder prefix',
			displayOptions: { show: { target: ['key'] } },
		},
		{ ...objectKeyPicker, defaultMode: 'key' },
	),
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'e.g. reports/2024/summary%20final.csv?tagging',
		description: 'Percent-encoded path below the bucket\'s address (or the service\'s when Bucket is empty); a query after "?" is added to the query parameters',
		displayOptions: { show: { target: ['path'] } },
	},
	nameValueList(
		'Query Parameters',
		'queryParameters',
		'Add parameter',
		'Query parameters, e.g. name "versioning" with an empty value, or "list-type" = "2". They are signed with the request.',
	),
	nameValueList('Headers', 'headerParameters', 'Add header', 'Request headers, e.g. "x-amz-tagging-directive" = "REPLACE". They are signed with the request.'),
	{
		displayName: 'Body',
		name: 'bodySource',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text', description: 'Text typed here or given by an expression (e.g. an XML document), sent as UTF-8' },
			{ name: 'Binary File', value: 'binary', description: 'A file in a binary field of the input item, streamed' },
		],
		displayOptions: { show: { method: ['PUT', 'POST', 'DELETE'] } },
	},
	{
		displayName: 'Text',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		placeholder: 'e.g. <Tagging><TagSet><Tag><Key>team</Key><Value>data</Value></Tag></TagSet></Tagging>',
		displayOptions: { show: { method: ['PUT', 'POST', 'DELETE'], bodySource: ['text'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field containing the file to send',
		displayOptions: { show: { method: ['PUT', 'POST', 'DELETE'], bodySource: ['binary'] } },
	},
	optionsCollection([
		{
			displayName: 'Body Content Type',
			name: 'contentType',
			type: 'string',
			default: '',
			placeholder: 'e.g. application/xml',
			description:
				'The Content-Type of the body. Defaults to a Content-Type header if given, then to the binary\'s type, or for text to XML, JSON or plain text as the text looks.',
		},
		concurrencyOption,
		{
			displayName: 'Put Output File in Field',
			name: 'outputBinaryField',
			type: 'string',
			default: 'data',
			placeholder: 'e.g. data',
			description: 'The output binary field an answer kept as a file goes to',
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			default: 'auto',
			options: [
				{
					name: 'Autodetect',
					value: 'auto',
					description: 'XML and JSON answers as JSON, text as text, an object\'s content and other bytes as a file',
				},
				{ name: 'File', value: 'file', description: 'The body as a binary file, whatever it holds' },
				{ name: 'JSON', value: 'json', description: 'The body read as XML (or JSON) and returned as JSON' },
				{ name: 'Text', value: 'text', description: 'The body as UTF-8 text' },
			],
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['customApiCall'], operation: ['send'] } }, properties);

/** Header names the signature sets itself; a given one would break or forge it. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'content-length', 'x-amz-date', 'x-amz-security-token']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface NameValue {
	name?: unknown;
	value?: unknown;
}

function pairsOf(this: IExecuteFunctions, parameter: string, itemIndex: number): Array<{ name: string; value: string }> {
	const entries = (this.getNodeParameter(`${parameter}.parameters`, itemIndex, []) as NameValue[]) ?? [];
	return entries
		.map((entry) => ({
			name: String(entry.name ?? '').trim(),
			value: entry.value === undefined || entry.value === null ? '' : typeof entry.value === 'object' ? JSON.stringify(entry.value) : String(entry.value),
		}))
		.filter((entry) => entry.name !== '');
}

function addQuery(query: Record<string, string | string[]>, name: string, value: string) {
	const existing = query[name];
	query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
}

function decodeQueryPart(this: IExecuteFunctions, text: string, itemIndex: number): string {
	try {
		return decodeURIComponent(text);
	} catch {
		throw new NodeOperationError(this.getNode(), `The query "${text}" in "Path" is not valid percent-encoding`, {
			itemIndex,
			description: 'Encode "%" as %25, or give the parameter in "Query Parameters" instead.',
		});
	}
}

/** The request's path and query as the user gave them, checked. */
function addressOf(this: IExecuteFunctions, itemIndex: number, query: Record<string, string | string[]>): Pick<CustomRequest, 'key' | 'rawPath'> {
	const target = this.getNodeParameter('target', itemIndex, 'bucket') as string;
	if (target === 'key') {
		const key = getLocatorText.call(this, 'key', itemIndex, 'Key');
		if (!key) {
			throw new NodeOperationError(this.getNode(), 'No key given', { itemIndex, description: 'Fill in "Key", or choose "Bucket (or Service)" as Address.' });
		}
		return { key };
	}
	if (target !== 'path') return {};
	const given = getText.call(this, 'path', itemIndex, 'Path').trim();
	const [path, search] = given.includes('?') ? [given.slice(0, given.indexOf('?')), given.slice(given.indexOf('?') + 1)] : [given, ''];
	if (!/^[\x21-\x7e]*$/.test(path)) {
		throw new NodeOperationError(this.getNode(), `"Path" holds characters that must be percent-encoded: "${path}"`, {
			itemIndex,
			description: 'Percent-encode spaces and non-ASCII characters (a space is %20), or choose "Object Key" as Address to have the key encoded.',
		});
	}
	for (const part of search.split('&').filter(Boolean)) {
		const at = part.indexOf('=');
		const name = at < 0 ? part : part.slice(0, at);
		addQuery(query, decodeQueryPart.call(this, name, itemIndex), at < 0 ? '' : decodeQueryPart.call(this, part.slice(at + 1), itemIndex));
	}
	return { rawPath: path };
}

/** Content-Type of a text body when none is given: what the text looks like. */
function textContentType(text: string): string {
	const start = text.trimStart();
	if (start.startsWith('<')) return 'application/xml';
	if (start.startsWith('{') || start.startsWith('[')) return 'application/json';
	return 'text/plain; charset=utf-8';
}

async function bodyOf(this: IExecuteFunctions, itemIndex: number, method: string, contentType: string | undefined): Promise<CustomBody | undefined> {
	if (!['PUT', 'POST', 'DELETE'].includes(method)) return undefined;
	const source = this.getNodeParameter('bodySource', itemIndex, 'none') as string;
	if (source === 'text') {
		const bytes = Buffer.from(getText.call(this, 'bodyText', itemIndex, 'Text'), 'utf8');
		return { size: bytes.length, contentType: contentType ?? textContentType(bytes.toString('utf8')), open: async () => bytes };
	}
	if (source === 'binary') {
		const field = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const binary = await binarySourceOf.call(this, itemIndex, field);
		return { size: binary.size, contentType: contentType ?? binary.mimeType, open: binary.open };
	}
	return undefined;
}

/** The file name of a binary answer: the server's (Content-Disposition), else the key's last part. */
function fileNameOf(answer: CustomAnswer, request: CustomRequest): string {
	const disposition = answer.headers['content-disposition'] ?? '';
	const named = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
	if (named) {
		try {
			return decodeURIComponent(named[1] ?? named[2]);
		} catch {
			return named[1] ?? named[2];
		}
	}
	const last = fileNameOfKey(request.key ?? decodeURIComponentSafe(request.rawPath ?? ''));
	return last || 'response';
}

function decodeURIComponentSafe(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** The body read as XML (to JSON) or JSON, as its first character says; undefined when it is neither. */
function parseJsonOrXml(text: string): { value: IDataObject | IDataObject[] } | undefined {
	const start = text.trimStart();
	try {
		if (start.startsWith('<')) return { value: xmlToJson(text) as IDataObject };
		if (start.startsWith('{') || start.startsWith('[')) return { value: JSON.parse(text) as IDataObject };
	} catch {
		return undefined;
	}
	return undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, connection: S3Connection): Promise<INodeExecutionData[]> {
	const method = this.getNodeParameter('method', itemIndex, 'GET') as CustomMethod;
	const bucket = bucketFieldValue(this.getNode(), this.getNodeParameter('bucket', itemIndex, '', { extractValue: true }), 'Bucket', itemIndex) || undefined;
	if (bucket) assertBucketName(this.getNode(), bucket, itemIndex);
	const query: Record<string, string | string[]> = {};
	const address = addressOf.call(this, itemIndex, query);
	for (const { name, value } of pairsOf.call(this, 'queryParameters', itemIndex)) addQuery(query, name, value);
	const headers: Record<string, string> = {};
	for (const { name, value } of pairsOf.call(this, 'headerParameters', itemIndex)) {
		const lower = name.toLowerCase();
		if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(lower)) {
			throw new NodeOperationError(this.getNode(), `The header "${name}" cannot be sent`, {
				itemIndex,
				description: RESERVED_HEADERS.has(lower)
					? `"${name}" is set by the request's signature and length; remove it from Headers.`
					: 'Header names are letters, digits and - (e.g. x-amz-meta-owner).',
			});
		}
		headers[lower] = value;
	}
	const contentType = getText.call(this, 'options.contentType', itemIndex, 'Body Content Type').trim() || headers['content-type'] || undefined;
	const body = await bodyOf.call(this, itemIndex, method, contentType);
	const request: CustomRequest = { method, bucket, ...address, query, headers, body };

	const shown = `${method} ${address.rawPath !== undefined ? `/${address.rawPath.replace(/^\/+/, '')}` : '/'}${Object.keys(query).length ? `?${Object.keys(query).join('&')}` : ''}`;
	const context: S3ErrorContext = {
		action: `send the ${method} request to`,
		bucket,
		key: address.key ?? (address.rawPath ? decodeURIComponentSafe(address.rawPath) : undefined),
		itemIndex,
	};
	const answer = await sendCustomRequest(connection, request, bucket ? context : { ...context, action: `send the request ${shown}` });
	const json: IDataObject = { statusCode: answer.statusCode, headers: answer.headers };
	const format = this.getNodeParameter('options.responseFormat', itemIndex, 'auto') as string;
	const detected = answerKindOf(answer, method);
	const kind = method === 'HEAD' ? 'empty' : format === 'auto' ? detected : format;

	if (kind === 'file') {
		const field = (this.getNodeParameter('options.outputBinaryField', itemIndex, 'data') as string) || 'data';
		const binary = await saveToBinaryStore.call(this, answer.body, fileNameOf(answer, request), answer.headers['content-type'], itemIndex);
		return [{ json, binary: { [field]: binary } }];
	}
	const bytes = await readCustomAnswer(answer);
	if (!bytes) {
		throw new NodeOperationError(this.getNode(), `The answer is larger than ${CUSTOM_ANSWER_MEMORY_LIMIT / 1024 / 1024} MiB, too large to read as ${kind === 'text' ? 'text' : 'JSON'}`, {
			itemIndex,
			description: 'Set Options > Response Format to "File" to keep it as a binary file (streamed, any size).',
		});
	}
	if (bytes.length === 0) return [{ json }];
	const text = bytes.toString('utf8');
	// Autodetect reads text without a content type as XML or JSON when it is either.
	const sniff = kind !== 'text' || (format === 'auto' && !answer.headers['content-type']);
	const parsed = sniff ? parseJsonOrXml(text) : undefined;
	if (parsed) return [{ json: { ...json, body: parsed.value } }];
	if (kind === 'text' || format === 'auto') return [{ json: { ...json, body: text } }];
	throw new NodeOperationError(this.getNode(), 'The answer is neither XML nor JSON', {
		itemIndex,
		description: `It starts with "${text.slice(0, 40)}". Set Options > Response Format to "Text" or "File".`,
	});
}
