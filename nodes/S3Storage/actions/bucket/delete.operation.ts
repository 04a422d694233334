import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

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
				'Whether to permanently delete every object in the bucket (all versions too) before deleting it. Without this, a non-empty bucket is refused.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['delete'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { emptyFirst?: boolean };
	let objectsDeleted = 0;
	if (options.emptyFirst) {
		objectsDeleted = (await emptyPrefix(connection, bucket, '', itemIndex, { allVersions: true })).deleted;
	}
	await connection.send(new DeleteBucketCommand({ Bucket: bucket }), { action: 'delete', bucket, itemIndex });
	return [{ json: { bucket, deleted: true, ...(options.emptyFirst ? { objectsDeleted } : {}) } }];
}
