/**
 * Copies an object from one connection (credential) to another: another account, provider or
 * server. When both act as the same user on the same endpoint the server copies it (copy.ts);
 * otherwise the source's resumable, verified GetObject body is streamed into the destination's
 * upload (upload.ts): memory stays at parts in flight x part size whatever the object's size, and a
 * failure or cancel on either side aborts the destination's multipart upload.
 */
import {
	DeleteObjectTaggingCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	type PutObjectCommandInput,
	PutObjectTaggingCommand,
	type Tag,
} from '@aws-sdk/client-s3';

import type { S3Connection } from './connection';
import { DEFAULT_COPY_PART_SIZE, DEFAULT_PART_SIZE, partSizeFor } from './constants';
import type { CopyDestinationSettings } from './copy';
import type { S3ErrorContext } from './errors';
import { readWhole } from './httpSource';
import { keyTakenError } from './multipart';

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
}

export interface TransferTuning {
	/** Bytes per part of the destination's multipart upload (streamed transfers). */
	partSize?: number;
	/** Parts in flight at once. */
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

	const download = await source.getObject({ Bucket: sourceBucket, Key: sourceKey, VersionId: sourceVersionId }, sourceContext);
	const size = download.ContentLength ?? 0;
	const partSize = partSizeFor(size, tuning.partSize ?? DEFAULT_PART_SIZE);
	const kept: Partial<PutObjectCommandInput> = params.keepMetadata
		? {
				ContentType: download.ContentType,
				Metadata: download.Metadata,
				CacheControl: download.CacheControl,
				ContentDisposition: download.ContentDisposition,
				ContentEncoding: download.ContentEncoding,
				ContentLanguage: download.ContentLanguage,
			}
		: {};
	let body: Buffer | typeof download.Body = download.Body;
	try {
		// A body that fits in one part goes up as one PutObject from memory: retried safely, with Content-MD5.
		if (size <= partSize) body = await readWhole(download.Body);
	} catch (error) {
		download.Body.destroy();
		return source.fail(error, sourceContext);
	}
	const uploaded = await destination.upload(
		{ Bucket: bucket, Key: key, Body: body, ContentLength: size, ...kept, ...params.placement, tags, IfNoneMatch: params.doNotOverwrite ? '*' : undefined },
		{ partSize, queueSize: tuning.queueSize },
		context,
	);
	return { size, etag: uploaded.etag, versionId: uploaded.versionId, sourceVersionId: download.VersionId, method: 'streamed' };
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
