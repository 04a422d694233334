import { ListBucketsCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveBucket } from '../helpers/utils';
import { getConnection, type S3Connection } from '../transport';

/** "From list" for every bucket field: the credential's buckets, filtered as the user types. */
export async function searchBuckets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const connection = await getConnection.call(this);
	const output = await connection.send(new ListBucketsCommand({}), { action: 'list buckets' });
	const needle = filter?.toLowerCase() ?? '';
	return {
		results: (output.Buckets ?? [])
			.map((bucket) => bucket.Name ?? '')
			.filter((name) => name && name.toLowerCase().includes(needle))
			.sort()
			.map((name) => ({ name, value: name })),
	};
}

/**
 * Entries asked for per page of a key or folder list: enough to fill the dropdown a few times over
 * without making the user wait for S3's 1,000. Scrolling down asks for the next page.
 */
export const LIST_SEARCH_PAGE_SIZE = 100;

/** Listing requests one folder search may make to find a folder among pages of plain objects. */
const FOLDER_SEARCH_MAX_REQUESTS = 5;

/**
 * The bucket chosen in the node being edited: the Bucket field's value (from the list or typed),
 * else the credential's default bucket. An expression cannot be resolved while editing.
 */
function chosenBucket(this: ILoadOptionsFunctions, connection: S3Connection): string {
	const value = this.getCurrentNodeParameter('bucket', { extractValue: true });
	if (typeof value === 'string' && value.startsWith('=')) {
		throw new NodeOperationError(this.getNode(), 'The bucket is an expression, so there is nothing to list yet', {
			description: 'Choose the bucket from the list or type its name to browse it, or type the key here ("By Key").',
		});
	}
	return resolveBucket(this.getNode(), value, connection.defaultBucket, 'node');
}

/** One page of what is directly under `prefix` (what the user typed so far), one level deep. */
async function listLevel(connection: S3Connection, bucket: string, prefix: string, token?: string): Promise<ListObjectsV2CommandOutput> {
	return await connection.send(
		new ListObjectsV2Command({
			Bucket: bucket,
			Prefix: prefix || undefined,
			Delimiter: '/',
			MaxKeys: LIST_SEARCH_PAGE_SIZE,
			ContinuationToken: token || undefined,
		}),
		{ action: 'list the keys in', bucket },
	);
}

function nextToken(page: ListObjectsV2CommandOutput): string | undefined {
	return page.IsTruncated ? page.NextContinuationToken : undefined;
}

function folderItems(page: ListObjectsV2CommandOutput): INodeListSearchItems[] {
	return (page.CommonPrefixes ?? [])
		.map((entry) => entry.Prefix ?? '')
		.filter(Boolean)
		.map((prefix) => ({ name: prefix, value: prefix, description: 'Folder: type its path to see inside' }));
}

/**
 * "From list" for object keys: what the typed text is a prefix of, one folder level at a time
 * (typing "reports/" shows what is in reports/), folders first, then objects, a page at a time.
 * S3 lists both in one key order, so "folders first" holds within each page.
 */
export async function searchObjectKeys(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const connection = await getConnection.call(this);
	const bucket = chosenBucket.call(this, connection);
	const prefix = filter ?? '';
	const page = await listLevel(connection, bucket, prefix, paginationToken);
	const objects = (page.Contents ?? [])
		.map((object) => object.Key ?? '')
		// The marker object of the folder being browsed ("reports/" while in reports/) is the folder itself.
		.filter((key) => key !== '' && !(key === prefix && key.endsWith('/')))
		.map((key) => ({ name: key, value: key }));
	return { results: [...folderItems(page), ...objects], paginationToken: nextToken(page) };
}

/**
 * "From list" for folders: the folders (common prefixes) under what was typed, a level at a time.
 * A page may hold only objects; a few more are read so the user sees folders rather than an empty list.
 */
export async function searchFolders(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const connection = await getConnection.call(this);
	const bucket = chosenBucket.call(this, connection);
	const results: INodeListSearchItems[] = [];
	let token = paginationToken;
	for (let request = 0; request < FOLDER_SEARCH_MAX_REQUESTS; request++) {
		const page = await listLevel(connection, bucket, filter ?? '', token);
		results.push(...folderItems(page));
		token = nextToken(page);
		if (!token || results.length > 0) break;
	}
	return { results, paginationToken: token };
}
