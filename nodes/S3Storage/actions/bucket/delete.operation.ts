import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { emptyPrefix } from '../../helpers/bulkDelete';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	optionsCollection([
		concurrencyOption,
		{
			displayName: 'Delete All Objects First',
			name: 'emptyFirst',
			type: 'boolean',
			default: false,
			description:
				'Whether to permanently delete every object in the bucket (all versions and delete markers too) before deleting it. Without this, a non-empty bucket is refused.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['delete'] } }, properties);

/** How many refused entries an error message names before "and N more". */
const FAILURES_NAMED = 3;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { emptyFirst?: boolean };
	let objectsDeleted = 0;
	if (options.emptyFirst) {
		// Each stored entry (object, version, delete marker) is deleted and counted once.
		const emptied = await emptyPrefix(connection, bucket, '', itemIndex, { allVersions: true });
		objectsDeleted = emptied.deleted;
		if (emptied.errors.length > 0) {
			// Deleting the bucket would only fail with "not empty"; say which entries stayed and why.
			const named = emptied.errors
				.slice(0, FAILURES_NAMED)
				.map((error) => `"${error.key}"${error.versionId ? ` (version ${error.versionId})` : ''}: ${error.code}`)
				.join('; ');
			const more = emptied.errors.length > FAILURES_NAMED ? `; and ${emptied.errors.length - FAILURES_NAMED} more` : '';
			throw new NodeOperationError(
				this.getNode(),
				`Bucket "${bucket}" was not deleted: ${emptied.errors.length} of its entries could not be deleted (${named}${more}); ${objectsDeleted} were deleted`,
				{
					itemIndex,
					description:
						'The server refused to delete these objects, e.g. because of a bucket policy, object lock or missing permission. Fix that, then run the node again: what was deleted stays deleted.',
				},
			);
		}
	}
	await connection.send(new DeleteBucketCommand({ Bucket: bucket }), { action: 'delete', bucket, itemIndex });
	return [{ json: { bucket, deleted: true, ...(options.emptyFirst ? { objectsDeleted } : {}) } }];
}
