import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getDestination } from '../../helpers/destination';
import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import { placementParams, type WriteOptions } from '../../helpers/writeOptions';
import { DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, transferObject, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyPicker, optionsCollection, versionedPicker, versionIdOption } from '../common.descriptions';
import { aclOption, doNotOverwriteOption, kmsKeyIdOption, serverSideEncryptionOption, storageClassOption } from './writeOptions.descriptions';

const MiB = 1024 * 1024;
/** A plain identifier as the default: n8n's lint rules cannot read an expression there. */
const DEFAULT_PART_SIZE_MIB = DEFAULT_PART_SIZE / MiB;

const properties: INodeProperties[] = [
	{
		displayName: 'The object is read with the node\'s credential and written with the "Destination" credential, which may be another account, provider or server',
		name: 'transferNotice',
		type: 'notice',
		default: '',
	},
	{
		...bucketLocator,
		displayName: 'Source Bucket',
		name: 'bucket',
		description: 'The bucket to read from, with the node\'s credential. Leave empty to use that credential\'s default bucket.',
	},
	...versionedPicker(
		{
			displayName: 'Source Key',
			name: 'key',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. exports/2024/archive.zip',
			description: 'The key of the object to transfer',
		},
		objectKeyPicker,
	),
	{
		displayName: 'Destination Bucket',
		name: 'destinationBucket',
		type: 'string',
		default: '',
		placeholder: 'e.g. backup-bucket',
		description: 'The bucket to write to, with the destination credential. Leave empty to use that credential\'s default bucket.',
	},
	{
		displayName: 'Destination Key',
		name: 'destinationKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. imports/archive.zip',
		description: 'The key of the new object. Leave empty to keep the source key.',
	},
	optionsCollection([
		aclOption,
		concurrencyOption,
		doNotOverwriteOption,
		{
			displayName: 'Keep Metadata and Tags',
			name: 'keepMetadata',
			type: 'boolean',
			default: true,
			description:
				'Whether the new object gets the source\'s content type, user metadata, cache control, content disposition, encoding, language and tags. Off: none of them.',
		},
		kmsKeyIdOption,
		{
			displayName: 'Parallel Parts',
			name: 'queueSize',
			type: 'number',
			default: DEFAULT_QUEUE_SIZE,
			typeOptions: { minValue: 1, maxValue: 32 },
			description: 'How many parts of one large object are copied at the same time (each read as a range of the source and written as one part)',
		},
		{
			displayName: 'Part Size (MiB)',
			name: 'partSizeMiB',
			type: 'number',
			default: DEFAULT_PART_SIZE_MIB,
			typeOptions: { minValue: 5, maxValue: 5120 },
			description:
				'Objects larger than this are copied in parts of this size (raised automatically above 10,000 parts); smaller ones in one request. Memory use is at most Parallel Parts x part size.',
		},
		serverSideEncryptionOption,
		{ ...versionIdOption, displayName: 'Source Version ID', name: 'sourceVersionId', description: 'Transfer this version of the source object instead of the current one' },
		storageClassOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['transfer'] } }, properties);

interface TransferOptions extends WriteOptions {
	keepMetadata?: boolean;
	queueSize?: number;
	partSizeMiB?: number;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const sourceBucket = getBucket.call(this, connection, itemIndex, 'bucket', 'Source Bucket');
	const sourceKey = getKey.call(this, itemIndex, 'key', 'Source Key');
	const options = this.getNodeParameter('options', itemIndex, {}) as TransferOptions;
	const sourceVersionId = getVersionId.call(this, itemIndex, 'sourceVersionId', 'Source Version ID');
	const { connection: destination, bucket } = await getDestination.call(this, itemIndex);
	const key = (this.getNodeParameter('destinationKey', itemIndex, '') as string) ? getKey.call(this, itemIndex, 'destinationKey', 'Destination Key') : sourceKey;

	const result = await transferObject(
		connection,
		destination,
		{
			sourceBucket,
			sourceKey,
			sourceVersionId,
			bucket,
			key,
			keepMetadata: options.keepMetadata ?? true,
			placement: placementParams(options),
			doNotOverwrite: options.doNotOverwrite ?? false,
		},
		{ partSize: (options.partSizeMiB ?? DEFAULT_PART_SIZE_MIB) * MiB, queueSize: options.queueSize },
		itemIndex,
	);
	return [
		{
			json: compact({
				sourceBucket,
				sourceKey,
				sourceVersionId: result.sourceVersionId,
				bucket,
				key,
				size: result.size,
				etag: result.etag,
				versionId: result.versionId,
				method: result.method,
			}),
		},
	];
}
