/**
 * The connection operations use: one S3 client (per credential and region), the execution's cancel
 * signal, and the single exit for failures. Every request goes through `send`, which turns any failure
 * into a NodeApiError naming what was being done; uploads, copies and downloads live in their own files.
 */
import {
	DeleteObjectsCommand,
	type GetObjectCommandInput,
	ListObjectVersionsCommand,
	type ListObjectVersionsCommandInput,
	type ListObjectVersionsCommandOutput,
	ListObjectsV2Command,
	type ListObjectsV2CommandInput,
	type ListObjectsV2CommandOutput,
	type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, INode, IPollFunctions, IWebhookFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { accountSettingsOfClient } from './accountHeaders';
import { DEFAULT_MAX_ATTEMPTS, getClient, type S3StorageCredentials } from './client';
import { CREDENTIAL_TYPE } from './constants';
import { copyObject, type CopyParams, type CopyResult, type CopyTuning } from './copy';
import { getObject, type ObjectDownload } from './download';
import { toNodeApiError, type S3ErrorContext } from './errors';
import { openHttpSource, type HttpSource, type HttpSourceRequest } from './httpSource';
import { EndpointSettingsError, type ResolvedEndpoint } from './providers';
import { upload, type UploadParams, type UploadResult, type UploadTuning } from './upload';

/** The output type of an S3 command, as the client's `send` infers it. */
type OutputOf<C> = C extends { resolveMiddleware(stack: never, config: never, options: never): (args: never) => Promise<{ output: infer O }> } ? O : never;
type AnyCommand = { readonly input: object; resolveMiddleware(stack: never, config: never, options: never): unknown };

/** HTTP statuses a caller may expect and handle itself: 404 (no such bucket, key or version), 405/501 (not supported here). */
export type ToleratedStatus = 404 | 405 | 412 | 501;

export interface SendOptions {
	/** These statuses resolve to `undefined` instead of failing. */
	tolerate?: readonly ToleratedStatus[];
	/** Stops the request (default: the execution's cancel signal). */
	signal?: AbortSignal;
}

export interface ObjectIdentifier {
	key: string;
	versionId?: string;
}

export interface BatchDeleteResult {
	deleted: ObjectIdentifier[];
	errors: Array<ObjectIdentifier & { code: string; message: string }>;
}

export class S3Connection {
	constructor(
		readonly node: INode,
		readonly client: S3Client,
		readonly resolved: ResolvedEndpoint,
		readonly defaultBucket: string,
		readonly signal: AbortSignal | undefined,
		/** Attempts per request, also the resumes a download may make without progress. */
		readonly maxAttempts = DEFAULT_MAX_ATTEMPTS,
		/** Who signs in where (a hash): two connections with the same one can copy server-side between them. */
		readonly identity = '',
	) {}

	get cancelled(): boolean {
		return this.signal?.aborted ?? false;
	}

	/** Runs `listener` when the execution is cancelled; returns the function that stops listening. */
	onCancel(listener: () => void): () => void {
		if (this.signal?.aborted) listener();
		this.signal?.addEventListener('abort', listener, { once: true });
		return () => this.signal?.removeEventListener('abort', listener);
	}

	describe(error: unknown, context: S3ErrorContext): NodeApiError {
		const expectedBucketOwner = accountSettingsOfClient(this.client).expectedBucketOwner !== undefined;
		return toNodeApiError(this.node, error, { endpoint: this.resolved.endpoint, ...(expectedBucketOwner ? { expectedBucketOwner } : {}), ...context });
	}

	fail(error: unknown, context: S3ErrorContext): never {
		throw this.describe(error, context);
	}

	async send<C extends AnyCommand>(command: C, context: S3ErrorContext): Promise<OutputOf<C>>;
	async send<C extends AnyCommand>(command: C, context: S3ErrorContext, options: SendOptions): Promise<OutputOf<C> | undefined>;
	async send<C extends AnyCommand>(command: C, context: S3ErrorContext, options: SendOptions = {}): Promise<OutputOf<C> | undefined> {
		try {
			return (await this.client.send(command as never, { abortSignal: options.signal ?? this.signal })) as OutputOf<C>;
		} catch (error) {
			const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
			if (status !== undefined && options.tolerate?.includes(status as ToleratedStatus)) return undefined;
			const storageClass = (command.input as { StorageClass?: string }).StorageClass;
			return this.fail(error, storageClass ? { storageClass, ...context } : context);
		}
	}

	/** Pages through ListObjectsV2, one response at a time, so nothing beyond a page is held. */
	async *listObjectPages(input: ListObjectsV2CommandInput, context: S3ErrorContext): AsyncGenerator<ListObjectsV2CommandOutput> {
		let continuationToken = input.ContinuationToken;
		do {
			let page: ListObjectsV2CommandOutput | undefined = await this.send(new ListObjectsV2Command({ ...input, ContinuationToken: continuationToken }), context);
			continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
			yield page;
			// Not held through the next request: a consumer that maps each page lets it go at once.
			page = undefined;
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
			const page = await this.send(
				new ListObjectVersionsCommand({ ...input, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
				context,
				{ tolerate: options.unsupportedMeansNone ? [405, 501] : [] },
			);
			if (!page) return;
			yield page;
			keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
			versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
		} while (keyMarker);
	}

	/** One DeleteObjects request (at most 1,000 keys); per-key failures come back, not thrown. */
	async deleteBatch(bucket: string, objects: ObjectIdentifier[], context: S3ErrorContext): Promise<BatchDeleteResult> {
		if (objects.length === 0) return { deleted: [], errors: [] };
		const output = await this.send(
			new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.map((o) => ({ Key: o.key, VersionId: o.versionId })), Quiet: false } }),
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

	/** Uploads a body of any size (upload.ts). */
	async upload(input: UploadParams, tuning: UploadTuning, context: S3ErrorContext): Promise<UploadResult> {
		return await upload(this, input, tuning, context);
	}

	/** Copies an object server-side (copy.ts). */
	async copyObject(params: CopyParams, tuning: CopyTuning, itemIndex?: number): Promise<CopyResult> {
		return await copyObject(this, params, tuning, itemIndex);
	}

	/** Opens an outside HTTP(S) GET (httpSource.ts), stopped by the execution's cancel; an HTTP error fails here. */
	async openUrl(request: HttpSourceRequest, context: S3ErrorContext): Promise<HttpSource> {
		try {
			return await openHttpSource({ signal: this.signal, ...request });
		} catch (error) {
			return this.fail(error, context);
		}
	}

	/** GetObject with a body that resumes after a cut and is verified against its ETag (download.ts). */
	async getObject(input: GetObjectCommandInput, context: S3ErrorContext): Promise<ObjectDownload>;
	async getObject(input: GetObjectCommandInput, context: S3ErrorContext, options: { tolerateNotFound: true }): Promise<ObjectDownload | undefined>;
	async getObject(input: GetObjectCommandInput, context: S3ErrorContext, options: { tolerateNotFound?: boolean } = {}) {
		return await getObject(this, input, context, options);
	}
}

/**
 * The connection for one of the node's credentials (the node's own by default; Transfer's destination
 * has a second type), built once and shared by every item.
 */
export async function getConnection(
	this: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions | IWebhookFunctions,
	credentialType = CREDENTIAL_TYPE,
): Promise<S3Connection> {
	const credentials = await this.getCredentials<S3StorageCredentials>(credentialType);
	const which = credentialType === CREDENTIAL_TYPE ? 'The S3 Storage credential' : 'The destination credential';
	try {
		const { client, resolved } = getClient(credentials);
		const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
		return new S3Connection(
			this.getNode(),
			client,
			resolved,
			credentials.defaultBucket?.trim() ?? '',
			signal,
			credentials.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
			identityOf(credentials, resolved),
		);
	} catch (error) {
		const message = error instanceof EndpointSettingsError ? error.message : `${which} cannot be used: ${(error as Error).message}`;
		throw new NodeOperationError(this.getNode(), message, {
			// Sign-in settings errors (transport/auth.ts) say how to fix them, e.g. how to allow machine identity.
			description: (error as { description?: string }).description ?? `Open ${which.charAt(0).toLowerCase()}${which.slice(1)} and complete its connection settings.`,
		});
	}
}

/** The endpoint and the sign-in (keys, role, profile) as a hash: equal for two credentials that act as the same user on the same server. */
function identityOf(credentials: S3StorageCredentials, resolved: ResolvedEndpoint): string {
	const signIn = [credentials.authentication ?? 'accessKeys', credentials.accessKeyId, credentials.profileName, credentials.sourceCredentials, credentials.roleArn, credentials.externalId];
	return createHash('sha256').update(JSON.stringify([resolved.endpoint ?? 'aws', ...signIn])).digest('hex');
}
