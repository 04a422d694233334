import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { POLICY_EXAMPLE, policyDocumentOf } from '../../helpers/bucketConfiguration';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const POLICY_FIELD = 'Policy (JSON)';

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: POLICY_FIELD,
		name: 'policy',
		type: 'json',
		default: '{\n  "Version": "2012-10-17",\n  "Statement": []\n}',
		required: true,
		description:
			`The bucket policy document: who may do what to the bucket and its objects. Replaces any policy the bucket has. The output of Get Policy fits here. Example: ${POLICY_EXAMPLE}`,
	},
	optionsCollection([concurrencyOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['setPolicy'] } }, properties);

/** Replaces the bucket policy; text that is not a JSON policy is refused before any request. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const policy = policyDocumentOf(this.getNode(), this.getNodeParameter('policy', itemIndex, ''), POLICY_FIELD, itemIndex);
	await connection.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }), { action: 'set the policy of', bucket, itemIndex });
	return [{ json: { bucket, policy: JSON.parse(policy) as IDataObject } }];
}
