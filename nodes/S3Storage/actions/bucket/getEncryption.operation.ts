import { GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { NOT_CONFIGURED, unlessNotConfigured } from '../../helpers/bucketConfiguration';
import { compact, getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [bucketLocator, optionsCollection([concurrencyOption])];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['getEncryption'] } }, properties);

/**
 * How the bucket encrypts new objects by default: "AES256" (keys the server manages) or "aws:kms"
 * with its key ID, in the fields Set Default Encryption takes; `encryption: null` when it has no default.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const output = await unlessNotConfigured(
		connection.send(new GetBucketEncryptionCommand({ Bucket: bucket }), { action: 'read the default encryption of', bucket, itemIndex }),
		NOT_CONFIGURED.encryption,
	);
	// Some servers answer a bucket without a default with an empty configuration rather than an error.
	const rule = output?.ServerSideEncryptionConfiguration?.Rules?.[0];
	const byDefault = rule?.ApplyServerSideEncryptionByDefault;
	if (!byDefault?.SSEAlgorithm) return [{ json: { bucket, encryption: null } }];
	return [
		{
			json: compact({
				bucket,
				encryption: byDefault.SSEAlgorithm,
				kmsKeyId: byDefault.KMSMasterKeyID,
				bucketKeyEnabled: rule?.BucketKeyEnabled,
			}),
		},
	];
}
