import { GetBucketCorsCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asJson, NOT_CONFIGURED, unlessNotConfigured } from '../../helpers/bucketConfiguration';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [bucketLocator, optionsCollection([concurrencyOption])];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['getCors'] } }, properties);

/** The bucket's CORS rules as JSON that Set CORS Rules takes back; a bucket without CORS rules gives an empty list. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const output = await unlessNotConfigured(
		connection.send(new GetBucketCorsCommand({ Bucket: bucket }), { action: 'read the CORS rules of', bucket, itemIndex }),
		NOT_CONFIGURED.cors,
	);
	return [{ json: { bucket, rules: asJson(output?.CORSRules) } }];
}
