import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { NOT_CONFIGURED, unlessNotConfigured } from '../../helpers/bucketConfiguration';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [bucketLocator, optionsCollection([concurrencyOption])];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['getPolicy'] } }, properties);

/** The bucket policy as a JSON object (what Set Policy takes); a bucket without one gives `hasPolicy: false, policy: null`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const output = await unlessNotConfigured(
		connection.send(new GetBucketPolicyCommand({ Bucket: bucket }), { action: 'read the policy of', bucket, itemIndex }),
		NOT_CONFIGURED.policy,
	);
	const text = output?.Policy;
	if (!text) return [{ json: { bucket, hasPolicy: false, policy: null } }];
	let policy: IDataObject | string;
	try {
		policy = JSON.parse(text) as IDataObject;
	} catch {
		// The server stores the text it was given; shown as it is rather than lost.
		policy = text;
	}
	return [{ json: { bucket, hasPolicy: true, policy } }];
}
