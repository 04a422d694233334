import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, limitField, returnAllField } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	returnAllField,
	limitField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Prefix',
				name: 'prefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. invoices/2024/',
				description: 'Only list keys that start with this',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['getMany'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const options = this.getNodeParameter('options', itemIndex, {}) as { prefix?: string };

	const results: INodeExecutionData[] = [];
	const pages = connection.listObjectPages(
		{ Bucket: bucket, Prefix: options.prefix || undefined, MaxKeys: Math.min(limit, 1000) },
		{ action: 'list objects in', bucket, itemIndex },
	);
	for await (const page of pages) {
		for (const object of page.Contents ?? []) {
			results.push({
				json: compact({
					key: object.Key,
					size: object.Size,
					lastModified: object.LastModified?.toISOString(),
					etag: object.ETag,
					storageClass: object.StorageClass,
				}),
			});
			if (results.length >= limit) return results;
		}
	}
	return results;
}
