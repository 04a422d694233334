/**
 * The second side of the operations that write with another credential (Object > Transfer, and
 * Folder > Sync when told to): the destination credential's connection and the bucket it writes to.
 * n8n lets a node name each credential type once, so the second slot is its own type.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { DESTINATION_CREDENTIAL_TYPE, getConnection, type S3Connection } from '../transport';
import { getBucket } from './utils';

export interface Destination {
	connection: S3Connection;
	bucket: string;
}

/**
 * The destination credential's connection (its client is cached per credential, so per item this
 * is cheap) and the bucket named by `parameterName`, or that credential's default bucket.
 */
export async function getDestination(this: IExecuteFunctions, itemIndex: number, parameterName = 'destinationBucket', field = 'Destination Bucket'): Promise<Destination> {
	const connection = await getConnection.call(this, DESTINATION_CREDENTIAL_TYPE);
	return { connection, bucket: getBucket.call(this, connection, itemIndex, parameterName, field) };
}

/**
 * Whether two connections reach the same store (endpoint), whoever signs in: there a bucket name
 * is one bucket for every account, so two folders of it may contain each other.
 */
export function sameStore(a: S3Connection, b: S3Connection): boolean {
	return (a.resolved.endpoint ?? 'aws') === (b.resolved.endpoint ?? 'aws');
}
