import { DeleteBucketCorsCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [bucketLocator, optionsCollection([concurrencyOption])];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['deleteCors'] } }, properties);

/** Removes every CORS rule: browsers on other sites may no longer call the bucket. A bucket without rules is fine. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	await connection.send(new DeleteBucketCorsCommand({ Bucket: bucket }), { action: 'delete the CORS rules of', bucket, itemIndex });
	return [{ json: { bucket, deleted: true } }];
}
