/**
 * The only module that talks to S3. Operations describe what they want; this layer owns the
 * client, cancellation, paging, streaming uploads, and turning every failure into a NodeApiError.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

import {
	AbortMultipartUploadCommand,
	ChecksumAlgorithm,
	CompleteMultipartUploadCommand,
	type CompleteMultipartUploadCommandOutput,
	type CompletedPart,
	CopyObjectCommand,
	type CopyObjectCommandInput,
	type CopyObjectCommandOutput,
	CreateMultipartUploadCommand,
	type CreateMultipartUploadCommandOutput,
	DeleteObjectsCommand,
	type DeleteObjectsCommandOutput,
	GetObjectTaggingCommand,
	type GetObjectTaggingCommandOutput,
	HeadObjectCommand,
	type HeadObjectCommandOutput,
	PutObjectTaggingCommand,
	UploadPartCommand,
	type UploadPartCommandOutput,
	UploadPartCopyCommand,
	type UploadPartCopyCommandOutput,
	ListObjectVersionsCommand,
	type ListObjectVersionsCommandInput,
	type ListObjectVersionsCommandOutput,
	ListObjectsV2Command,
	type ListObjectsV2CommandInput,
	type ListObjectsV2CommandOutput,
	type PutObjectCommandInput,
	type S3Client,
	type Tag,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { IExecuteFunctions, ILoadOptionsFunctions, INode, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPool } from '../helpers/pool';
import { getClient, type S3StorageCredentials } from './client';
import { toNodeApiError, type S3ErrorContext } from './errors';
import { EndpointSettingsError, type ResolvedEndpoint } from './providers';

export { describeS3Error, toNodeApiError, type S3ErrorContext } from './errors';

export const CREDENTIAL_TYPE = 's3StorageApi';

/** Any S3 command; callers name the output type they expect. */
type AnyCommand = { readonly input: object; resolveMiddleware: unknown };

export interface UploadTuning {
	/** Bytes per multipart part (S3's minimum is 5 MiB). */
	partSize?: number;
	/** Parts in flight at once for one object. */
	queueSize?: number;
}

export interface UploadResult {
	etag?: string;
	versionId?: string;
}

/**
 * A file on this machine's disk (n8n's filesystem binary store) to upload as `Body`. Larger than a
 * part, it is not streamed through lib-storage but read part by part into a few reused buffers:
 * lib-storage's chunking allocates about twice the file's size in new buffers, and in n8n's large
 * heap every 64 MiB of those costs a garbage collection. Measured on 1 GiB to Ceph RGW from a
 * process with n8n loaded: a quarter of the CPU time, 1.5-2x the throughput.
 */
export class LocalFile {
	constructor(
		readonly path: string,
		readonly size: number,
	) {}
}

/** PutObject's input, with a local file as a possible body. */
export type UploadParams = Omit<PutObjectCommandInput, 'Body'> & { Body?: PutObjectCommandInput['Body'] | LocalFile };

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 4;
/**
 * Read size for large binaries streamed from n8n's store (`getBinaryStream(id, chunkSize)`). n8n's
 * default, 64 KiB, costs a read and a buffer per 64 KiB; 1 MiB reads cut the CPU spent assembling
 * parts about threefold, which on a small machine is upload throughput. Every read allocates a
 * buffer of this size, so small files must not be streamed with it: see WHOLE_READ_LIMIT.
 */
export const BINARY_READ_CHUNK_SIZE = 1024 * 1024;
/**
 * Binaries up to this size are read from n8n's store in one go rather than streamed: for a 4 KiB
 * file a stream costs 2-3x the CPU of one read (over 10x with 1 MiB reads), and a body this small
 * goes up in a single PutObject, held in memory whole either way.
 */
export const WHOLE_READ_LIMIT = DEFAULT_PART_SIZE;
/** S3 allows at most this many parts in one multipart upload. */
const MAX_UPLOAD_PARTS = 10_000;

export class S3Connection {
	constructor(
		readonly node: INode,
		readonly client: S3Client,
		readonly resolved: ResolvedEndpoint,
		readonly defaultBucket: string,
		private readonly signal: AbortSignal | undefined,
	) {}

	private fail(error: unknown, context: S3ErrorContext): never {
		throw toNodeApiError(this.node, error, { endpoint: this.resolved.endpoint, ...context });
	}

	async send<Output = unknown>(command: AnyCommand, context: S3ErrorContext): Promise<Output> {
		try {
			return (await this.client.send(command as never, { abortSignal: this.signal })) as Output;
		} catch (error) {
			this.fail(error, context);
		}
	}

	/** Like `send`, but a 404 answer (no such bucket, key or version) resolves to `undefined`. */
	async sendUnlessNotFound<Output = unknown>(command: AnyCommand, context: S3ErrorContext): Promise<Output | undefined> {
		try {
			return (await this.client.send(command as never, { abortSignal: this.signal })) as Output;
		} catch (error) {
			if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
			return this.fail(error, context);
		}
	}

	/**
	 * Streams a body of any size: one PutObject when it fits in a part, otherwise a multipart
	 * upload with `queueSize` parts in flight. A failed or cancelled upload is aborted, so no
	 * orphaned parts stay behind on the server.
	 */
	async upload(input: UploadParams, tuning: UploadTuning, context: S3ErrorContext): Promise<UploadResult> {
		const file = input.Body instanceof LocalFile ? input.Body : undefined;
		let params = { ...input, Body: file ? undefined : input.Body } as PutObjectCommandInput;
		// Parts grow when the body would otherwise need more than 10,000 of them (e.g. 100 GiB at 8 MiB).
		const partSize = Math.max(
			tuning.partSize ?? DEFAULT_PART_SIZE,
			5 * 1024 * 1024,
			Math.ceil((file?.size ?? params.ContentLength ?? 0) / MAX_UPLOAD_PARTS),
		);
		// Some servers (Ceph RGW 16) ignore x-amz-tagging on CreateMultipartUpload: a multipart
		// upload gets its tags with PutObjectTagging once complete; a single PUT keeps the header.
		let tags: Tag[] = [];
		if (params.Tagging && (params.ContentLength === undefined || params.ContentLength > partSize)) {
			tags = params.Tagging.split('&').map((pair) => {
				const [key, value = ''] = pair.split('=');
				return { Key: decodeURIComponent(key), Value: decodeURIComponent(value) };
			});
			params = { ...params, Tagging: undefined };
		}
		if (file && file.size > partSize) {
			return await this.uploadFileInParts(file, params, { partSize, queueSize: tuning.queueSize ?? DEFAULT_QUEUE_SIZE }, tags, context);
		}
		if (file) {
			try {
				params.Body = await readFile(file.path);
			} catch (error) {
				return this.fail(error, context);
			}
		}
		// On its own, lib-storage answers a cancel at once and aborts the multipart upload later,
		// in the background, once the parts in flight have finished (if the process still runs).
		// Its requests go through this view of the client instead: the cancel signal, or the first
		// part that fails for good, stops every request in flight; lib-storage then sends the
		// AbortMultipartUpload (exempt from the signal) and `done()` settles only after it.
		const stop = new AbortController();
		let firstFailure: { error: unknown } | undefined;
		const client = new Proxy(this.client, {
			get: (target, property, receiver) =>
				property === 'send'
					? async (command: AnyCommand, options?: object) => {
							if (command instanceof AbortMultipartUploadCommand) return await target.send(command as never, options);
							// lib-storage sees the failure as it is; `upload()` reports it as a NodeApiError
							return await target.send(command as never, { ...options, abortSignal: stop.signal }).catch((error: Error) => {
								// the cause, not the cancellations of the other parts that follow it
								firstFailure ??= { error };
								stop.abort();
								return Promise.reject(error);
							});
						}
					: Reflect.get(target, property, receiver),
		});
		const upload = new Upload({
			client,
			params,
			tags,
			partSize,
			queueSize: tuning.queueSize ?? DEFAULT_QUEUE_SIZE,
			leavePartsOnError: false,
		});
		const onAbort = () => stop.abort();
		if (this.signal?.aborted) stop.abort();
		this.signal?.addEventListener('abort', onAbort, { once: true });
		try {
			const result = await upload.done();
			return { etag: result.ETag, versionId: result.VersionId };
		} catch (error) {
			(params.Body as Readable | undefined)?.destroy?.();
			return this.fail(firstFailure?.error ?? error, context);
		} finally {
			this.signal?.removeEventListener('abort', onAbort);
		}
	}

	/**
	 * A multipart upload of a local file: `queueSize` parts in flight, each read straight from the
	 * file into its worker's own buffer, reused part after part. The cancel signal, or the first part
	 * that fails for good, stops every request in flight; the multipart upload is then aborted before
	 * this returns, so nothing stays behind on the server. Checksums as lib-storage does them: CRC32
	 * per part where the client computes checksums (AWS), none otherwise.
	 */
	private async uploadFileInParts(
		file: LocalFile,
		params: PutObjectCommandInput,
		tuning: Required<UploadTuning>,
		tags: Tag[],
		context: S3ErrorContext,
	): Promise<UploadResult> {
		const { partSize, queueSize } = tuning;
		const stop = new AbortController();
		const onAbort = () => stop.abort();
		if (this.signal?.aborted) stop.abort();
		this.signal?.addEventListener('abort', onAbort, { once: true });
		const send = async <Output>(command: AnyCommand) =>
			(await this.client.send(command as never, { abortSignal: stop.signal })) as Output;
		// What every request of the upload carries (bucket, key, metadata, SSE-C keys...), as lib-storage does.
		const shared: PutObjectCommandInput = { ...params, Body: undefined, ContentLength: undefined };
		let failure: { error: unknown } | undefined;
		const fail = (error: unknown) => {
			failure ??= { error };
			stop.abort();
		};
		let handle: FileHandle | undefined;
		let uploadId: string | undefined;
		try {
			handle = await open(file.path, 'r');
			const checksums = (await this.client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
			const algorithm = shared.ChecksumAlgorithm ?? (checksums ? ChecksumAlgorithm.CRC32 : undefined);
			const created = await send<CreateMultipartUploadCommandOutput>(
				new CreateMultipartUploadCommand({ ...shared, ChecksumAlgorithm: algorithm }),
			);
			uploadId = created.UploadId;
			const partCount = Math.ceil(file.size / partSize);
			const parts: CompletedPart[] = new Array(partCount);
			let nextPart = 0;
			const reader = handle;
			const worker = async () => {
				const buffer = Buffer.allocUnsafeSlow(partSize);
				while (!failure && nextPart < partCount) {
					const index = nextPart++;
					const start = index * partSize;
					const length = Math.min(partSize, file.size - start);
					for (let filled = 0; filled < length; ) {
						const { bytesRead } = await reader.read(buffer, filled, length - filled, start + filled);
						if (bytesRead === 0) {
							return fail(new Error(`the file ended after ${start + filled} of its ${file.size} bytes`));
						}
						filled += bytesRead;
					}
					const output = await send<UploadPartCommandOutput>(
						new UploadPartCommand({
							...shared,
							UploadId: uploadId,
							PartNumber: index + 1,
							Body: buffer.subarray(0, length),
							ChecksumAlgorithm: algorithm,
						}),
					);
					parts[index] = {
						PartNumber: index + 1,
						ETag: output.ETag,
						ChecksumCRC32: output.ChecksumCRC32,
						ChecksumCRC32C: output.ChecksumCRC32C,
						ChecksumSHA1: output.ChecksumSHA1,
						ChecksumSHA256: output.ChecksumSHA256,
					};
				}
			};
			await Promise.all(Array.from({ length: Math.min(queueSize, partCount) }, async () => await worker().catch(fail)));
			if (!failure) {
				const completed = await send<CompleteMultipartUploadCommandOutput>(
					new CompleteMultipartUploadCommand({ ...shared, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
				);
				uploadId = undefined;
				if (tags.length > 0) {
					await send(new PutObjectTaggingCommand({ Bucket: shared.Bucket, Key: shared.Key, ExpectedBucketOwner: shared.ExpectedBucketOwner, Tagging: { TagSet: tags } }));
				}
				return { etag: completed.ETag, versionId: completed.VersionId };
			}
		} catch (error) {
			fail(error);
		} finally {
			this.signal?.removeEventListener('abort', onAbort);
			await handle?.close().catch(() => undefined);
		}
		if (uploadId) {
			// Without the cancel signal: the abort must go out even when the execution was cancelled.
			await this.client
				.send(new AbortMultipartUploadCommand({ Bucket: shared.Bucket, Key: shared.Key, UploadId: uploadId, ExpectedBucketOwner: shared.ExpectedBucketOwner }))
				.catch(() => undefined);
		}
		return this.fail(failure?.error, context);
	}

	/** Pages through ListObjectsV2, one response at a time, so nothing beyond a page is held. */
	async *listObjectPages(
		input: ListObjectsV2CommandInput,
		context: S3ErrorContext,
	): AsyncGenerator<ListObjectsV2CommandOutput> {
		let continuationToken = input.ContinuationToken;
		do {
			const page = await this.send<ListObjectsV2CommandOutput>(
				new ListObjectsV2Command({ ...input, ContinuationToken: continuationToken }),
				context,
			);
			yield page;
			continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (continuationToken);
	}

	/**
	 * Pages through ListObjectVersions. With `unsupportedMeansNone`, a server that has no
	 * versioning at all (it answers 405/501, as s3rver does) yields no versions instead of failing.
	 */
	async *listVersionPages(
		input: ListObjectVersionsCommandInput,
		context: S3ErrorContext,
		options: { unsupportedMeansNone?: boolean } = {},
	): AsyncGenerator<ListObjectVersionsCommandOutput> {
		let keyMarker = input.KeyMarker;
		let versionIdMarker = input.VersionIdMarker;
		do {
			let page: ListObjectVersionsCommandOutput;
			try {
				page = await this.client.send(
					new ListObjectVersionsCommand({ ...input, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
					{ abortSignal: this.signal },
				);
			} catch (error) {
				const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
				if (options.unsupportedMeansNone && (status === 405 || status === 501)) return;
				return this.fail(error, context);
			}
			yield page;
			keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
			versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
		} while (keyMarker);
	}

	/**
	 * Copies an object within or across buckets. A HeadObject first tells the size (and gives a clear
	 * "not found" for a missing source); up to `multipartThreshold` one CopyObject does it, above it
	 * the object is copied server-side in UploadPartCopy parts, each pinned to the source's ETag so a
	 * source changed mid-copy fails instead of mixing versions. A failed multipart copy is aborted.
	 */
	async copyObject(params: CopyParams, tuning: CopyTuning, itemIndex?: number): Promise<CopyResult> {
		const { sourceBucket, sourceKey, sourceVersionId, bucket, key, replaceMetadata, settings } = params;
		const sourceContext = { action: 'copy', bucket: sourceBucket, key: sourceKey, itemIndex };
		const context = { action: 'copy to', bucket, key, itemIndex };
		const head = await this.send<HeadObjectCommandOutput>(
			new HeadObjectCommand({ Bucket: sourceBucket, Key: sourceKey, VersionId: sourceVersionId || undefined }),
			sourceContext,
		);
		const size = head.ContentLength ?? 0;
		const copySource = copySourceOf(sourceBucket, sourceKey, sourceVersionId || undefined);
		const destination = replaceMetadata
			? settings
			: { ACL: settings.ACL, StorageClass: settings.StorageClass, ServerSideEncryption: settings.ServerSideEncryption, SSEKMSKeyId: settings.SSEKMSKeyId };

		if (size <= (tuning.multipartThreshold ?? MAX_COPY_OBJECT_SIZE)) {
			let output: CopyObjectCommandOutput;
			try {
				output = await this.client.send(
					new CopyObjectCommand({
						Bucket: bucket,
						Key: key,
						CopySource: copySource,
						MetadataDirective: replaceMetadata ? 'REPLACE' : 'COPY',
						...destination,
					}),
					{ abortSignal: this.signal },
				);
			} catch (error) {
				// A missing key here is the source (deleted since the HEAD); anything else concerns the destination.
				return this.fail(error, (error as { name?: string }).name === 'NoSuchKey' ? sourceContext : context);
			}
			return {
				etag: output.CopyObjectResult?.ETag,
				versionId: output.VersionId,
				sourceVersionId: output.CopySourceVersionId ?? head.VersionId,
				size,
				parts: 0,
			};
		}

		// Multipart copy: metadata and tags are not carried over by S3 here, so they are set explicitly.
		let kept: Partial<CopyDestinationSettings> & { ContentEncoding?: string; ContentLanguage?: string } = {};
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
				const tagging = await this.sendUnlessNotImplemented<GetObjectTaggingCommandOutput>(
					new GetObjectTaggingCommand({ Bucket: sourceBucket, Key: sourceKey, VersionId: sourceVersionId || undefined }),
					{ ...sourceContext, action: 'read the tags of' },
				);
				tagSet = tagging?.TagSet ?? [];
			}
		}
		const created = await this.send<CreateMultipartUploadCommandOutput>(
			new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...kept, ...destination }),
			context,
		);
		const uploadId = created.UploadId;
		const partSize = Math.min(
			Math.max(tuning.partSize ?? DEFAULT_COPY_PART_SIZE, 5 * MiB, Math.ceil(size / MAX_PARTS)),
			MAX_COPY_OBJECT_SIZE,
		);
		const partCount = Math.ceil(size / partSize);
		let failure: { error: unknown };
		try {
			const parts = await runPool(partCount, tuning.queueSize ?? DEFAULT_QUEUE_SIZE, async (index): Promise<CompletedPart> => {
				const start = index * partSize;
				const end = Math.min(start + partSize, size) - 1;
				const output = await this.send<UploadPartCopyCommandOutput>(
					new UploadPartCopyCommand({
						Bucket: bucket,
						Key: key,
						UploadId: uploadId,
						PartNumber: index + 1,
						CopySource: copySource,
						CopySourceRange: `bytes=${start}-${end}`,
						CopySourceIfMatch: head.ETag,
					}),
					context,
				);
				return { PartNumber: index + 1, ETag: output.CopyPartResult?.ETag };
			});
			const completed = await this.send<CompleteMultipartUploadCommandOutput>(
				new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
				context,
			);
			if (tagSet.length > 0) {
				// Set once complete: some servers (Ceph RGW 16) ignore tags given to CreateMultipartUpload.
				await this.send(
					new PutObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: completed.VersionId, Tagging: { TagSet: tagSet } }),
					{ ...context, action: 'set the copied tags on' },
				);
			}
			return { etag: completed.ETag, versionId: completed.VersionId, sourceVersionId: head.VersionId, size, parts: partCount };
		} catch (error) {
			failure = { error };
		}
		// Without the cancel signal: the abort must go out even when the execution was cancelled.
		await this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
		const { error } = failure;
		// Failures of `send` are NodeApiErrors already; anything else is described here.
		if ((error as Error | undefined)?.name === 'NodeApiError') throw error;
		return this.fail(error, context);
	}

	/** Like `send`, but a server that lacks the operation (HTTP 501) resolves to `undefined`. */
	async sendUnlessNotImplemented<Output = unknown>(command: AnyCommand, context: S3ErrorContext): Promise<Output | undefined> {
		try {
			return (await this.client.send(command as never, { abortSignal: this.signal })) as Output;
		} catch (error) {
			if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 501) return undefined;
			return this.fail(error, context);
		}
	}

	/** One DeleteObjects request (at most 1,000 keys); per-key failures come back, not thrown. */
	async deleteBatch(bucket: string, objects: ObjectIdentifier[], context: S3ErrorContext): Promise<BatchDeleteResult> {
		if (objects.length === 0) return { deleted: [], errors: [] };
		const output = await this.send<DeleteObjectsCommandOutput>(
			new DeleteObjectsCommand({
				Bucket: bucket,
				Delete: { Objects: objects.map((o) => ({ Key: o.key, VersionId: o.versionId })), Quiet: false },
			}),
			{ ...context, bucket },
		);
		return {
			deleted: (output.Deleted ?? []).map((d) => ({ key: d.Key ?? '', versionId: d.VersionId })),
			errors: (output.Errors ?? []).map((e) => ({
				key: e.Key ?? '',
				versionId: e.VersionId,
				code: e.Code ?? 'UnknownError',
				message: e.Message || e.Code || 'unknown error',
			})),
		};
	}
}

/** Destination settings a copy may set; the metadata fields apply only when metadata is replaced. */
export type CopyDestinationSettings = Pick<
	CopyObjectCommandInput,
	| 'ACL'
	| 'StorageClass'
	| 'ServerSideEncryption'
	| 'SSEKMSKeyId'
	| 'ContentType'
	| 'Metadata'
	| 'CacheControl'
	| 'ContentDisposition'
>;

export interface CopyParams {
	sourceBucket: string;
	sourceKey: string;
	sourceVersionId?: string;
	bucket: string;
	key: string;
	/** Replace the object's metadata (content type, user metadata, cache control, disposition) with `settings`'. */
	replaceMetadata: boolean;
	settings: CopyDestinationSettings;
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

const MiB = 1024 * 1024;
export const MAX_COPY_OBJECT_SIZE = 5 * 1024 * MiB;
export const DEFAULT_COPY_PART_SIZE = 512 * MiB;
const MAX_PARTS = 10_000;

/** A key as `CopySource` needs it: URL-encoded, slashes kept. */
export function copySourceOf(bucket: string, key: string, versionId?: string): string {
	const encodedKey = key.split('/').map(encodeURIComponent).join('/');
	return `${bucket}/${encodedKey}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
}

export interface ObjectIdentifier {
	key: string;
	versionId?: string;
}

export interface BatchDeleteResult {
	deleted: ObjectIdentifier[];
	errors: Array<ObjectIdentifier & { code: string; message: string }>;
}

/** S3's limit on keys per DeleteObjects request. */
export const DELETE_BATCH_SIZE = 1000;

/** The connection for the node's credential, built once and shared by every item. */
export async function getConnection(
	this: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions,
): Promise<S3Connection> {
	const credentials = await this.getCredentials<S3StorageCredentials>(CREDENTIAL_TYPE);
	try {
		const { client, resolved } = getClient(credentials);
		const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
		return new S3Connection(this.getNode(), client, resolved, credentials.defaultBucket?.trim() ?? '', signal);
	} catch (error) {
		const message = error instanceof EndpointSettingsError ? error.message : `The S3 Storage credential cannot be used: ${(error as Error).message}`;
		throw new NodeOperationError(this.getNode(), message, {
			// Sign-in settings errors (transport/auth.ts) say how to fix them, e.g. how to allow machine identity.
			description: (error as { description?: string }).description ?? 'Open the S3 Storage credential and complete its connection settings.',
		});
	}
}
