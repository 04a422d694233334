/**
 * Copy and Move share their fields and their work (so both live here, next to the two operations):
 * Move is a copy followed by deleting the source, and only once the copy has succeeded. The
 * server-side copy itself is the transport's S3Connection.copyObject.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { bucketFieldValue, compact, getBucket, getKey, getText, getVersionId, resolveBucket } from '../../helpers/utils';
import { copySourceCustomerKeyParams, customerKeyParams } from '../../helpers/customerKey';
import { metadataOf, placementParams, type MetadataEntries, type WriteOptions } from '../../helpers/writeOptions';
import { DEFAULT_COPY_PART_SIZE, DEFAULT_QUEUE_SIZE, MAX_COPY_OBJECT_SIZE, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyPicker, optionsCollection, versionedPicker, versionIdOption } from '../common.descriptions';
import { destinationCustomerKeyOption, sourceCustomerKeyOption } from './customerKey.descriptions';
import { aclOption, kmsKeyIdOption, metadataOption, serverSideEncryptionOption, storageClassOption } from './writeOptions.descriptions';

const MiB = 1024 * 1024;
/** Plain identifiers as defaults: n8n's lint rules cannot read an expression there. */
const MULTIPART_THRESHOLD_MIB = MAX_COPY_OBJECT_SIZE / MiB;
const DEFAULT_COPY_PART_SIZE_MIB = DEFAULT_COPY_PART_SIZE / MiB;

export type CopyKind = 'copy' | 'move';

/** The fields of Copy or Move (without display options; the operation adds them). */
export function copyOrMoveProperties(kind: CopyKind): INodeProperties[] {
	const verb = kind === 'copy' ? 'copy' : 'move';
	return [
		{
			...bucketLocator,
			displayName: 'Source Bucket',
			name: 'bucket',
			description: `The bucket to ${verb} from. Leave empty to use the credential's default bucket.`,
		},
		...versionedPicker(
			{
				displayName: 'Source Key',
				name: 'key',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. inbox/report.pdf',
				description: `The key of the object to ${verb}`,
			},
			objectKeyPicker,
		),
		{
			...bucketLocator,
			displayName: 'Destination Bucket',
			name: 'destinationBucket',
			description: 'The bucket to put the object in. Leave empty for the source bucket.',
		},
		{
			displayName: 'Destination Key',
			name: 'destinationKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. archive/2024/report.pdf',
			description:
				kind === 'copy'
					? 'The key of the copy. An object already there is replaced.'
					: 'The key the object moves to. An object already there is replaced; the source is deleted after the copy succeeded.',
		},
		{
			// Not "Metadata": in Upload that is the user metadata's name/value pairs (here "New Metadata").
			displayName: 'Metadata Handling',
			name: 'metadataDirective',
			type: 'options',
			default: 'copy',
			description: 'Whether the object keeps its content type and metadata or gets new ones',
			options: [
				{ name: 'Keep From Source', value: 'copy', description: 'Content type, user metadata, cache control, disposition and tags stay as they are' },
				{ name: 'Replace', value: 'replace', description: 'Set the content type and metadata below; fields left empty are cleared' },
			],
		},
		{
			displayName: 'New Content Type',
			name: 'newContentType',
			type: 'string',
			default: '',
			placeholder: 'e.g. application/pdf',
			description: 'Content type of the new object (empty: application/octet-stream)',
			displayOptions: { show: { metadataDirective: ['replace'] } },
		},
		{
			...metadataOption,
			displayName: 'New Metadata',
			name: 'newMetadata',
			description: 'User metadata of the new object (replaces all of the source\'s)',
			displayOptions: { show: { metadataDirective: ['replace'] } },
		},
		{
			displayName: 'New Cache Control',
			name: 'newCacheControl',
			type: 'string',
			default: '',
			placeholder: 'e.g. public, max-age=86400',
			displayOptions: { show: { metadataDirective: ['replace'] } },
		},
		{
			displayName: 'New Content Disposition',
			name: 'newContentDisposition',
			type: 'string',
			default: '',
			placeholder: 'e.g. attachment; filename="report.pdf"',
			displayOptions: { show: { metadataDirective: ['replace'] } },
		},
		optionsCollection([
			aclOption,
			concurrencyOption,
			destinationCustomerKeyOption,
			kmsKeyIdOption,
			{
				displayName: 'Multipart Copy Above (MiB)',
				name: 'multipartThresholdMiB',
				type: 'number',
				default: MULTIPART_THRESHOLD_MIB,
				typeOptions: { minValue: 5, maxValue: MAX_COPY_OBJECT_SIZE / MiB },
				description:
					'Objects larger than this are copied in parts (UploadPartCopy) instead of one CopyObject. S3 requires it above 5 GiB (5,120 MiB); some stores need less.',
			},
			{
				displayName: 'Parallel Parts',
				name: 'queueSize',
				type: 'number',
				default: DEFAULT_QUEUE_SIZE,
				typeOptions: { minValue: 1, maxValue: 32 },
				description: 'How many parts of a multipart copy are copied at the same time',
			},
			{
				displayName: 'Part Size (MiB)',
				name: 'partSizeMiB',
				type: 'number',
				default: DEFAULT_COPY_PART_SIZE_MIB,
				typeOptions: { minValue: 5, maxValue: MAX_COPY_OBJECT_SIZE / MiB },
				description: 'Part size of a multipart copy (raised automatically if the object would need more than 10,000 parts)',
			},
			serverSideEncryptionOption,
			sourceCustomerKeyOption,
			...(kind === 'copy' ? [{ ...versionIdOption, displayName: 'Source Version ID', name: 'sourceVersionId', description: 'Copy this version of the source object instead of the current one' }] : []),
			storageClassOption,
		]),
	];
}

interface CopyOptions extends WriteOptions {
	sourceCustomerKey?: string;
	multipartThresholdMiB?: number;
	partSizeMiB?: number;
	queueSize?: number;
}

/** Copies (or moves) the item's object and returns its output item. */
export async function copyOrMoveObject(this: IExecuteFunctions, itemIndex: number, connection: S3Connection, kind: CopyKind): Promise<IDataObject> {
	const sourceBucket = getBucket.call(this, connection, itemIndex, 'bucket', 'Source Bucket');
	const sourceKey = getKey.call(this, itemIndex, 'key', 'Source Key');
	const destinationField = this.getNodeParameter('destinationBucket', itemIndex, '', { extractValue: true });
	const destinationName = bucketFieldValue(this.getNode(), destinationField, 'Destination Bucket', itemIndex);
	const bucket = destinationName
		? resolveBucket(this.getNode(), destinationName, '', 'node', itemIndex, 'Destination Bucket')
		: sourceBucket;
	const key = getKey.call(this, itemIndex, 'destinationKey', 'Destination Key');
	const replaceMetadata = this.getNodeParameter('metadataDirective', itemIndex, 'copy') === 'replace';
	const options = this.getNodeParameter('options', itemIndex, {}) as CopyOptions;
	const sourceVersionId = kind === 'copy' ? getVersionId.call(this, itemIndex, 'sourceVersionId', 'Source Version ID') : undefined;

	if (kind === 'move' && bucket === sourceBucket && key === sourceKey) {
		throw new NodeOperationError(this.getNode(), `Cannot move "${sourceKey}" onto itself`, {
			itemIndex,
			description: 'Give a different destination key or bucket. To change only the metadata, use Copy with "Metadata: Replace".',
		});
	}

	const settings = {
		...placementParams(options),
		...customerKeyParams(this.getNode(), options.customerKey, 'Destination Customer Key (SSE-C)', itemIndex),
		...(replaceMetadata
			? {
					ContentType: getText.call(this, 'newContentType', itemIndex, 'New Content Type').trim() || undefined,
					Metadata: metadataOf.call(this, itemIndex, this.getNodeParameter('newMetadata', itemIndex, {}) as MetadataEntries) ?? {},
					CacheControl: (this.getNodeParameter('newCacheControl', itemIndex, '') as string).trim() || undefined,
					ContentDisposition: (this.getNodeParameter('newContentDisposition', itemIndex, '') as string).trim() || undefined,
				}
			: {}),
	};
	const result = await connection.copyObject(
		{
			sourceBucket,
			sourceKey,
			sourceVersionId,
			bucket,
			key,
			replaceMetadata,
			settings,
			sourceEncryption: copySourceCustomerKeyParams(this.getNode(), options.sourceCustomerKey, 'Source Customer Key (SSE-C)', itemIndex),
		},
		{
			multipartThreshold: (options.multipartThresholdMiB ?? MAX_COPY_OBJECT_SIZE / MiB) * MiB,
			partSize: (options.partSizeMiB ?? DEFAULT_COPY_PART_SIZE / MiB) * MiB,
			queueSize: options.queueSize,
		},
		itemIndex,
	);

	const output = compact({
		sourceBucket,
		sourceKey,
		sourceVersionId: result.sourceVersionId,
		bucket,
		key,
		size: result.size,
		etag: result.etag,
		versionId: result.versionId,
		multipartParts: result.parts > 0 ? result.parts : undefined,
	});
	if (kind === 'move') {
		// Reached only after the copy succeeded: a failed copy leaves the source untouched.
		await connection.send(new DeleteObjectCommand({ Bucket: sourceBucket, Key: sourceKey }), {
			action: 'delete the moved source',
			bucket: sourceBucket,
			key: sourceKey,
			itemIndex,
		});
		output.moved = true;
	}
	return output;
}
