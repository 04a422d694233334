import { PutBucketEncryptionCommand, type ServerSideEncryption } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { compact, getBucket, getText, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const ALGORITHMS = ['AES256', 'aws:kms'] as const;

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Encryption',
		name: 'encryption',
		type: 'options',
		default: 'AES256',
		options: [
			{
				name: 'S3-Managed Keys (SSE-S3, AES256)',
				value: 'AES256',
				description: 'The server encrypts each new object with keys it manages itself',
			},
			{
				name: 'KMS Key (SSE-KMS)',
				value: 'aws:kms',
				description: 'The server encrypts each new object with a key from its key management service',
			},
		],
		description: 'How new objects are encrypted when an upload does not say. Objects already stored are not changed.',
	},
	{
		displayName: 'KMS Key ID',
		name: 'kmsKeyId',
		type: 'string',
		default: '',
		placeholder: 'e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
		description: 'The key to encrypt with: on Amazon S3 its ID, alias or ARN; elsewhere a key the server\'s key management service knows. Empty: the server\'s default key, where it has one.',
		displayOptions: { show: { encryption: ['aws:kms'] } },
	},
	optionsCollection([
		{
			displayName: 'Bucket Key',
			name: 'bucketKeyEnabled',
			type: 'boolean',
			default: false,
			description: 'Whether to use a bucket-level key derived from the KMS key, which cuts requests to the key service (KMS only)',
			displayOptions: { show: { '/encryption': ['aws:kms'] } },
		},
		concurrencyOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['setEncryption'] } }, properties);

/** Sets how the bucket encrypts new objects by default. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const encryption = this.getNodeParameter('encryption', itemIndex, 'AES256') as string;
	if (!(ALGORITHMS as readonly string[]).includes(encryption)) {
		throw new NodeOperationError(this.getNode(), `The "Encryption" of item ${itemIndex} is ${JSON.stringify(encryption)}; it must be "AES256" or "aws:kms"`, {
			itemIndex,
			description: 'Choose S3-Managed Keys (AES256) or KMS Key (aws:kms).',
		});
	}
	const kms = encryption === 'aws:kms';
	const kmsKeyId = kms ? getText.call(this, 'kmsKeyId', itemIndex, 'KMS Key ID').trim() || undefined : undefined;
	const bucketKeyEnabled = kms ? (this.getNodeParameter('options.bucketKeyEnabled', itemIndex, false) as boolean) : undefined;
	await connection.send(
		new PutBucketEncryptionCommand({
			Bucket: bucket,
			ServerSideEncryptionConfiguration: {
				Rules: [
					{
						ApplyServerSideEncryptionByDefault: { SSEAlgorithm: encryption as ServerSideEncryption, KMSMasterKeyID: kmsKeyId },
						...(bucketKeyEnabled ? { BucketKeyEnabled: true } : {}),
					},
				],
			},
		}),
		{ action: `set the default encryption (${encryption}) of`, bucket, itemIndex, encryption },
	);
	return [{ json: compact({ bucket, encryption, kmsKeyId, bucketKeyEnabled }) }];
}
