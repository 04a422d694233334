/**
 * The only module that talks to S3. Operations describe what they want; this layer owns the
 * client, cancellation, paging, streaming uploads, and turning every failure into a NodeApiError.
 */
import type { Readable } from 'node:stream';

import {
	DeleteObjectsCommand,
	type DeleteObjectsCommandOutput,
	ListObjectVersionsCommand,
	type ListObjectVersionsCommandInput,
	type ListObjectVersionsCommandOutput,
	ListObjectsV2Command,
	type ListObjectsV2CommandInput,
	type ListObjectsV2CommandOutput,
	type PutObjectCommandInput,
	type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { IExecuteFunctions, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 4;

export class S3Connection {
	constructor(
		private readonly node: INode,
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
	async upload(params: PutObjectCommandInput, tuning: UploadTuning, context: S3ErrorContext): Promise<UploadResult> {
		const upload = new Upload({
			client: this.client,
			params,
			partSize: Math.max(tuning.partSize ?? DEFAULT_PART_SIZE, 5 * 1024 * 1024),
			queueSize: tuning.queueSize ?? DEFAULT_QUEUE_SIZE,
			leavePartsOnError: false,
		});
		const onAbort = () => void upload.abort();
		this.signal?.addEventListener('abort', onAbort, { once: true });
		try {
			const result = await upload.done();
			return { etag: result.ETag, versionId: result.VersionId };
		} catch (error) {
			(params.Body as Readable | undefined)?.destroy?.();
			return this.fail(error, context);
		} finally {
			this.signal?.removeEventListener('abort', onAbort);
		}
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
export async function getConnection(this: IExecuteFunctions | ILoadOptionsFunctions): Promise<S3Connection> {
	const credentials = await this.getCredentials<S3StorageCredentials>(CREDENTIAL_TYPE);
	try {
		const { client, resolved } = getClient(credentials);
		const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
		return new S3Connection(this.getNode(), client, resolved, credentials.defaultBucket?.trim() ?? '', signal);
	} catch (error) {
		const message = error instanceof EndpointSettingsError ? error.message : `The S3 Storage credential cannot be used: ${(error as Error).message}`;
		throw new NodeOperationError(this.getNode(), message, {
			description: 'Open the S3 Storage credential and complete its connection settings.',
		});
	}
}
