/**
 * Server-side copies. A HeadObject first tells the size (and gives a clear "not found" for a missing
 * source), unless the caller knows the size from a listing; up to `multipartThreshold` one
 * CopyObject does it, above it the object is copied in UploadPartCopy parts (multipart.ts), each
 * pinned to the source's ETag so a source changed mid-copy fails instead of mixing versions. A
 * failed multipart copy is aborted.
 */
import {
	CopyObjectCommand,
	type CopyObjectCommandInput,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	type Tag,
	UploadPartCopyCommand,
} from '@aws-sdk/client-s3';

import type { S3Connection } from './connection';
import { DEFAULT_COPY_PART_SIZE, DEFAULT_QUEUE_SIZE, MAX_COPY_OBJECT_SIZE, partSizeFor } from './constants';
import { CustomerKeyIgnoredError } from './errors';
import { quotedEtag } from './integrity';
import { MultipartUpload } from './multipart';

/** Destination settings a copy may set; the metadata fields apply only when metadata is replaced. */
export type CopyDestinationSettings = Pick<
	CopyObjectCommandInput,
	| 'ACL'
	| 'StorageClass'
	| 'ServerSideEncryption'
	| 'SSEKMSKeyId'
	| 'SSECustomerAlgorithm'
	| 'SSECustomerKey'
	| 'ContentType'
	| 'Metadata'
	| 'CacheControl'
	| 'ContentDisposition'
>;

/** The customer-provided key (SSE-C) the source object is encrypted with. */
export type CopySourceEncryption = Pick<CopyObjectCommandInput, 'CopySourceSSECustomerAlgorithm' | 'CopySourceSSECustomerKey'>;

export interface CopyParams {
	sourceBucket: string;
	sourceKey: string;
	sourceVersionId?: string;
	bucket: string;
	key: string;
	/** The source's size when the caller already knows it (a listing): no HeadObject before a single CopyObject. */
	knownSize?: number;
	/** Replace the object's metadata (content type, user metadata, cache control, disposition) with `settings`'. */
	replaceMetadata: boolean;
	settings: CopyDestinationSettings;
	sourceEncryption?: CopySourceEncryption;
}

export interface CopyTuning {
	/** Objects larger than this (bytes) are copied part by part. S3's CopyObject limit is 5 GiB. */
	multipartThreshold?: number;
	/** Bytes per UploadPartCopy part (5 MiB to 5 GiB; raised if the object would need over 10,000 parts). */
	partSize?: number;
	/** Parts copied at once. */
	queueSize?: number;
}

export interface CopyResult {
	etag?: string;
	versionId?: string;
	sourceVersionId?: string;
	size: number;
	/** Parts of a multipart copy; 0 for a single CopyObject. */
	parts: number;
}

/** A key as `CopySource` needs it: URL-encoded, slashes kept. */
export function copySourceOf(bucket: string, key: string, versionId?: string): string {
	const encodedKey = key.split('/').map(encodeURIComponent).join('/');
	return `${bucket}/${encodedKey}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
}

export async function copyObject(connection: S3Connection, params: CopyParams, tuning: CopyTuning, itemIndex?: number): Promise<CopyResult> {
	const { sourceBucket, sourceKey, bucket, key, replaceMetadata, settings } = params;
	const sourceVersionId = params.sourceVersionId || undefined;
	const sourceEncryption = params.sourceEncryption?.CopySourceSSECustomerKey ? params.sourceEncryption : {};
	const customerKeys = sourceEncryption.CopySourceSSECustomerKey !== undefined || settings.SSECustomerKey !== undefined;
	const sourceContext = { action: 'copy', bucket: sourceBucket, key: sourceKey, itemIndex, customerKey: sourceEncryption.CopySourceSSECustomerKey !== undefined };
	const context = { action: 'copy to', bucket, key, itemIndex, storageClass: settings.StorageClass, ...(customerKeys ? { customerKey: settings.SSECustomerKey !== undefined } : {}) };
	const threshold = tuning.multipartThreshold ?? MAX_COPY_OBJECT_SIZE;
	// A size known from a listing spares a small object's HeadObject (one request per copy instead of two).
	const head = params.knownSize !== undefined && params.knownSize <= threshold
		? undefined
		: await connection.send(
				new HeadObjectCommand({
					Bucket: sourceBucket,
					Key: sourceKey,
					VersionId: sourceVersionId,
					// The source's key: a HEAD of an object encrypted with one needs it (as SSECustomer*, not CopySource*).
					SSECustomerAlgorithm: sourceEncryption.CopySourceSSECustomerAlgorithm,
					SSECustomerKey: sourceEncryption.CopySourceSSECustomerKey,
				}),
				sourceContext,
			);
	const size = head ? (head.ContentLength ?? 0) : (params.knownSize ?? 0);
	const copySource = copySourceOf(sourceBucket, sourceKey, sourceVersionId);
	const destination = replaceMetadata
		? settings
		: {
				ACL: settings.ACL,
				StorageClass: settings.StorageClass,
				ServerSideEncryption: settings.ServerSideEncryption,
				SSEKMSKeyId: settings.SSEKMSKeyId,
				SSECustomerAlgorithm: settings.SSECustomerAlgorithm,
				SSECustomerKey: settings.SSECustomerKey,
			};

	if (!head || size <= threshold) {
		let output;
		try {
			output = await connection.client.send(
				new CopyObjectCommand({
					Bucket: bucket,
					Key: key,
					CopySource: copySource,
					MetadataDirective: replaceMetadata ? 'REPLACE' : 'COPY',
					...destination,
					...sourceEncryption,
				}),
				{ abortSignal: connection.signal },
			);
		} catch (error) {
			// A missing key here is the source (deleted since the HEAD); anything else concerns the destination.
			return connection.fail(error, (error as { name?: string }).name === 'NoSuchKey' ? sourceContext : context);
		}
		// A server without SSE-C on copies may store the copy unencrypted and say nothing: that must not pass as success.
		if (settings.SSECustomerKey !== undefined && !output.SSECustomerAlgorithm) connection.fail(new CustomerKeyIgnoredError(), context);
		return { etag: quotedEtag(output.CopyObjectResult?.ETag), versionId: output.VersionId, sourceVersionId: output.CopySourceVersionId ?? head?.VersionId, size, parts: 0 };
	}

	// Multipart copy: S3 does not carry metadata and tags over here, so they are set explicitly.
	let kept = {};
	let tagSet: Tag[] = [];
	if (!replaceMetadata) {
		kept = {
			ContentType: head.ContentType,
			Metadata: head.Metadata,
			CacheControl: head.CacheControl,
			ContentDisposition: head.ContentDisposition,
			ContentEncoding: head.ContentEncoding,
			ContentLanguage: head.ContentLanguage,
		};
		if (head.TagCount === undefined || head.TagCount > 0) {
			const tagging = await connection.send(
				new GetObjectTaggingCommand({ Bucket: sourceBucket, Key: sourceKey, VersionId: sourceVersionId }),
				{ ...sourceContext, action: 'read the tags of' },
				{ tolerate: [501] },
			);
			tagSet = tagging?.TagSet ?? [];
		}
	}
	const multipart = new MultipartUpload(
		connection,
		{ Bucket: bucket, Key: key, SSECustomerAlgorithm: destination.SSECustomerAlgorithm, SSECustomerKey: destination.SSECustomerKey },
		context,
		tagSet,
	);
	const stopOnCancel = connection.onCancel(() => multipart.stop.abort());
	const partSize = partSizeFor(size, tuning.partSize ?? DEFAULT_COPY_PART_SIZE, MAX_COPY_OBJECT_SIZE);
	const partCount = Math.ceil(size / partSize);
	try {
		await multipart.create({ Bucket: bucket, Key: key, ...kept, ...destination });
		const parts = await multipart.parts(partCount, tuning.queueSize ?? DEFAULT_QUEUE_SIZE, async (index, signal) => {
			const start = index * partSize;
			const end = Math.min(start + partSize, size) - 1;
			const output = await connection.client.send(
				new UploadPartCopyCommand({
					Bucket: bucket,
					Key: key,
					UploadId: multipart.uploadId,
					PartNumber: index + 1,
					CopySource: copySource,
					CopySourceRange: `bytes=${start}-${end}`,
					CopySourceIfMatch: head.ETag,
					SSECustomerAlgorithm: destination.SSECustomerAlgorithm,
					SSECustomerKey: destination.SSECustomerKey,
					...sourceEncryption,
				}),
				{ abortSignal: signal },
			);
			return { PartNumber: index + 1, ETag: output.CopyPartResult?.ETag };
		});
		const completed = await multipart.complete(parts);
		return { ...completed, sourceVersionId: head.VersionId, size, parts: partCount };
	} catch (error) {
		throw await multipart.failure(error);
	} finally {
		stopOnCancel();
	}
}
