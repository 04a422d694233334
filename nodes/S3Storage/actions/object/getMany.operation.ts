import { ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getListingFilter } from '../../helpers/listingFilter';
import { definedOnly, sharedText } from '../../helpers/listingItems';
import { getBucket, getLimit, getText, listingEntries, positiveNumberOf, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { MAX_PRESIGN_EXPIRY_SECONDS, presignGetObject } from '../../transport/presign';
import { bucketLocator, limitField, optionsCollection, returnAllField } from '../common.descriptions';
import { filtersCollection } from '../filters.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	returnAllField,
	limitField,
	filtersCollection('list'),
	optionsCollection([
		{
			displayName: 'Continuation Token',
			name: 'continuationToken',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=',
			description:
				'Continue an earlier listing: the "nextContinuationToken" that the last item of a previous, truncated run carried',
		},
		{
			displayName: 'Delimiter',
			name: 'delimiter',
			type: 'string',
			default: '',
			placeholder: 'e.g. /',
			description:
				'Group keys by this character: keys that contain it after the prefix come back as one folder item ({ key: "photos/", isFolder: true }) instead of one item each',
		},
		{
			displayName: 'Include Presigned URL',
			name: 'includePresignedUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to add a "presignedUrl" to each object: a link anyone can download it with until it expires',
		},
		{
			displayName: 'Max Keys per Request',
			name: 'maxKeys',
			type: 'number',
			default: 1000,
			typeOptions: { minValue: 1, maxValue: 1000 },
			description: 'How many keys each ListObjectsV2 request asks for (S3 returns at most 1,000)',
		},
		{
			displayName: 'Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'e.g. invoices/2024/',
			description: 'Only list keys that start with this',
		},
		{
			displayName: 'Presigned URL Expires In (Seconds)',
			name: 'presignedUrlExpiresIn',
			type: 'number',
			default: 3600,
			typeOptions: { minValue: 1, maxValue: MAX_PRESIGN_EXPIRY_SECONDS },
			description: 'How long each presigned URL works, in seconds, as in Get Presigned URL: at most 604,800 (7 days)',
			hint: 'e.g. 900 = 15 minutes, 3600 = 1 hour, 86400 = 1 day',
			displayOptions: { show: { includePresignedUrl: [true], '@version': [{ _cnd: { gte: 2 } }] } },
		},
		{
			// Version 1 counted minutes; kept so saved workflows still read their value.
			displayName: 'Presigned URL Expiry (Minutes)',
			name: 'presignExpiryMinutes',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1, maxValue: 10080 },
			description: 'How long each presigned URL works (at most 7 days = 10,080 minutes)',
			displayOptions: { show: { includePresignedUrl: [true], '@version': [1] } },
		},
		{
			displayName: 'Start After',
			name: 'startAfter',
			type: 'string',
			default: '',
			placeholder: 'e.g. invoices/2024/0100.pdf',
			description: 'List only keys that sort after this one',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['getMany'] } }, properties);

interface ListOptions {
	includePresignedUrl?: boolean;
	maxKeys?: number;
	presignedUrlExpiresIn?: number;
	/** Version 1's expiry, in minutes. */
	presignExpiryMinutes?: number;
}

/** Seconds each presigned URL works: version 2 asks in seconds, version 1 in minutes. */
function presignedUrlExpiresIn(this: IExecuteFunctions, options: ListOptions, itemIndex: number): number {
	if (this.getNode().typeVersion < 2) {
		const minutes = positiveNumberOf(this.getNode(), options.presignExpiryMinutes ?? 60, 'Presigned URL Expiry (Minutes)', itemIndex, {
			example: 'how many minutes each link works, e.g. 60 (at most 10,080, 7 days)',
		});
		return Math.round(minutes * 60);
	}
	return positiveNumberOf(this.getNode(), options.presignedUrlExpiresIn ?? 3600, 'Presigned URL Expires In (Seconds)', itemIndex, {
		whole: true,
		example: 'how many seconds each link works, e.g. 3600 (at most 604,800, 7 days)',
	});
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const limit = getLimit.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as ListOptions;
	const maxKeys = Math.min(
		positiveNumberOf(this.getNode(), options.maxKeys ?? 1000, 'Max Keys per Request', itemIndex, { whole: true, example: 'a number from 1 to 1,000' }),
		1000,
	);
	const expiresIn = options.includePresignedUrl ? presignedUrlExpiresIn.call(this, options, itemIndex) : 0;
	const text = (name: string, field: string) => getText.call(this, `options.${name}`, itemIndex, field) || undefined;
	const prefix = text('prefix', 'Prefix');
	const delimiter = text('delimiter', 'Delimiter');
	const startAfter = text('startAfter', 'Start After');
	const context = { action: 'list objects in', bucket, itemIndex };
	const filter = getListingFilter.call(this, itemIndex);
	// A key pattern that starts with text lists only under it; one that cannot match under the Prefix lists nothing.
	const listPrefix = filter.narrowPrefix(prefix ?? '', delimiter);
	if (listPrefix === null) return [];

	const results: INodeExecutionData[] = [];
	// Created with the item, not added later: an item then holds both fields in itself (see helpers/listingItems.ts).
	const pairedItem = { item: itemIndex };
	let continuationToken = text('continuationToken', 'Continuation Token')?.trim() || undefined;
	let nextToken: string | undefined;
	do {
		// Each request asks for no more than the limit still needs, so a page never ends past the
		// limit and its continuation token resumes exactly after the last item returned. With a
		// filter, every match needs a listed key, so this never lists more than the filter needs.
		let page: ListObjectsV2CommandOutput | undefined = await connection.send(
			new ListObjectsV2Command({
				Bucket: bucket,
				Prefix: listPrefix || undefined,
				Delimiter: delimiter,
				StartAfter: startAfter,
				ContinuationToken: continuationToken,
				MaxKeys: Math.min(maxKeys, limit - results.length),
			}),
			context,
		);
		for (const entry of listingEntries(page)) {
			if (!filter.keeps(entry)) continue;
			let json: IDataObject;
			if (entry.folder) {
				json = { key: entry.key, isFolder: true };
			} else {
				const { object } = entry;
				json = definedOnly({
					key: object.Key,
					size: object.Size,
					lastModified: object.LastModified?.toISOString(),
					etag: object.ETag,
					storageClass: sharedText(object.StorageClass),
				});
				if (options.includePresignedUrl) {
					const signed = await presignGetObject(connection, { bucket, key: object.Key ?? '', expiresIn, itemIndex });
					json.presignedUrl = signed.url;
					json.presignedUrlExpiresAt = signed.expiresAt;
				}
			}
			results.push({ json, pairedItem });
		}
		nextToken = page.IsTruncated ? page.NextContinuationToken : undefined;
		continuationToken = nextToken;
		// Mapped: the page's parsed objects are not held through the next request.
		page = undefined;
	} while (continuationToken && results.length < limit);

	if (results.length > limit) {
		// Only a server that ignores MaxKeys gets here; its token would skip the items cut off.
		results.length = limit;
		nextToken = undefined;
	}
	// A listing stopped by the limit can be resumed from where it ended.
	if (nextToken && results.length > 0) {
		results[results.length - 1].json.nextContinuationToken = nextToken;
	}
	return results;
}
