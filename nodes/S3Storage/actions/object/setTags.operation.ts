import { PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import { tagSetOf, tagsToObject, type TagEntries } from '../../helpers/writeOptions';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyField, optionsCollection, versionIdOption } from '../common.descriptions';
import { tagsOption } from './writeOptions.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	objectKeyField,
	{
		...tagsOption,
		description: 'The object\'s new tags (at most 10). They replace all existing tags; none given removes them all.',
	},
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['setTags'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const tagSet = tagSetOf.call(this, itemIndex, this.getNodeParameter('tags', itemIndex, {}) as TagEntries);
	const output = await connection.send(
		new PutObjectTaggingCommand({
			Bucket: bucket,
			Key: key,
			VersionId: getVersionId.call(this, itemIndex),
			Tagging: { TagSet: tagSet },
		}),
		{ action: 'set the tags of', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, key, versionId: output.VersionId, tags: tagsToObject(tagSet) }) }];
}
