/**
 * Copies an object from one connection (credential) to another: another account, provider or
 * server. When both act as the same user on the same endpoint the server copies it (copy.ts).
 * Otherwise the bytes pass through this process: an object that fits in one part is one GetObject
 * into one PutObject; a larger one is copied part by part, each part a ranged GetObject (resumed
 * within its range after a cut) sent as UploadPart, several at once. Memory stays at parts in flight
 * x part size whatever the object's size, and a failure or cancel on either side aborts the
 * destination's multipart upload.
 */
import {
	ChecksumAlgorithm,
	DeleteObjectTaggingCommand,
	type GetObjectCommandInput,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	type HeadObjectCommandOutput,
	type PutObjectCommandInput,
	PutObjectTaggingCommand,
	type Tag,
	UploadPartCommand,
} from '@aws-sdk/client-s3';

import { S3Connection } from './connection';
import { DEFAULT_COPY_PART_SIZE, DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, partSizeFor } from './constants';
import type { CopyDestinationSettings } from './copy';
import { IncompleteBodyError, type S3ErrorContext } from './errors';
import { readWhole } from './httpSource';
import { isNodeApiError, keyTakenError, MultipartUpload } from './multipart';

export interface TransferParams {
	sourceBucket: string;
	sourceKey: string;
	sourceVersionId?: string;
	bucket: string;
	key: string;
	/** Carry the content type, user metadata, cache control, disposition, encoding, language and tags over. */
	keepMetadata: boolean;
	/** ACL, storage class and encryption of the new object. */
	placement: Pick<CopyDestinationSettings, 'ACL' | 'StorageClass' | 'ServerSideEncryption' | 'SSEKMSKeyId'>;
	doNotOverwrite: boolean;
	/** The source's size when already known (from a listing): an object that fits in one part then needs no HeadObject. */
	size?: number;
}

export interface TransferTuning {
	/** Bytes per part of the destination's multipart upload (streamed transfers). */
	partSize?: number;
	/** Parts in flight at once (streamed transfers: also the ranged reads of the source in flight). */
	queueSize?: number;
}

export interface TransferResult {
	size: number;
	etag?: string;
	versionId?: string;
	sourceVersionId?: string;
	method: 'server-side' | 'streamed';
}

/** Whether the destination can copy from the source itself: same endpoint, same sign-in. */
export function canCopyServerSide(source: S3Connection, destination: S3Connection): boolean {
	return source.identity !== '' && source.identity === destination.identity;
}

export async function transferObject(
	source: S3Connection,
	destination: S3Connection,
	params: TransferParams,
	tuning: TransferTuning,
	itemIndex?: number,
): Promise<TransferResult> {
	const { sourceBucket, sourceKey, bucket, key } = params;
	const sourceVersionId = params.sourceVersionId || undefined;
	const sourceContext = { action: 'transfer', bucket: sourceBucket, key: sourceKey, itemIndex };
	const context = { action: 'transfer to', bucket, key, itemIndex, storageClass: params.placement.StorageClass };

	// Tags first: for a stream, the body's connection should not idle while they are read.
	const tags = params.keepMetadata ? await tagsOf(source, params, sourceContext) : [];

	if (canCopyServerSide(source, destination)) {
		if (params.doNotOverwrite) await assertKeyFree(destination, bucket, key, context);
		const copied = await destination.copyObject(
			{ sourceBucket, sourceKey, sourceVersionId, bucket, key, replaceMetadata: !params.keepMetadata, settings: params.placement },
			{ partSize: tuning.partSize && tuning.partSize > DEFAULT_COPY_PART_SIZE ? tuning.partSize : DEFAULT_COPY_PART_SIZE, queueSize: tuning.queueSize },
			itemIndex,
		);
		// Set explicitly: a CopyObject keeps the tags even when the metadata is replaced, and some servers drop them.
		const target = { Bucket: bucket, Key: key, VersionId: copied.versionId };
		if (tags.length > 0) await destination.send(new PutObjectTaggingCommand({ ...target, Tagging: { TagSet: tags } }), { ...context, action: 'set the tags of' });
		if (!params.keepMetadata) await destination.send(new DeleteObjectTaggingCommand(target), { ...context, action: 'remove the tags of' }, { tolerate: [404, 405, 501] });
		return { size: copied.size, etag: copied.etag, versionId: copied.versionId, sourceVersionId: copied.sourceVersionId, method: 'server-side' };
	}

	// Above one part (a size known from a listing saves the HeadObject for small objects), part by part.
	const wantedPartSize = tuning.partSize ?? DEFAULT_PART_SIZE;
	if (params.size === undefined || params.size > wantedPartSize) {
		const head = await source.send(new HeadObjectCommand({ Bucket: sourceBucket, Key: sourceKey, VersionId: sourceVersionId }), sourceContext);
		const size = head.ContentLength ?? 0;
		const partSize = partSizeFor(size, wantedPartSize);
		if (size > partSize) {
			return await transferInParts(source, destination, params, { head, tags, partSize, queueSize: tuning.queueSize ?? DEFAULT_QUEUE_SIZE }, sourceContext, context);
		}
	}

	// One part: one GetObject into memory, up as one PutObject (retried safely, with Content-MD5).
	const download = await source.getObject({ Bucket: sourceBucket, Key: sourceKey, VersionId: sourceVersionId }, sourceContext);
	const size = download.ContentLength ?? 0;
	const partSize = partSizeFor(size, wantedPartSize);
	let body: Buffer | typeof download.Body = download.Body;
	try {
		// Grown since it was listed or read: streamed through the upload's chunker instead.
		if (size <= partSize) body = await readWhole(download.Body);
	} catch (error) {
		download.Body.destroy();
		return source.fail(error, sourceContext);
	}
	const uploaded = await destination.upload(
		{ Bucket: bucket, Key: key, Body: body, ContentLength: size, ...keptMetadata(params, download), ...params.placement, tags, IfNoneMatch: params.doNotOverwrite ? '*' : undefined },
		{ partSize, queueSize: tuning.queueSize },
		context,
	);
	return { size, etag: uploaded.etag, versionId: uploaded.versionId, sourceVersionId: download.VersionId, method: 'streamed' };
}

/** What the new object keeps of the source's headers: all of them, or none when told not to. */
function keptMetadata(params: TransferParams, source: SourceHeaders): Partial<PutObjectCommandInput> {
	if (!params.keepMetadata) return {};
	return {
		ContentType: source.ContentType,
		Metadata: source.Metadata,
		CacheControl: source.CacheControl,
		ContentDisposition: source.ContentDisposition,
		ContentEncoding: source.ContentEncoding,
		ContentLanguage: source.ContentLanguage,
	};
}

type SourceHeaders = Pick<HeadObjectCommandOutput, 'ContentType' | 'Metadata' | 'CacheControl' | 'ContentDisposition' | 'ContentEncoding' | 'ContentLanguage'>;

interface PartPlan {
	head: HeadObjectCommandOutput;
	tags: Tag[];
	partSize: number;
	queueSize: number;
}

/**
 * An object larger than a part, copied part by part: each part is a ranged GetObject pinned with
 * If-Match to the ETag the HeadObject saw (a source replaced meanwhile fails the transfer instead of
 * mixing versions), read into a buffer and sent as UploadPart, `queueSize` parts at once through the
 * multipart state machine (multipart.ts). A read cut mid-part resumes from the byte it stopped at,
 * within the range (download.ts), so only that part's missing bytes are fetched again. Buffers are
 * reused part after part: memory is at most `queueSize` x `partSize`. On a failure or cancel the
 * other parts stop, the upload is aborted, and the error names the part and the upload.
 */
async function transferInParts(
	source: S3Connection,
	destination: S3Connection,
	params: TransferParams,
	{ head, tags, partSize, queueSize }: PartPlan,
	sourceContext: S3ErrorContext,
	context: S3ErrorContext,
): Promise<TransferResult> {
	const { sourceBucket, sourceKey, bucket, key } = params;
	const size = head.ContentLength ?? 0;
	const partCount = Math.ceil(size / partSize);
	const target = { Bucket: bucket, Key: key };
	const multipart = new MultipartUpload(destination, { ...target, IfNoneMatch: params.doNotOverwrite ? '*' : undefined }, context, tags);
	const stopOnCancel = destination.onCancel(() => multipart.stop.abort());
	// The source's reads stop with the parts: the first failure or the cancel ends every read in flight.
	const reader = new S3Connection(source.node, source.client, source.resolved, source.defaultBucket, multipart.stop.signal, source.maxAttempts, source.identity);
	let failedPart: number | undefined;
	let uploadId: string | undefined;
	try {
		const checksums = (await destination.client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
		const algorithm = checksums ? ChecksumAlgorithm.CRC32 : undefined;
		await multipart.create({ ...target, ...keptMetadata(params, head), ...params.placement, ChecksumAlgorithm: algorithm });
		uploadId = multipart.uploadId;
		const spare: Buffer[] = [];
		const parts = await multipart.parts(partCount, queueSize, async (index, signal) => {
			const start = index * partSize;
			const length = Math.min(partSize, size - start);
			const buffer = spare.pop() ?? Buffer.allocUnsafeSlow(partSize);
			const range = { Bucket: sourceBucket, Key: sourceKey, VersionId: params.sourceVersionId || undefined, Range: `bytes=${start}-${start + length - 1}`, IfMatch: head.ETag };
			const copyPart = async () => {
				await readRange(reader, range, buffer, length, sourceContext);
				const output = await destination.client.send(
					new UploadPartCommand({ ...target, UploadId: multipart.uploadId, PartNumber: index + 1, Body: buffer.subarray(0, length), ChecksumAlgorithm: algorithm }),
					{ abortSignal: signal },
				);
				return { PartNumber: index + 1, ETag: output.ETag, ChecksumCRC32: output.ChecksumCRC32 };
			};
			try {
				return await copyPart().catch(async (error: unknown) => {
					// The first part to fail is the cause; the others fail after it, stopped.
					failedPart ??= index;
					return await Promise.reject(error);
				});
			} finally {
				spare.push(buffer);
			}
		});
		const completed = await multipart.complete(parts);
		return { size, etag: completed.etag, versionId: completed.versionId, sourceVersionId: head.VersionId, method: 'streamed' };
	} catch (error) {
		const failed = await multipart.failure(error);
		const part = failedPart === undefined ? '' : ` at part ${failedPart + 1} of ${partCount} (bytes ${failedPart * partSize}-${Math.min((failedPart + 1) * partSize, size) - 1})`;
		// When the abort itself failed, multipart.ts has already named the upload and how to remove it.
		const aborted = uploadId && !failed.description?.includes(uploadId) ? `; its multipart upload ${uploadId} was aborted, nothing was left behind` : '';
		failed.description = `${failed.description ?? ''} The transfer of "${sourceKey}" in bucket "${sourceBucket}" to "${key}" in bucket "${bucket}" stopped${part}${aborted}.`.trim();
		throw failed;
	} finally {
		stopOnCancel();
	}
}

/**
 * Reads one range of the source into `buffer`: a cut resumes within the range (download.ts); a source
 * replaced since the HeadObject (If-Match fails) is reported as changed, not as a failed condition.
 */
async function readRange(source: S3Connection, input: GetObjectCommandInput, buffer: Buffer, length: number, context: S3ErrorContext): Promise<void> {
	const download = await source.getObject(input, context).catch((error: unknown) => {
		if (String((error as { httpCode?: unknown }).httpCode) === '412') source.fail(new IncompleteBodyError(0, length, 1, error, true), context);
		throw error;
	});
	let filled = 0;
	try {
		for await (const chunk of download.Body) {
			const bytes = chunk as Uint8Array;
			if (filled + bytes.length > length) throw new Error(`the server sent more than the ${length} bytes asked for`);
			buffer.set(bytes, filled);
			filled += bytes.length;
		}
	} catch (error) {
		download.Body.destroy();
		return isNodeApiError(error) ? await Promise.reject(error) : source.fail(error, context);
	}
	if (filled !== length) source.fail(new IncompleteBodyError(filled, length, 1, new Error('the body ended early')), context);
}

/** The source's tags; none where the server has no tagging. */
async function tagsOf(source: S3Connection, params: TransferParams, context: S3ErrorContext): Promise<Tag[]> {
	const tagging = await source.send(
		new GetObjectTaggingCommand({ Bucket: params.sourceBucket, Key: params.sourceKey, VersionId: params.sourceVersionId || undefined }),
		{ ...context, action: 'read the tags of' },
		{ tolerate: [405, 501] },
	);
	return tagging?.TagSet ?? [];
}

async function assertKeyFree(connection: S3Connection, bucket: string, key: string, context: S3ErrorContext): Promise<void> {
	const existing = await connection.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), context, { tolerate: [404] });
	if (existing) connection.fail(keyTakenError(), context);
}
