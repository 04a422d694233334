import type { Readable } from 'node:stream';

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, updateDisplayOptions } from '../../helpers/utils';
import { DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field containing the file to upload',
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		default: '',
		placeholder: 'e.g. uploads/report.pdf',
		description: 'The object\'s full key. Leave empty to use the file\'s name (under the Folder option, if set).',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			concurrencyOption,
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'string',
				default: '',
				placeholder: 'e.g. application/pdf',
				description: 'The MIME type stored with the object. Defaults to the binary\'s own MIME type.',
			},
			{
				displayName: 'Folder',
				name: 'folder',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoices/2024',
				description: 'Prefix put before the file name when Key is empty',
			},
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
				default: DEFAULT_PART_SIZE / 1024 / 1024,
				typeOptions: { minValue: 5, maxValue: 5120 },
				description:
					'Files larger than this go up as a multipart upload in parts of this size. Memory use is at most parts in flight x part size.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['upload'] } }, properties);

interface UploadOptions {
	contentType?: string;
	folder?: string;
	queueSize?: number;
	partSizeMiB?: number;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const binaryPropertyName = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as UploadOptions;
	const binary = this.helpers.assertBinaryData(itemIndex, binaryPropertyName);

	let key = (this.getNodeParameter('key', itemIndex, '') as string) || binary.fileName || 'file';
	if (!(this.getNodeParameter('key', itemIndex, '') as string) && options.folder) {
		key = `${options.folder.replace(/\/+$/, '')}/${key}`;
	}

	// In filesystem mode the file is streamed from disk; only in-memory binaries are buffers already.
	let body: Readable | Buffer;
	let size: number;
	if (binary.id) {
		body = await this.helpers.getBinaryStream(binary.id);
		size = (await this.helpers.getBinaryMetadata(binary.id)).fileSize;
	} else {
		body = await this.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
		size = body.length;
	}

	const result = await connection.upload(
		{
			Bucket: bucket,
			Key: key,
			Body: body,
			ContentLength: size,
			ContentType: options.contentType || binary.mimeType || 'application/octet-stream',
		},
		{ partSize: (options.partSizeMiB ?? DEFAULT_PART_SIZE / 1024 / 1024) * 1024 * 1024, queueSize: options.queueSize },
		{ action: 'upload', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, key, size, etag: result.etag, versionId: result.versionId }) }];
}
