import {
	DeleteObjectTaggingCommand,
	type DeleteObjectTaggingCommandOutput,
	PutObjectTaggingCommand,
	type PutObjectTaggingCommandOutput,
} from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['deleteTags'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const context = { action: 'delete the tags of', bucket, key, itemIndex };
	let output: DeleteObjectTaggingCommandOutput | PutObjectTaggingCommandOutput | undefined =
		await connection.send(
			new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
			context, { tolerate: [501] },);
	if (!output) {
		// Stores without DeleteObjectTagging (e.g. s3rver) accept an empty tag set instead.
		output = await connection.send(
			new PutObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId, Tagging: { TagSet: [] } }),
			context,
		);
	}
	return [{ json: compact({ bucket, key, versionId: output.VersionId ?? versionId, deleted: true }) }];
}
