/**
 * The multipart state machine, shared by file uploads, stream uploads (through lib-storage) and
 * multipart copies: create, parts through the one pool (the first failure or a cancel stops every
 * part in flight), complete, and abort. Nothing is left behind: a failed or cancelled upload is
 * aborted with retries, and when even that fails the error names the upload ID and how to remove it.
 * "Do not overwrite" holds on every server: the key is checked before creating and again before
 * completing (Ceph RGW 16 ignores If-None-Match on CompleteMultipartUpload), and the header is kept
 * for the servers that enforce it atomically (AWS, MinIO, R2). "Only if unchanged" (If-Match) is
 * checked the same way: Ceph RGW 16 ignores If-Match on CompleteMultipartUpload too.
 */
import {
	AbortMultipartUploadCommand,
	CompleteMultipartUploadCommand,
	type CompletedPart,
	CreateMultipartUploadCommand,
	type CreateMultipartUploadCommandInput,
	HeadObjectCommand,
	PutObjectTaggingCommand,
	type Tag,
} from '@aws-sdk/client-s3';
import type { NodeApiError } from 'n8n-workflow';

import type { S3Connection } from './connection';
import { CustomerKeyIgnoredError, type S3ErrorContext } from './errors';
import { ifMatchOnWire, quotedEtag } from './integrity';
import { runPool } from './pool';

export interface MultipartResult {
	etag?: string;
	versionId?: string;
}

/** What every request of one upload carries: where it goes, and the SSE-C key parts must repeat. */
type Target = Pick<
	CreateMultipartUploadCommandInput,
	'Bucket' | 'Key' | 'ExpectedBucketOwner' | 'SSECustomerAlgorithm' | 'SSECustomerKey' | 'SSECustomerKeyMD5' | 'RequestPayer'
>;

/** The answer S3 gives when a conditional write's condition fails (key taken, ETag changed); worded by the error table. */
export function keyTakenError(): Error {
	return Object.assign(new Error('PreconditionFailed'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
}

export class MultipartUpload {
	uploadId: string | undefined;
	/** Stops the parts in flight: the first failure or the execution's cancel fires it. */
	readonly stop = new AbortController();
	private abortFailure: unknown;
	private readonly target: Target;

	constructor(
		private readonly connection: S3Connection,
		params: CreateMultipartUploadCommandInput & { IfNoneMatch?: string; IfMatch?: string },
		private readonly context: S3ErrorContext,
		private readonly tags: Tag[] = [],
	) {
		this.target = {
			Bucket: params.Bucket,
			Key: params.Key,
			ExpectedBucketOwner: params.ExpectedBucketOwner,
			SSECustomerAlgorithm: params.SSECustomerAlgorithm,
			SSECustomerKey: params.SSECustomerKey,
			SSECustomerKeyMD5: params.SSECustomerKeyMD5,
			RequestPayer: params.RequestPayer,
		};
		this.doNotOverwrite = params.IfNoneMatch === '*';
		this.ifMatch = params.IfMatch || undefined;
	}

	readonly doNotOverwrite: boolean;
	/** The ETag the object must still have ("*": any object), quoted. */
	readonly ifMatch: string | undefined;

	/** Refuses, as S3 would with If-None-Match or If-Match, when the key holds an object, or not the one expected. */
	async assertKeyFree(): Promise<void> {
		if (!this.doNotOverwrite && !this.ifMatch) return;
		const customerKey = this.target.SSECustomerKey !== undefined;
		const head = await this.connection.send(
			new HeadObjectCommand({
				Bucket: this.target.Bucket,
				Key: this.target.Key,
				ExpectedBucketOwner: this.target.ExpectedBucketOwner,
				// An object encrypted with the key answers a HEAD only with it.
				SSECustomerAlgorithm: this.target.SSECustomerAlgorithm,
				SSECustomerKey: this.target.SSECustomerKey,
			}),
			{ ...this.context, customerKey },
			{ tolerate: [404], signal: this.stop.signal },
		);
		if (this.doNotOverwrite && head) throw keyTakenError();
		if (this.ifMatch && (!head || (this.ifMatch !== '*' && quotedEtag(head.ETag) !== this.ifMatch))) throw keyTakenError();
	}

	/** Throws when the key was asked for and the server's answer does not confirm it (it ignored the key). */
	assertCustomerKeyUsed(answer: { SSECustomerAlgorithm?: string } | undefined): void {
		if (this.target.SSECustomerKey !== undefined && !answer?.SSECustomerAlgorithm) throw new CustomerKeyIgnoredError();
	}

	async create(params: CreateMultipartUploadCommandInput): Promise<void> {
		await this.assertKeyFree();
		const created = await this.connection.client.send(new CreateMultipartUploadCommand(params), { abortSignal: this.stop.signal });
		this.uploadId = created.UploadId;
		this.assertCustomerKeyUsed(created);
	}

	/** Runs `count` parts, `queueSize` at a time; the first failure stops the others at once. */
	async parts(count: number, queueSize: number, sendPart: (index: number, signal: AbortSignal) => Promise<CompletedPart>): Promise<CompletedPart[]> {
		return await runPool(count, queueSize, async (index) =>
			await sendPart(index, this.stop.signal).catch(async (error: unknown) => {
				this.stop.abort();
				return await Promise.reject(error);
			}),
		);
	}

	async complete(parts: CompletedPart[]): Promise<MultipartResult> {
		await this.assertKeyFree();
		const completed = await this.connection.client.send(
			new CompleteMultipartUploadCommand({
				...this.target,
				UploadId: this.uploadId,
				MultipartUpload: { Parts: parts },
				IfNoneMatch: this.doNotOverwrite ? '*' : undefined,
				IfMatch: ifMatchOnWire(this.ifMatch, this.connection.resolved.isAws),
			}),
			{ abortSignal: this.stop.signal },
		);
		this.uploadId = undefined;
		await this.tag(completed.VersionId);
		return { etag: await this.etagOf(completed.ETag, completed.VersionId), versionId: completed.VersionId };
	}

	/** The ETag of the completed object; Ceph RGW 16 answers CompleteMultipartUpload with an empty one, so ask. */
	async etagOf(answered: string | undefined, versionId: string | undefined): Promise<string | undefined> {
		if (quotedEtag(answered)) return quotedEtag(answered);
		const head = await this.connection.send(
			new HeadObjectCommand({ Bucket: this.target.Bucket, Key: this.target.Key, VersionId: versionId, ExpectedBucketOwner: this.target.ExpectedBucketOwner, SSECustomerAlgorithm: this.target.SSECustomerAlgorithm, SSECustomerKey: this.target.SSECustomerKey, SSECustomerKeyMD5: this.target.SSECustomerKeyMD5 }),
			{ ...this.context, action: 'read the ETag of' },
			{ tolerate: [404] },
		);
		return quotedEtag(head?.ETag);
	}

	/** Tags once complete: some servers (Ceph RGW 16) ignore tags given to CreateMultipartUpload. */
	async tag(versionId: string | undefined): Promise<void> {
		if (this.tags.length === 0) return;
		await this.connection.send(
			new PutObjectTaggingCommand({ Bucket: this.target.Bucket, Key: this.target.Key, VersionId: versionId, ExpectedBucketOwner: this.target.ExpectedBucketOwner, Tagging: { TagSet: this.tags } }),
			{ ...this.context, action: 'set the tags of' },
		);
	}

	/**
	 * Aborts the upload, without the cancel signal (it must go out after a cancel too); the client's
	 * retries carry it through short outages. A failure is kept for `failure()` to report.
	 */
	async abort(): Promise<void> {
		const uploadId = this.uploadId;
		if (!uploadId) return;
		this.uploadId = undefined;
		try {
			await this.connection.client.send(new AbortMultipartUploadCommand({ ...pick(this.target), UploadId: uploadId }));
		} catch (error) {
			this.abortFailure = { uploadId, error };
		}
	}

	/** The error to throw for `error`, once the upload is aborted: names the upload when it is left behind. */
	async failure(error: unknown): Promise<NodeApiError> {
		this.stop.abort();
		await this.abort();
		const failed = isNodeApiError(error) ? error : this.connection.describe(error, this.context);
		if (this.abortFailure) {
			const { uploadId, error: abortError } = this.abortFailure as { uploadId: string; error: unknown };
			const why = this.connection.describe(abortError, { ...this.context, action: 'abort the incomplete upload of' }).message;
			failed.description = `${failed.description ?? ''} The incomplete multipart upload ${uploadId} of this object could not be removed (${why}): it keeps its parts, and their storage cost, until it is aborted. Remove it with Bucket > Abort Incomplete Uploads, or a lifecycle rule that aborts incomplete uploads.`.trim();
		}
		return failed;
	}
}

function pick(target: Target) {
	return { Bucket: target.Bucket, Key: target.Key, ExpectedBucketOwner: target.ExpectedBucketOwner, RequestPayer: target.RequestPayer };
}

export function isNodeApiError(error: unknown): error is NodeApiError {
	return (error as { name?: string } | undefined)?.name === 'NodeApiError';
}
