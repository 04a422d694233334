import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { incompleteUploadPages, olderThanHoursOf } from '../../helpers/incompleteUploads';
import { compact, getBucket, getLimit, getText, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, limitField, optionsCollection, returnAllField } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	returnAllField,
	limitField,
	optionsCollection([
		{
			displayName: 'Older Than (Hours)',
			name: 'olderThanHours',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'Only list uploads started at least this many hours ago, e.g. 24. 0 lists uploads of any age.',
		},
		{
			displayName: 'Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'e.g. backups/2024/',
			description: 'Only list uploads of keys that start with this',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['bucket'], operation: ['getManyIncompleteUploads'] } },
	properties,
);

/**
 * One item per multipart upload that was started and never completed or aborted: its key, upload
 * ID, when it started and its age in hours. Bucket > Abort Incomplete Uploads removes them.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const limit = getLimit.call(this, itemIndex);
	const prefix = getText.call(this, 'options.prefix', itemIndex, 'Prefix');
	const olderThanHours = olderThanHoursOf(this.getNode(), this.getNodeParameter('options.olderThanHours', itemIndex, 0), itemIndex);

	const results: INodeExecutionData[] = [];
	for await (const uploads of incompleteUploadPages(connection, bucket, { prefix, olderThanHours }, itemIndex)) {
		for (const upload of uploads) {
			if (results.length >= limit) return results;
			results.push({
				json: compact({
					bucket,
					key: upload.key,
					uploadId: upload.uploadId,
					initiated: upload.initiated?.toISOString(),
					ageHours: upload.ageHours,
					storageClass: upload.storageClass,
				}),
			});
		}
		if (results.length >= limit) break;
	}
	return results;
}
