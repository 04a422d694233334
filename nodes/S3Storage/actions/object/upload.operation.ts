import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	chooseContentType,
	contentTypeOfKey,
	decodeBase64,
	underFolder,
	withUtf8Charset,
} from '../../helpers/objectData';
import { binarySourceOf, type BinarySource } from '../../helpers/binarySource';
import { byteBudgetOf } from '../../helpers/byteBudget';
import { parametersOf, type ExecutionParameters } from '../../helpers/parameters';
import { assertKeyLength, compact, updateDisplayOptions } from '../../helpers/utils';
import { writeParams, type WriteOptions } from '../../helpers/writeOptions';
import { DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';
import {
	aclOption,
	cacheControlOption,
	contentDispositionOption,
	doNotOverwriteOption,
	ifMatchOption,
	kmsKeyIdOption,
	metadataOption,
	serverSideEncryptionOption,
	storageClassOption,
	tagsOption,
} from './writeOptions.descriptions';
import { customerKeyOption } from './customerKey.descriptions';

/** A plain identifier as the default: n8n's lint rules cannot read an expression there. */
const DEFAULT_PART_SIZE_MIB = DEFAULT_PART_SIZE / 1024 / 1024;
/**
 * Items in flight before the default became 16. Without a Concurrency of their own, the items of
 * an execution hold no more body bytes at once than this many large files did (each at most
 * parts in flight x part size): 16 small files fit easily, large ones still go about 8 at a time.
 */
const FORMER_DEFAULT_CONCURRENCY = 8;

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Data Source',
		name: 'dataSource',
		type: 'options',
		default: 'binary',
		description: 'Where the object\'s content comes from',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'A file in a binary field of the input item (streamed, any size)' },
			{ name: 'Text', value: 'text', description: 'Text typed here or given by an expression, stored as UTF-8' },
			{ name: 'Base64', value: 'base64', description: 'Base64-encoded bytes (or a data URL), decoded before upload' },
			{ name: 'JSON', value: 'json', description: 'A JSON value, stored as JSON text' },
		],
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field containing the file to upload',
		displayOptions: { show: { dataSource: ['binary'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		typeOptions: { rows: 4 },
		placeholder: 'e.g. Hello world',
		description: 'The text to store, encoded as UTF-8',
		displayOptions: { show: { dataSource: ['text'] } },
	},
	{
		displayName: 'Base64 Data',
		name: 'base64Data',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		placeholder: 'e.g. aGVsbG8gd29ybGQ=',
		description:
			'The bytes to store, base64-encoded (standard or URL-safe; a "data:&lt;type&gt;;base64," prefix is allowed and gives the content type). Invalid base64 fails the item.',
		displayOptions: { show: { dataSource: ['base64'] } },
	},
	{
		displayName: 'JSON',
		name: 'jsonData',
		type: 'json',
		default: '{}',
		description: 'The JSON value to store; text is checked to be valid JSON and stored as typed',
		displayOptions: { show: { dataSource: ['json'] } },
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		default: '',
		placeholder: 'e.g. uploads/report.pdf',
		description:
			'The object\'s key. For a binary file, leave empty to use the file\'s name. The Folder option, if set, goes in front.',
	},
	optionsCollection([
		aclOption,
		cacheControlOption,
		concurrencyOption,
		contentDispositionOption,
		{
			displayName: 'Content Type',
			name: 'contentType',
			type: 'string',
			default: '',
			placeholder: 'e.g. application/pdf',
			description:
				'The MIME type stored with the object. Defaults to the binary\'s MIME type (or the data URL\'s), then to the type the key\'s extension suggests.',
		},
		customerKeyOption,
		doNotOverwriteOption,
		{
			displayName: 'Folder',
			name: 'folder',
			type: 'string',
			default: '',
			placeholder: 'e.g. invoices/2024',
			description: 'Prefix put in front of the key (or of the file name when Key is empty), joined with a "/"',
		},
		kmsKeyIdOption,
		metadataOption,
		ifMatchOption,
		{
			displayName: 'Parallel Parts',
			name: 'queueSize',
			type: 'number',
			default: DEFAULT_QUEUE_SIZE,
			typeOptions: { minValue: 1, maxValue: 32 },
			description: 'How many parts of one large file are uploaded at the same time',
		},
		{
			displayName: 'Part Size (MiB)',
			name: 'partSizeMiB',
			type: 'number',
			default: DEFAULT_PART_SIZE_MIB,
			typeOptions: { minValue: 5, maxValue: 5120 },
			description:
				'Files larger than this go up as a multipart upload in parts of this size. Memory use is at most parts in flight x part size.',
		},
		serverSideEncryptionOption,
		storageClassOption,
		tagsOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['upload'] } }, properties);

interface UploadOptions extends WriteOptions {
	concurrency?: number;
	queueSize?: number;
	partSizeMiB?: number;
}

interface UploadBody {
	/** The bytes, read once the key is known to be fine. */
	open: BinarySource['open'];
	size: number;
	/** The name the key defaults to (binary files only). */
	fileName?: string;
	/** The data's own content type (the binary's, or a data URL's): preferred to the key's extension. */
	ownType?: string;
	/** Used when neither the options, the data nor the key's extension give a type. */
	fallbackType?: string;
	textual: boolean;
}

async function bodyOf(this: IExecuteFunctions, parameters: ExecutionParameters, itemIndex: number, dataSource: string): Promise<UploadBody> {
	switch (dataSource) {
		case 'text': {
			const text = parameters.get('text', itemIndex, '');
			const data = Buffer.from(typeof text === 'string' ? text : JSON.stringify(text), 'utf8');
			return { open: async () => data, size: data.length, fallbackType: 'text/plain', textual: true };
		}
		case 'base64': {
			const decoded = decodeBase64.call(this, parameters.get('base64Data', itemIndex, ''), itemIndex, 'The base64 data');
			return { open: async () => decoded.data, size: decoded.data.length, ownType: decoded.mimeType, textual: false };
		}
		case 'json': {
			const value = parameters.get('jsonData', itemIndex, '{}');
			let text: string;
			if (typeof value === 'string') {
				try {
					JSON.parse(value);
				} catch (error) {
					throw new NodeOperationError(parameters.node, `The JSON of item ${itemIndex} is not valid: ${(error as Error).message}`, {
						itemIndex,
						description: 'Fix the JSON, or choose the Text data source to store it as plain text.',
					});
				}
				text = value;
			} else {
				text = JSON.stringify(value);
			}
			const data = Buffer.from(text, 'utf8');
			return { open: async () => data, size: data.length, fallbackType: 'application/json', textual: true };
		}
		default: {
			const binaryPropertyName = parameters.get<string>('binaryPropertyName', itemIndex);
			const binary = await binarySourceOf.call(this, itemIndex, binaryPropertyName);
			return { open: binary.open, size: binary.size, fileName: binary.fileName, ownType: binary.mimeType, textual: false };
		}
	}
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const parameters = parametersOf(this);
	const bucket = parameters.bucket(connection, itemIndex);
	const dataSource = parameters.get<string>('dataSource', itemIndex, 'binary');
	const options = parameters.get<UploadOptions>('options', itemIndex, {});
	const extra = writeParams.call(this, itemIndex, options);
	const givenKey = parameters.text('key', itemIndex, 'Key');
	const folder = parameters.text('options.folder', itemIndex, 'Folder');
	const givenType = parameters.text('options.contentType', itemIndex, 'Content Type');
	const source = await bodyOf.call(this, parameters, itemIndex, dataSource);

	const name = givenKey || source.fileName;
	if (!name) {
		throw new NodeOperationError(parameters.node, `No object key given for item ${itemIndex}`, {
			itemIndex,
			description:
				dataSource === 'binary'
					? 'The binary file has no file name: fill in "Key", e.g. "uploads/report.pdf".'
					: 'Fill in "Key" with the object\'s key, e.g. "notes/hello.txt".',
		});
	}
	const key = underFolder(folder, name);
	assertKeyLength(parameters.node, key, itemIndex, { message: 'The object key is longer than 1,024 bytes', shorten: 'the key or the folder' });
	// Given > the data's own type > the key's extension > the data source's default; a generic
	// application/octet-stream counts as no type, so an extension can still say more.
	let contentType = chooseContentType(givenType, source.ownType, contentTypeOfKey(key), source.fallbackType);
	if (source.textual && !givenType.trim()) contentType = withUtf8Charset(contentType);

	const partSize = (options.partSizeMiB ?? DEFAULT_PART_SIZE_MIB) * 1024 * 1024;
	const queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
	// A body up to a part is held whole; a larger one goes up in parts, queueSize of them in memory.
	const release = await byteBudgetOf(
		this,
		options.concurrency === undefined ? FORMER_DEFAULT_CONCURRENCY * queueSize * partSize : Infinity,
	).acquire(source.size <= partSize ? source.size : queueSize * partSize);
	let result;
	try {
		result = await connection.upload(
			{ Bucket: bucket, Key: key, Body: await source.open(), ContentLength: source.size, ContentType: contentType, ...extra },
			{ partSize, queueSize },
			{ action: 'upload', bucket, key, itemIndex },
		);
	} finally {
		release();
	}
	return [{ json: compact({ bucket, key, size: source.size, contentType, etag: result.etag, versionId: result.versionId }) }];
}
