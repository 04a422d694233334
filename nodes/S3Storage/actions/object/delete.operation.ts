import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { parametersOf } from '../../helpers/parameters';
import { compact, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	optionsCollection([
		concurrencyOption,
		{
			...versionIdOption,
			description:
				'Permanently delete this version of the object (see Get Many Versions). Without it, a versioned bucket keeps the old versions and adds a delete marker.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['delete'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const parameters = parametersOf(this);
	const bucket = parameters.bucket(connection, itemIndex);
	const key = parameters.key(itemIndex);
	const versionId = parameters.versionId(itemIndex);
	const output = await connection.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }), {
		action: 'delete',
		bucket,
		key,
		itemIndex,
	});
	return [
		{
			json: compact({
				bucket,
				key,
				versionId,
				deleted: true,
				// In a versioned bucket a delete without a version ID adds a delete marker.
				deleteMarker: output.DeleteMarker,
				deleteMarkerVersionId: !versionId && output.DeleteMarker ? output.VersionId : undefined,
			}),
		},
	];
}
