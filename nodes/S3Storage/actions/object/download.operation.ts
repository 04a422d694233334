import type { Readable } from 'node:stream';

import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, fileNameOfKey, getBucket, getKey, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyField } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	objectKeyField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the output binary field to put the file in',
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
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. report.pdf',
				description: 'The binary\'s file name. Defaults to the last part of the key.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['download'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const binaryPropertyName = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as { fileName?: string };

	const response = await connection.send<GetObjectCommandOutput>(new GetObjectCommand({ Bucket: bucket, Key: key }), {
		action: 'download',
		bucket,
		key,
		itemIndex,
	});
	// The body is streamed into n8n's binary store; in filesystem mode it goes to disk as it arrives.
	const binary = await this.helpers.prepareBinaryData(
		response.Body as Readable,
		options.fileName || fileNameOfKey(key),
		response.ContentType || undefined,
	);
	return [
		{
			json: compact({
				bucket,
				key,
				size: response.ContentLength,
				contentType: response.ContentType,
				etag: response.ETag,
				lastModified: response.LastModified?.toISOString(),
				versionId: response.VersionId,
			}),
			binary: { [binaryPropertyName]: binary },
		},
	];
}
