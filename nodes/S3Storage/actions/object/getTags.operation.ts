import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import { tagsToObject } from '../../helpers/writeOptions';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['getTags'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const output = await connection.send(
		new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: getVersionId.call(this, itemIndex) }),
		{ action: 'get the tags of', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, key, versionId: output.VersionId, tags: tagsToObject(output.TagSet) }) }];
}
