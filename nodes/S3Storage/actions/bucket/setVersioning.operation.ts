import { PutBucketVersioningCommand, type BucketVersioningStatus } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Versioning',
		name: 'status',
		type: 'options',
		default: 'Enabled',
		options: [
			{
				name: 'Enable',
				value: 'Enabled',
				description: 'Keep every version of every object: overwrites and deletes keep the old versions',
			},
			{
				name: 'Suspend',
				value: 'Suspended',
				description: 'Stop creating new versions; versions already stored are kept',
			},
		],
		description: 'A bucket cannot go back to unversioned once versioning was enabled; it can only be suspended',
	},
	optionsCollection([concurrencyOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['bucket'], operation: ['setVersioning'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const status = this.getNodeParameter('status', itemIndex, 'Enabled') as BucketVersioningStatus;
	await connection.send(
		new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }),
		{ action: status === 'Enabled' ? 'enable versioning on' : 'suspend versioning on', bucket, itemIndex },
	);
	return [{ json: { bucket, versioning: status } }];
}
