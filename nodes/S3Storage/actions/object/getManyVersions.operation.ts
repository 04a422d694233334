import type { ObjectVersion, DeleteMarkerEntry } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, getLimit, getText, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, limitField, optionsCollection, returnAllField } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Key or Prefix',
		name: 'prefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. reports/summary.csv',
		description: 'List the versions of keys starting with this. Leave empty for every key in the bucket.',
	},
	returnAllField,
	limitField,
	optionsCollection([
		{
			displayName: 'Exact Key Only',
			name: 'exactKey',
			type: 'boolean',
			default: false,
			description: 'Whether to list only the versions of the object whose key is exactly "Key or Prefix" (not of longer keys that start with it)',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['getManyVersions'] } }, properties);

type Entry = { marker: false; version: ObjectVersion } | { marker: true; version: DeleteMarkerEntry };

function compareEntries(a: Entry, b: Entry): number {
	const keyA = a.version.Key ?? '';
	const keyB = b.version.Key ?? '';
	if (keyA !== keyB) return keyA < keyB ? -1 : 1;
	// Newest first within a key, as S3 lists them.
	const byTime = (b.version.LastModified?.getTime() ?? 0) - (a.version.LastModified?.getTime() ?? 0);
	return byTime !== 0 ? byTime : Number(Boolean(b.version.IsLatest)) - Number(Boolean(a.version.IsLatest));
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const prefix = getText.call(this, 'prefix', itemIndex, 'Key or Prefix');
	const limit = getLimit.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { exactKey?: boolean };
	const exactKey = Boolean(options.exactKey && prefix);

	const results: INodeExecutionData[] = [];
	const pages = connection.listVersionPages(
		{ Bucket: bucket, Prefix: prefix || undefined, MaxKeys: exactKey ? 1000 : Math.min(limit, 1000) },
		{ action: 'list object versions in', bucket, itemIndex },
	);
	for await (const page of pages) {
		const entries: Entry[] = [
			...(page.Versions ?? []).map((version) => ({ marker: false as const, version })),
			...(page.DeleteMarkers ?? []).map((version) => ({ marker: true as const, version })),
		].sort(compareEntries);
		for (const entry of entries) {
			const { version } = entry;
			if (exactKey && version.Key !== prefix) {
				// Keys come sorted, and the exact key sorts before every longer one: nothing more to find.
				if ((version.Key ?? '') > prefix) return results;
				continue;
			}
			results.push({
				json: compact({
					key: version.Key,
					versionId: version.VersionId,
					isLatest: version.IsLatest,
					isDeleteMarker: entry.marker,
					lastModified: version.LastModified?.toISOString(),
					size: entry.marker ? undefined : entry.version.Size,
					etag: entry.marker ? undefined : entry.version.ETag,
					storageClass: entry.marker ? undefined : entry.version.StorageClass,
				}),
			});
			if (results.length >= limit) return results;
		}
	}
	return results;
}
