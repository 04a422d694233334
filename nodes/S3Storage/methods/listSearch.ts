import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../transport';

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
