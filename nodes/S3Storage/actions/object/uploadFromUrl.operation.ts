import type { Readable } from 'node:stream';

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chooseContentType, contentTypeOfKey, underFolder } from '../../helpers/objectData';
import { compact, getBucket, getText, isKeyTooLong, updateDisplayOptions } from '../../helpers/utils';
import { writeParams, type WriteOptions } from '../../helpers/writeOptions';
import {
	DEFAULT_MAX_REDIRECTS,
	DEFAULT_PART_SIZE,
	DEFAULT_QUEUE_SIZE,
	DEFAULT_SOURCE_IDLE_TIMEOUT_MS,
	httpUrlOf,
	readWhole,
	type HttpSourceAuth,
	type S3Connection,
} from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';
import { aclOption, cacheControlOption, contentDispositionOption, doNotOverwriteOption, kmsKeyIdOption, metadataOption, serverSideEncryptionOption, storageClassOption, tagsOption } from './writeOptions.descriptions';
import { customerKeyOption } from './customerKey.descriptions';

const MiB = 1024 * 1024;
/** Plain identifiers as defaults: n8n's lint rules cannot read an expression there. */
const DEFAULT_PART_SIZE_MIB = DEFAULT_PART_SIZE / MiB;
const DEFAULT_IDLE_TIMEOUT_SECONDS = DEFAULT_SOURCE_IDLE_TIMEOUT_MS / 1000;

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/exports/backup.tar.gz',
		description: 'The http:// or https:// address to download (GET). Its body goes straight into the bucket, never through n8n\'s binary storage.',
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		default: '',
		placeholder: 'e.g. backups/backup.tar.gz',
		description: 'The object\'s key. Leave empty to use the URL\'s file name. The Folder option, if set, goes in front.',
	},
	{
		displayName: 'Authentication',
		name: 'urlAuthentication',
		type: 'options',
		default: 'none',
		description: 'How to sign in to the URL\'s server',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Basic Auth', value: 'basic', description: 'A user name and password (Authorization: Basic)' },
			{ name: 'Bearer Token', value: 'bearer', description: 'A token (Authorization: Bearer)' },
		],
	},
	{
		displayName: 'User',
		name: 'urlUser',
		type: 'string',
		default: '',
		displayOptions: { show: { urlAuthentication: ['basic'] } },
	},
	{
		displayName: 'Password',
		name: 'urlPassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: { show: { urlAuthentication: ['basic'] } },
	},
	{
		displayName: 'Token',
		name: 'urlToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: { show: { urlAuthentication: ['bearer'] } },
	},
	{
		displayName: 'Headers',
		name: 'urlHeaders',
		type: 'fixedCollection',
		placeholder: 'Add header',
		default: {},
		typeOptions: { multipleValues: true },
		description: 'Request headers sent with the GET (to the URL\'s own server only, not after a redirect elsewhere)',
		options: [
			{
				displayName: 'Header',
				name: 'headers',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. X-Api-Key' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Accept Self-Signed Certificates',
			name: 'acceptSelfSigned',
			type: 'boolean',
			default: false,
			description: 'Whether to accept an https:// server whose certificate cannot be verified. For test servers only: anyone in between could read or change the download.',
		},
		aclOption,
		cacheControlOption,
		concurrencyOption,
		contentDispositionOption,
		{
			displayName: 'Content Type',
			name: 'contentType',
			type: 'string',
			default: '',
			placeholder: 'e.g. application/gzip',
			description: 'The MIME type stored with the object. Defaults to the type the server sends, then to the type the key\'s extension suggests.',
		},
		customerKeyOption,
		doNotOverwriteOption,
		{
			displayName: 'Folder',
			name: 'folder',
			type: 'string',
			default: '',
			placeholder: 'e.g. imports/2024',
			description: 'Prefix put in front of the key (or of the URL\'s file name when Key is empty), joined with a "/"',
		},
		{
			displayName: 'Idle Timeout (Seconds)',
			name: 'idleTimeout',
			type: 'number',
			default: DEFAULT_IDLE_TIMEOUT_SECONDS,
			typeOptions: { minValue: 1 },
			description: 'Longest wait for the URL\'s server to answer, and between bytes of its body, before the item fails. Connecting may take at most 10 s.',
		},
		kmsKeyIdOption,
		{
			displayName: 'Max Redirects',
			name: 'maxRedirects',
			type: 'number',
			default: DEFAULT_MAX_REDIRECTS,
			typeOptions: { minValue: 0, maxValue: 20 },
			description: 'How many redirects (HTTP 301, 302, 303, 307, 308) to follow',
		},
		metadataOption,
		{
			displayName: 'Parallel Parts',
			name: 'queueSize',
			type: 'number',
			default: DEFAULT_QUEUE_SIZE,
			typeOptions: { minValue: 1, maxValue: 32 },
			description: 'How many parts of one large download are uploaded at the same time',
		},
		{
			displayName: 'Part Size (MiB)',
			name: 'partSizeMiB',
			type: 'number',
			default: DEFAULT_PART_SIZE_MIB,
			typeOptions: { minValue: 5, maxValue: 5120 },
			description:
				'Bodies larger than this go up as a multipart upload in parts of this size. Memory use is at most parts in flight x part size. When the server does not say the size, the object can be at most 10,000 parts.',
		},
		serverSideEncryptionOption,
		storageClassOption,
		tagsOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['uploadFromUrl'] } }, properties);

interface UploadFromUrlOptions extends WriteOptions {
	acceptSelfSigned?: boolean;
	idleTimeout?: number;
	maxRedirects?: number;
	queueSize?: number;
	partSizeMiB?: number;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function headersOf(this: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const entries = (this.getNodeParameter('urlHeaders.headers', itemIndex, []) as Array<{ name?: unknown; value?: unknown }>) ?? [];
	const headers: Record<string, string> = {};
	for (const entry of entries) {
		const name = String(entry.name ?? '').trim();
		const value = String(entry.value ?? '');
		if (!HEADER_NAME.test(name)) {
			throw new NodeOperationError(this.getNode(), `Header name "${name}" cannot be used`, {
				itemIndex,
				description: 'Header names are letters, digits and "-", e.g. "X-Api-Key".',
			});
		}
		if (/[\r\n\0]/.test(value)) {
			throw new NodeOperationError(this.getNode(), `The value of header "${name}" contains a line break`, {
				itemIndex,
				description: 'Header values must be on one line.',
			});
		}
		headers[name.toLowerCase()] = value;
	}
	return headers;
}

function authOf(this: IExecuteFunctions, itemIndex: number): HttpSourceAuth | undefined {
	const mode = this.getNodeParameter('urlAuthentication', itemIndex, 'none') as string;
	if (mode === 'basic') {
		return { type: 'basic', user: getText.call(this, 'urlUser', itemIndex, 'User'), password: getText.call(this, 'urlPassword', itemIndex, 'Password') };
	}
	if (mode === 'bearer') return { type: 'bearer', token: getText.call(this, 'urlToken', itemIndex, 'Token').trim() };
	return undefined;
}

/** The last segment of the URL's path, decoded: "backup.tar.gz" for https://host/x/backup.tar.gz?sig=... */
function fileNameOfUrl(url: URL): string {
	const segment = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const rawUrl = getText.call(this, 'url', itemIndex, 'URL').trim();
	const url = httpUrlOf(rawUrl);
	if (!url) {
		throw new NodeOperationError(this.getNode(), `The URL of item ${itemIndex} is not an http:// or https:// URL`, {
			itemIndex,
			description: 'Give an absolute URL starting with http:// or https://, e.g. https://example.com/files/report.pdf.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as UploadFromUrlOptions;
	const extra = writeParams.call(this, itemIndex, options);
	const headers = headersOf.call(this, itemIndex);
	const auth = authOf.call(this, itemIndex);
	const folder = getText.call(this, 'options.folder', itemIndex, 'Folder');
	const givenType = getText.call(this, 'options.contentType', itemIndex, 'Content Type');
	const name = getText.call(this, 'key', itemIndex, 'Key').trim() || fileNameOfUrl(url);
	if (!name) {
		throw new NodeOperationError(this.getNode(), `No object key given for item ${itemIndex}`, {
			itemIndex,
			description: 'The URL has no file name (its path ends with "/"): fill in "Key", e.g. "imports/data.json".',
		});
	}
	const key = underFolder(folder, name);
	if (isKeyTooLong(key)) {
		throw new NodeOperationError(this.getNode(), 'The object key is longer than 1,024 bytes', {
			itemIndex,
			description: 'S3 keys are at most 1,024 bytes of UTF-8; shorten the key or the folder.',
		});
	}
	const partSize = (options.partSizeMiB ?? DEFAULT_PART_SIZE_MIB) * MiB;
	const context = { action: 'upload', bucket, key, itemIndex };

	// An HTTP error status fails here, before anything is uploaded.
	const source = await connection.openUrl(
		{
			url: rawUrl,
			headers,
			auth,
			maxRedirects: options.maxRedirects,
			acceptSelfSigned: options.acceptSelfSigned,
			idleTimeoutMs: (options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_SECONDS) * 1000,
		},
		context,
	);
	const contentType = chooseContentType(givenType, source.contentType, contentTypeOfKey(key));
	let body: Readable | Buffer = source.body;
	if (source.contentLength !== undefined && source.contentLength <= partSize) {
		// One part at most: read into memory, so it goes up in one PutObject that can be retried.
		try {
			body = await readWhole(source.body);
		} catch (error) {
			return connection.fail(error, context);
		}
	}
	const result = await connection.upload(
		{ Bucket: bucket, Key: key, Body: body, ContentLength: source.contentLength, ContentType: contentType, ...extra },
		{ partSize, queueSize: options.queueSize },
		context,
	);
	return [
		{
			json: compact({
				bucket,
				key,
				size: source.received(),
				contentType,
				etag: result.etag,
				versionId: result.versionId,
				sourceUrl: source.shownUrl,
			}),
		},
	];
}
