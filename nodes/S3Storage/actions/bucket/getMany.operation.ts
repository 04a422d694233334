import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getLimit, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { limitField, returnAllField } from '../common.descriptions';

const properties: INodeProperties[] = [returnAllField, limitField];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['getMany'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const limit = getLimit.call(this, itemIndex);
	const output = await connection.send(new ListBucketsCommand({}), {
		action: 'list buckets',
		itemIndex,
	});
	return (output.Buckets ?? []).slice(0, limit).map((bucket) => ({
		json: { name: bucket.Name ?? '', creationDate: bucket.CreationDate?.toISOString() ?? null },
	}));
}
