import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { emptyPrefix, type EmptyPrefixResult } from '../../helpers/bulkDelete';
import { getListingFilter } from '../../helpers/listingFilter';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';
import { filtersCollection } from '../filters.descriptions';
import { folderPathFields, getFolderPrefix } from './folderPath';

const properties: INodeProperties[] = [
	bucketLocator,
	...folderPathFields({
		description:
			'The folder to delete with everything in it, e.g. "reports/2024". A trailing "/" is added if missing. With Filters, only the objects under it that match are deleted.',
	}),
	filtersCollection('delete'),
	optionsCollection([
		concurrencyOption,
		{
			displayName: 'Delete All Versions',
			name: 'allVersions',
			type: 'boolean',
			default: false,
			description:
				'Whether to also permanently delete older versions and delete markers under the folder (versioned buckets). Without this, a versioned bucket keeps the old versions.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['folder'], operation: ['delete'] } }, properties);

/**
 * Permanently deletes every object under the folder (with Filters, every matching one), one listing page at a time, each page sent as
 * one DeleteObjects request (at most 1,000 keys) with a few in flight; nothing is listed up front.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const prefix = getFolderPrefix.call(this, itemIndex, 'delete');
	const options = this.getNodeParameter('options', itemIndex, {}) as { allVersions?: boolean };
	const filter = getListingFilter.call(this, itemIndex);
	// A key pattern that starts with text lists only under it; one that cannot match in the folder deletes nothing.
	const listPrefix = filter.narrowPrefix(prefix);
	const result: EmptyPrefixResult =
		listPrefix === null
			? { deleted: 0, errors: [], skipped: 0, deletedKeys: [], deletedKeysTruncated: false }
			: await emptyPrefix(connection, bucket, listPrefix, itemIndex, {
					allVersions: options.allVersions === true,
					only: filter.active ? filter.matches : undefined,
				});
	return [
		{
			json: {
				bucket,
				folder: prefix,
				deleted: result.errors.length === 0,
				objectsDeleted: result.deleted,
				failed: result.errors.length,
				// Without a filter the output stays as it always was; with one, it says what was kept and names what went.
				...(filter.active
					? {
							objectsSkipped: result.skipped,
							deletedKeys: result.deletedKeys,
							...(result.deletedKeysTruncated ? { deletedKeysTruncated: true } : {}),
						}
					: {}),
				...(result.errors.length
					? {
							errors: result.errors.map((error) => ({
								key: error.key,
								...(error.versionId ? { versionId: error.versionId } : {}),
								code: error.code,
								message: error.message,
							})),
						}
					: {}),
			},
		},
	];
}
