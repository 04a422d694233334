import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, fileNameOfKey, getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, limitField, returnAllField } from '../common.descriptions';
import { folderPathField, toFolderPrefix } from './folderPath';

const properties: INodeProperties[] = [
	bucketLocator,
	folderPathField({
		displayName: 'Parent Folder',
		required: false,
		description: 'List what is directly inside this folder. Leave empty for the top level of the bucket.',
	}),
	returnAllField,
	limitField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [concurrencyOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['folder'], operation: ['getMany'] } }, properties);

/**
 * One level of the tree: sub-folders (common prefixes under "/") and files, in key order, each
 * marked with `type`. The folder's own zero-byte marker is not listed.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const prefix = toFolderPrefix(this.getNodeParameter('folder', itemIndex, ''));
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);

	const results: INodeExecutionData[] = [];
	const pages = connection.listObjectPages(
		{ Bucket: bucket, Prefix: prefix || undefined, Delimiter: '/', MaxKeys: Math.min(limit + 1, 1000) },
		{ action: 'list the folder in', bucket, itemIndex },
	);
	for await (const page of pages) {
		const entries = [
			...(page.CommonPrefixes ?? []).map((common) => ({
				key: common.Prefix ?? '',
				json: { type: 'folder', name: fileNameOfKey(common.Prefix ?? ''), key: common.Prefix, folder: prefix },
			})),
			...(page.Contents ?? [])
				.filter((object) => object.Key !== prefix)
				.map((object) => ({
					key: object.Key ?? '',
					json: compact({
						type: 'file',
						name: fileNameOfKey(object.Key ?? ''),
						key: object.Key,
						folder: prefix,
						size: object.Size,
						lastModified: object.LastModified?.toISOString(),
						etag: object.ETag,
						storageClass: object.StorageClass,
					}),
				})),
		].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		for (const entry of entries) {
			results.push({ json: { bucket, ...entry.json } });
			if (results.length >= limit) return results;
		}
	}
	return results;
}
