import {
	GetBucketVersioningCommand,
	HeadBucketCommand,
} from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	optionsCollection([concurrencyOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['get'] } }, properties);

/** HTTP answers that mean "this server (or this key) cannot tell the versioning status". */
const VERSIONING_UNKNOWN = new Set(['403', '405', '501']);

/**
 * Reports whether the bucket exists, its region and its versioning status ("Enabled", "Suspended",
 * or "Disabled" when it was never enabled). A missing bucket is an answer, not an error; a server
 * without versioning (or a key not allowed to read it) gives `versioning: null`.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const head = await connection.send(new HeadBucketCommand({ Bucket: bucket }), {
		action: 'read',
		bucket,
		itemIndex,
	}, { tolerate: [404] });
	if (!head) return [{ json: { bucket, exists: false } }];

	// Failures come back from the transport as NodeApiErrors; only "cannot tell" answers become null.
	const versioning = await connection
		.send(new GetBucketVersioningCommand({ Bucket: bucket }), {
			action: 'read the versioning status of',
			bucket,
			itemIndex,
		})
		.then(
			(output): string | null => output.Status ?? 'Disabled',
			async (error: { httpCode?: string | null }) => (VERSIONING_UNKNOWN.has(error.httpCode ?? '') ? null : await Promise.reject(error)),
		);
	return [
		{
			json: compact({
				bucket,
				exists: true,
				region: head.BucketRegion ?? connection.resolved.region,
				versioning,
			}),
		},
	];
}
