import { GetBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { lifecycleRulesForOutput, NOT_CONFIGURED, unlessNotConfigured } from '../../helpers/bucketConfiguration';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [bucketLocator, optionsCollection([concurrencyOption])];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['getLifecycle'] } }, properties);

/**
 * The bucket's lifecycle rules as JSON that Set Lifecycle Rules takes back unchanged. A bucket
 * without lifecycle rules gives an empty list; a missing bucket still fails.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const output = await unlessNotConfigured(
		connection.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }), {
			action: 'read the lifecycle rules of',
			bucket,
			itemIndex,
		}),
		NOT_CONFIGURED.lifecycle,
	);
	return [{ json: { bucket, rules: lifecycleRulesForOutput(output?.Rules) } }];
}
