import { HeadBucketCommand, HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customerKeyParams } from '../../helpers/customerKey';
import { parametersOf } from '../../helpers/parameters';
import { restoreFieldsOf } from '../../helpers/restore';
import { compact, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';
import { customerKeyOption } from './customerKey.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	optionsCollection([
		concurrencyOption,
		customerKeyOption,
		{
			displayName: 'Return Exists: False Instead of Failing',
			name: 'notFoundAsFalse',
			type: 'boolean',
			default: false,
			description:
				'Whether a missing object gives an item with "exists": false instead of an error (a missing bucket is still an error)',
		},
		versionIdOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['getMetadata'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const parameters = parametersOf(this);
	const bucket = parameters.bucket(connection, itemIndex);
	const key = parameters.key(itemIndex);
	const options = parameters.get<{ notFoundAsFalse?: boolean; customerKey?: string }>('options', itemIndex, {});
	const versionId = parameters.versionId(itemIndex);
	const encryption = customerKeyParams(this.getNode(), options.customerKey, 'Customer Key (SSE-C)', itemIndex);
	const command = new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ...encryption });
	const context = { action: 'get the metadata of', bucket, key, itemIndex, customerKey: encryption.SSECustomerKey !== undefined };

	let head: HeadObjectCommandOutput | undefined;
	if (options.notFoundAsFalse) {
		head = await connection.send(command, context, { tolerate: [404] });
		if (!head) {
			// A HEAD answer has no body, so a missing bucket looks like a missing key: ask the bucket.
			await connection.send(new HeadBucketCommand({ Bucket: bucket }), { action: 'get the metadata of', bucket, itemIndex });
			return [{ json: compact({ bucket, key, versionId, exists: false }) }];
		}
	} else {
		head = await connection.send(command, context);
	}

	return [
		{
			json: compact({
				bucket,
				key,
				exists: true,
				size: head.ContentLength,
				contentType: head.ContentType,
				etag: head.ETag,
				lastModified: head.LastModified?.toISOString(),
				// S3 omits the header for the default class.
				storageClass: head.StorageClass ?? 'STANDARD',
				versionId: head.VersionId,
				metadata: head.Metadata ?? {},
				cacheControl: head.CacheControl,
				contentDisposition: head.ContentDisposition,
				contentEncoding: head.ContentEncoding,
				contentLanguage: head.ContentLanguage,
				expires: head.ExpiresString,
				serverSideEncryption: head.ServerSideEncryption,
				kmsKeyId: head.SSEKMSKeyId,
				sseCustomerAlgorithm: head.SSECustomerAlgorithm,
				tagCount: head.TagCount,
				partsCount: head.PartsCount,
				// restore (header text), restoreStatus { inProgress, expiresAt }, archiveStatus: archived objects only.
				...restoreFieldsOf(head),
				objectLockMode: head.ObjectLockMode,
				objectLockRetainUntil: head.ObjectLockRetainUntilDate?.toISOString(),
				legalHold: head.ObjectLockLegalHoldStatus,
			}),
		},
	];
}
