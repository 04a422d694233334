import { HeadBucketCommand, type HeadBucketCommandOutput } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator } from '../common.descriptions';

const properties: INodeProperties[] = [bucketLocator];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['get'] } }, properties);

/** Reports whether the bucket exists and where; a missing bucket is an answer, not an error. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const head = await connection.sendUnlessNotFound<HeadBucketCommandOutput>(new HeadBucketCommand({ Bucket: bucket }), {
		action: 'read',
		bucket,
		itemIndex,
	});
	if (!head) return [{ json: { bucket, exists: false } }];
	return [{ json: compact({ bucket, exists: true, region: head.BucketRegion ?? connection.resolved.region }) }];
}
