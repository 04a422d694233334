import { GetObjectTaggingCommand, PutObjectTaggingCommand, type Tag } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import { tagSetOf, tagsToObject, type TagEntries } from '../../helpers/writeOptions';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';
import { tagsOption } from './writeOptions.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	{
		...tagsOption,
		description:
			'The object\'s new tags (at most 10 in all). With Mode "Replace" they replace all existing tags, and none given removes them all; with "Merge" they are added to the existing ones.',
	},
	optionsCollection([
		concurrencyOption,
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			default: 'replace',
			description: 'What happens to the tags the object already has',
			options: [
				{ name: 'Merge', value: 'merge', description: 'Add the given tags and update those with the same key; keep the rest' },
				{ name: 'Replace', value: 'replace', description: 'The given tags become all the object\'s tags' },
			],
		},
		versionIdOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['setTags'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const given = tagSetOf.call(this, itemIndex, this.getNodeParameter('tags', itemIndex, {}) as TagEntries);
	const mode = this.getNodeParameter('options.mode', itemIndex, 'replace') as string;
	if (mode !== 'replace' && mode !== 'merge') {
		throw new NodeOperationError(this.getNode(), `The "Mode" of item ${itemIndex} is "${mode}"`, {
			itemIndex,
			description: 'Set "Mode" to "replace" or "merge".',
		});
	}
	let tagSet: Tag[] = given;
	if (mode === 'merge') {
		// S3 has no partial tag update: read the tags, merge, write the whole set back.
		const current = await connection.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }), {
			action: 'get the tags of',
			bucket,
			key,
			itemIndex,
		});
		const merged = new Map((current.TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
		for (const tag of given) merged.set(tag.Key ?? '', tag.Value ?? '');
		if (merged.size > 10) {
			throw new NodeOperationError(
				this.getNode(),
				`Merging gives the object ${merged.size} tags; an object can have at most 10`,
				{ itemIndex, description: `It has ${current.TagSet?.length ?? 0} tags already. Give fewer new keys, or use Mode "Replace".` },
			);
		}
		tagSet = [...merged].map(([Key, Value]) => ({ Key, Value }));
	}
	const output = await connection.send(
		new PutObjectTaggingCommand({
			Bucket: bucket,
			Key: key,
			VersionId: versionId,
			Tagging: { TagSet: tagSet },
		}),
		{ action: 'set the tags of', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, key, versionId: output.VersionId, tags: tagsToObject(tagSet) }) }];
}
