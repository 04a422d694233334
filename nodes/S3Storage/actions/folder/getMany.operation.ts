import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getListingFilter } from '../../helpers/listingFilter';
import { definedOnly, sharedText } from '../../helpers/listingItems';
import { fileNameOfKey, getBucket, getLimit, listingEntries, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, limitField, optionsCollection, returnAllField } from '../common.descriptions';
import { filtersCollection } from '../filters.descriptions';
import { folderPathFields, readFolderPrefix } from './folderPath';

const properties: INodeProperties[] = [
	bucketLocator,
	...folderPathFields({
		displayName: 'Parent Folder',
		required: false,
		description: 'List what is directly inside this folder. Leave empty for the top level of the bucket.',
	}),
	returnAllField,
	limitField,
	filtersCollection('list'),
	optionsCollection([concurrencyOption]),
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
	const prefix = readFolderPrefix.call(this, itemIndex, 'Parent Folder');
	const limit = getLimit.call(this, itemIndex);
	const filter = getListingFilter.call(this, itemIndex);
	// A key pattern that starts with text lists only under it (still one level: never past a "/").
	const listPrefix = filter.narrowPrefix(prefix, '/');
	if (listPrefix === null) return [];

	const results: INodeExecutionData[] = [];
	// Created with the item, not added later: an item then holds both fields in itself (see helpers/listingItems.ts).
	const pairedItem = { item: itemIndex };
	const pages = connection.listObjectPages(
		{ Bucket: bucket, Prefix: listPrefix || undefined, Delimiter: '/', MaxKeys: Math.min(limit + 1, 1000) },
		{ action: 'list the folder in', bucket, itemIndex },
	);
	for await (const page of pages) {
		for (const entry of listingEntries(page)) {
			if (!filter.keeps(entry)) continue;
			if (entry.folder) {
				results.push({ json: { bucket, type: 'folder', name: fileNameOfKey(entry.key), key: entry.key, folder: prefix }, pairedItem });
			} else {
				const { object } = entry;
				if (object.Key === prefix) continue;
				results.push({
					json: definedOnly({
						bucket,
						type: 'file',
						name: fileNameOfKey(object.Key ?? ''),
						key: object.Key,
						folder: prefix,
						size: object.Size,
						lastModified: object.LastModified?.toISOString(),
						etag: object.ETag,
						storageClass: sharedText(object.StorageClass),
					}),
					pairedItem,
				});
			}
			if (results.length >= limit) return results;
		}
	}
	return results;
}
