/**
 * Presigned URLs and POST policies. Signing happens locally (no request is sent), but it still
 * belongs to the transport: it needs the connection's client, credentials and endpoint rules.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeOperationError } from 'n8n-workflow';

import { ACCOUNT_HEADERS_MIDDLEWARE, accountSettingsOfClient } from './accountHeaders';
import { toNodeApiError } from './errors';
import type { S3Connection } from './index';

/** SigV4 presigned URLs and POST policies are valid for at most seven days. */
export const MAX_PRESIGN_EXPIRY_SECONDS = 604_800;

interface PresignCommon {
	bucket: string;
	/** Seconds the URL or form stays valid: 1 to 604,800 (seven days). */
	expiresIn: number;
	/** For error messages. */
	itemIndex?: number;
}

export interface PresignGetParams extends PresignCommon {
	key: string;
	versionId?: string;
	/** Content-Type the server answers with for this URL (`response-content-type`). */
	responseContentType?: string;
	/** Content-Disposition the server answers with, e.g. `attachment; filename="a.pdf"`. */
	responseContentDisposition?: string;
}

export interface PresignPutParams extends PresignCommon {
	key: string;
	/** When given, it is signed: the uploader must send exactly this Content-Type header. */
	contentType?: string;
}

export interface PresignPostParams extends PresignCommon {
	/** Exact key the form may upload to. Either this or `keyPrefix`. */
	key?: string;
	/** Uploads may go to any key starting with this; the form's default key is `<prefix>${filename}`. */
	keyPrefix?: string;
	/** Exact Content-Type the form must send. */
	contentType?: string;
	/** Content-Type must start with this, e.g. `image/`. */
	contentTypePrefix?: string;
	/** Smallest accepted file, in bytes. */
	minSize?: number;
	/** Largest accepted file, in bytes. */
	maxSize?: number;
}

/** How long a signed URL or form works, which may be less than asked for. */
export interface PresignedLifetime {
	/** When the URL stops working, ISO 8601: never later than the signing credentials' expiration. */
	expiresAt: string;
	/** Seconds the URL works from when it was signed. */
	expiresIn: number;
	/**
	 * Set when the URL works for less than `expiresIn` asked: the temporary credentials that signed
	 * it (assumed role, session token, machine identity) expire first, and the server refuses the
	 * URL from then on, whatever its own expiry says.
	 */
	cutShort?: { requestedExpiresIn: number; credentialsExpireAt: string };
}

export interface PresignedRequest extends PresignedLifetime {
	url: string;
	method: 'GET' | 'PUT';
	/** Headers the client must send with the request (only when a signed header demands it). */
	headers: Record<string, string>;
}

export interface PresignedPost extends PresignedLifetime {
	url: string;
	method: 'POST';
	/** Form fields to send, in this order, before the `file` field. */
	fields: Record<string, string>;
}

/** Rejects expiries S3 would refuse (or that make no sense) before anything is signed. */
export function checkExpiry(connection: S3Connection, expiresIn: number, itemIndex?: number): number {
	if (!Number.isFinite(expiresIn) || expiresIn < 1 || !Number.isInteger(expiresIn)) {
		throw new NodeOperationError(connection.node, `The expiry must be a whole number of seconds of at least 1 (got ${expiresIn})`, {
			itemIndex,
			description: 'Set "Expires In" to how long the URL should work, e.g. 3600 for one hour.',
		});
	}
	if (expiresIn > MAX_PRESIGN_EXPIRY_SECONDS) {
		throw new NodeOperationError(
			connection.node,
			`The expiry of ${expiresIn} seconds is longer than the 7 days (604,800 seconds) a presigned URL can last`,
			{
				itemIndex,
				description:
					'S3 signature version 4 limits presigned URLs and POST policies to 7 days. Choose a shorter expiry, and create a new URL when it runs out.',
			},
		);
	}
	return expiresIn;
}

/**
 * The client as the presigner sees it: the same middleware and credentials, but checksums only
 * when an operation requires them. Otherwise (AWS endpoints use WHEN_SUPPORTED) a presigned PUT
 * carries the CRC32 of an empty body, and a plain `curl -T file URL` is refused.
 */
function presigningClient(client: S3Client): S3Client {
	const whenRequired = async () => 'WHEN_REQUIRED' as const;
	// Without the account headers: the presigner would move them into the URL, and an expected
	// bucket owner has no documented place there. Requester Pays goes on the command instead (requesterPaysOf).
	const middlewareStack = client.middlewareStack.clone();
	middlewareStack.remove(ACCOUNT_HEADERS_MIDDLEWARE);
	return {
		config: { ...client.config, requestChecksumCalculation: whenRequired, responseChecksumValidation: whenRequired },
		middlewareStack,
	} as unknown as S3Client;
}

/** RequestPayer for a presigned GET or PUT: signed into the URL as x-amz-request-payer=requester, so whoever uses it may read a requester-pays bucket. */
function requesterPaysOf(connection: S3Connection): { RequestPayer?: 'requester' } {
	return accountSettingsOfClient(connection.client).requesterPays ? { RequestPayer: 'requester' } : {};
}

interface SigningWindow {
	/** The signing time, on whole seconds as SigV4 writes it, so `expiresAt` is exact. */
	signingDate: Date;
	lifetime: PresignedLifetime;
}

/**
 * When to sign and for how long: the expiry asked for, cut to the signing credentials' expiration
 * when they are temporary and run out sooner (a URL outlives nothing that signed it).
 */
async function signingWindow(
	connection: S3Connection,
	requested: number,
	context: { action: string; bucket: string; key?: string; itemIndex?: number },
): Promise<SigningWindow> {
	const itemIndex = context.itemIndex;
	const config = connection.client.config as unknown as {
		credentials: () => Promise<{ expiration?: Date }>;
		systemClockOffset?: number;
	};
	let credentials: { expiration?: Date };
	try {
		// The same provider the signer asks next; it hands out the same (memoized) credentials.
		credentials = await config.credentials();
	} catch (error) {
		throw toNodeApiError(connection.node, error, { ...context, endpoint: connection.resolved.endpoint });
	}
	const now = Date.now() + (config.systemClockOffset ?? 0);
	const signingDate = new Date(Math.floor(now / 1000) * 1000);
	const expiration = credentials.expiration?.getTime();
	let expiresIn = requested;
	let cutShort: PresignedLifetime['cutShort'];
	if (expiration !== undefined && !Number.isNaN(expiration)) {
		// A second to spare: the POST form reads the clock again when it signs.
		const remaining = Math.floor((expiration - now - 1000) / 1000);
		if (remaining < 1) {
			throw new NodeOperationError(connection.node, 'The temporary credentials that would sign the URL have expired', {
				itemIndex,
				description: 'Run the node again: new temporary credentials are fetched when the old ones run out.',
			});
		}
		if (remaining < requested) {
			expiresIn = remaining;
			cutShort = { requestedExpiresIn: requested, credentialsExpireAt: new Date(expiration).toISOString() };
		}
	}
	const expiresAt = new Date(signingDate.getTime() + expiresIn * 1000).toISOString();
	return { signingDate, lifetime: { expiresAt, expiresIn, ...(cutShort ? { cutShort } : {}) } };
}

/** The expiration a POST policy carries, which is when the form stops working. */
function policyExpiration(policy: string | undefined): string | undefined {
	try {
		const expiration = (JSON.parse(Buffer.from(policy ?? '', 'base64').toString('utf8')) as { expiration?: unknown }).expiration;
		return typeof expiration === 'string' ? new Date(expiration).toISOString() : undefined;
	} catch {
		return undefined;
	}
}

/** A URL anyone can GET the object with until it expires. */
export async function presignGetObject(connection: S3Connection, params: PresignGetParams): Promise<PresignedRequest> {
	const expiresIn = checkExpiry(connection, params.expiresIn, params.itemIndex);
	const command = new GetObjectCommand({
		Bucket: params.bucket,
		Key: params.key,
		VersionId: params.versionId || undefined,
		ResponseContentType: params.responseContentType || undefined,
		ResponseContentDisposition: params.responseContentDisposition || undefined,
		...requesterPaysOf(connection),
	});
	const context = { action: 'create a download URL for', bucket: params.bucket, key: params.key, itemIndex: params.itemIndex };
	const { signingDate, lifetime } = await signingWindow(connection, expiresIn, context);
	try {
		const url = await getSignedUrl(presigningClient(connection.client), command, { expiresIn: lifetime.expiresIn, signingDate });
		return { url, method: 'GET', ...lifetime, headers: {} };
	} catch (error) {
		throw toNodeApiError(connection.node, error, {
			action: 'create a download URL for',
			bucket: params.bucket,
			key: params.key,
			itemIndex: params.itemIndex,
			endpoint: connection.resolved.endpoint,
		});
	}
}

/**
 * A URL anyone can PUT the object's bytes to until it expires, e.g. `curl -T file.pdf "<url>"`.
 * Only `host` is signed unless a content type is given; then `Content-Type` is signed too and the
 * uploader must send it (it is returned in `headers`).
 */
export async function presignPutObject(connection: S3Connection, params: PresignPutParams): Promise<PresignedRequest> {
	const expiresIn = checkExpiry(connection, params.expiresIn, params.itemIndex);
	const contentType = params.contentType?.trim() || undefined;
	const command = new PutObjectCommand({ Bucket: params.bucket, Key: params.key, ContentType: contentType, ...requesterPaysOf(connection) });
	const context = { action: 'create an upload URL for', bucket: params.bucket, key: params.key, itemIndex: params.itemIndex };
	const { signingDate, lifetime } = await signingWindow(connection, expiresIn, context);
	try {
		const url = await getSignedUrl(presigningClient(connection.client), command, {
			expiresIn: lifetime.expiresIn,
			signingDate,
			...(contentType ? { signableHeaders: new Set(['content-type']) } : {}),
		});
		return {
			url,
			method: 'PUT',
			...lifetime,
			headers: contentType ? { 'Content-Type': contentType } : {},
		};
	} catch (error) {
		throw toNodeApiError(connection.node, error, {
			action: 'create an upload URL for',
			bucket: params.bucket,
			key: params.key,
			itemIndex: params.itemIndex,
			endpoint: connection.resolved.endpoint,
		});
	}
}

type PolicyCondition =
	| Record<string, string>
	| ['eq' | 'starts-with', string, string]
	| ['content-length-range', number, number];

/**
 * A POST policy for an HTML form (or any multipart/form-data POST): the browser sends `fields`
 * followed by the `file` field to `url`. The server enforces the key, content-type and size
 * conditions signed into the policy.
 */
export async function presignPost(connection: S3Connection, params: PresignPostParams): Promise<PresignedPost> {
	const node = connection.node;
	const expiresIn = checkExpiry(connection, params.expiresIn, params.itemIndex);
	const hasKey = params.key !== undefined && params.key !== '';
	if (hasKey === (params.keyPrefix !== undefined)) {
		throw new NodeOperationError(node, 'Give either an exact key or a key prefix for the upload form, not both', {
			itemIndex: params.itemIndex,
			description: 'Choose "Exact Key" to allow one object, or "Key Prefix" to allow any key in a folder.',
		});
	}
	const { minSize, maxSize } = params;
	for (const [name, value] of [
		['Minimum size', minSize],
		['Maximum size', maxSize],
	] as const) {
		if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
			throw new NodeOperationError(node, `${name} must be a whole number of bytes, 0 or more (got ${value})`, {
				itemIndex: params.itemIndex,
				description: 'Give the size in bytes, e.g. 10485760 for 10 MiB.',
			});
		}
	}
	if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
		throw new NodeOperationError(node, `The minimum size (${minSize} bytes) is larger than the maximum size (${maxSize} bytes)`, {
			itemIndex: params.itemIndex,
			description: 'Lower the minimum size or raise the maximum size.',
		});
	}

	const conditions: PolicyCondition[] = [];
	const fields: Record<string, string> = {};
	const contentType = params.contentType?.trim();
	if (contentType) {
		conditions.push({ 'Content-Type': contentType });
		fields['Content-Type'] = contentType;
	} else if (params.contentTypePrefix) {
		conditions.push(['starts-with', '$Content-Type', params.contentTypePrefix]);
	}
	if (minSize !== undefined || maxSize !== undefined) {
		// S3 objects are at most 5 TiB.
		conditions.push(['content-length-range', minSize ?? 0, maxSize ?? 5 * 1024 ** 4]);
	}
	// `${filename}` is replaced by S3 with the uploaded file's name; the policy then only pins the prefix.
	const key = hasKey ? (params.key as string) : `${params.keyPrefix}\${filename}`;
	const { lifetime } = await signingWindow(connection, expiresIn, {
		action: 'create an upload form for',
		bucket: params.bucket,
		key,
		itemIndex: params.itemIndex,
	});
	try {
		const post = await createPresignedPost(presigningClient(connection.client) as never, {
			Bucket: params.bucket,
			Key: key,
			Conditions: conditions,
			Fields: fields,
			Expires: lifetime.expiresIn,
		});
		// The form signs its own clock reading: its policy says exactly when it stops working.
		const expiresAt = policyExpiration(post.fields.Policy) ?? lifetime.expiresAt;
		return { url: post.url, method: 'POST', ...lifetime, expiresAt, fields: post.fields };
	} catch (error) {
		throw toNodeApiError(node, error, {
			action: 'create an upload form for',
			bucket: params.bucket,
			key,
			itemIndex: params.itemIndex,
			endpoint: connection.resolved.endpoint,
		});
	}
}
