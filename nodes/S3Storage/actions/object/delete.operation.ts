import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getBucket, getKey, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyField } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	objectKeyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [concurrencyOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['delete'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	await connection.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { action: 'delete', bucket, key, itemIndex });
	return [{ json: { bucket, key, deleted: true } }];
}
