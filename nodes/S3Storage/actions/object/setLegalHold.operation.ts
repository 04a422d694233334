import { PutObjectLegalHoldCommand, type ObjectLockLegalHoldStatus } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	{
		displayName: 'Legal Hold',
		name: 'legalHold',
		type: 'options',
		default: 'ON',
		description: 'Works only in a bucket created with Object Lock',
		options: [
			{ name: 'On', value: 'ON', description: 'The object version cannot be deleted or overwritten until the hold is off, with no end date' },
			{ name: 'Off', value: 'OFF', description: 'Remove the hold (any retention still applies)' },
		],
	},
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['setLegalHold'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const status = this.getNodeParameter('legalHold', itemIndex, 'ON') as string;
	if (status !== 'ON' && status !== 'OFF') {
		throw new NodeOperationError(this.getNode(), `The "Legal Hold" of item ${itemIndex} is "${status}"`, {
			itemIndex,
			description: 'Set "Legal Hold" to ON or OFF.',
		});
	}
	await connection.send(
		new PutObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: versionId, LegalHold: { Status: status as ObjectLockLegalHoldStatus } }),
		{ action: 'set the legal hold of', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, key, versionId, legalHold: status }) }];
}
