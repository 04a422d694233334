import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { emptyPrefix } from '../../helpers/bulkDelete';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';
import { folderPathField, getFolderPrefix } from './folderPath';

const properties: INodeProperties[] = [
	bucketLocator,
	folderPathField({
		description: 'The folder to delete with everything in it, e.g. "reports/2024". A trailing "/" is added if missing.',
	}),
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
 * Permanently deletes every object under the folder, one listing page at a time, each page sent as
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
	const result = await emptyPrefix(connection, bucket, prefix, itemIndex, { allVersions: options.allVersions === true });
	return [
		{
			json: {
				bucket,
				folder: prefix,
				deleted: result.errors.length === 0,
				objectsDeleted: result.deleted,
				failed: result.errors.length,
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
