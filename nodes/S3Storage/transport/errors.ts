import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What the failing request was about, so the message can name it. */
export interface S3ErrorContext {
	/** Human wording of the action, e.g. "upload", "list objects". */
	action: string;
	bucket?: string;
	key?: string;
	itemIndex?: number;
	endpoint?: string;
}

interface SdkErrorShape {
	name?: string;
	message?: string;
	code?: string;
	Code?: string;
	$metadata?: { httpStatusCode?: number; requestId?: string };
	$fault?: string;
	cause?: unknown;
}

export interface DescribedError {
	code: string;
	httpStatus?: number;
	message: string;
	description: string;
}

const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved (DNS lookup failed)',
	ETIMEDOUT: 'the connection timed out',
	ECONNRESET: 'the connection was reset by the server',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	TimeoutError: 'the connection timed out',
};

/** Node's codes for a TLS connection that could not be verified or set up. */
export const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'EPROTO',
]);

const isNetworkCode = (code: string) => Boolean(NETWORK_CODES[code]) || TLS_CODES.has(code);

function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const candidate = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
		if (typeof candidate.code === 'string' && isNetworkCode(candidate.code)) return candidate.code;
		if (candidate.name === 'TimeoutError') return 'TimeoutError';
		// The SDK wraps errors it does not recognise as Errors ("AWS SDK error wrapper for Error: connect
		// ECONNREFUSED ..."), keeping the code only in the text.
		const fromText = typeof candidate.message === 'string' ? /\b(E[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/.exec(candidate.message)?.[1] : undefined;
		if (fromText && isNetworkCode(fromText)) return fromText;
		if (typeof candidate.message === 'string' && /certificate|self[- ]signed|wrong version number|SSL routines/i.test(candidate.message)) {
			return 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
		}
		current = candidate.cause;
	}
	return undefined;
}

/** The action with what it was done to: 'upload object "k" in bucket "b"', or just 'list buckets'. */
function doing(context: S3ErrorContext, subject: string): string {
	return context.bucket ? `${context.action} ${subject}` : context.action;
}

function target(context: S3ErrorContext): string {
	if (context.key !== undefined && context.bucket) return `object "${context.key}" in bucket "${context.bucket}"`;
	if (context.bucket) return `bucket "${context.bucket}"`;
	return 'the S3 service';
}

/**
 * Turns any failure of an S3 call into words a workflow author can act on. The server's own
 * message is used when there is one; Ceph RGW and others send an empty one, so the code and
 * HTTP status always carry the meaning.
 */
export function describeS3Error(error: unknown, context: S3ErrorContext): DescribedError {
	// Sign-in failures (transport/auth.ts) come already described: source credentials or AssumeRole, not S3.
	const authFailure = (error as { authFailure?: DescribedError } | undefined)?.authFailure;
	if (authFailure) return authFailure;
	const sdkError = (error ?? {}) as SdkErrorShape;
	const httpStatus = sdkError.$metadata?.httpStatusCode;
	const net = networkCode(error);
	const where = context.endpoint ? ` at ${context.endpoint}` : '';

	if (net && TLS_CODES.has(net)) {
		return {
			code: net,
			message: `Could not ${context.action}: the TLS connection to the S3 endpoint${where} failed (${net})`,
			description:
				'The server\'s certificate could not be verified, or the endpoint does not speak HTTPS. Check the endpoint\'s scheme (http/https), give the CA certificate in the credential\'s "Custom CA Certificate", or, for a test server only, turn on "Accept Self-Signed Certificates".',
		};
	}
	if (net) {
		return {
			code: net,
			message: `Could not ${context.action}: the S3 endpoint${where} is unreachable (${NETWORK_CODES[net]})`,
			description: 'Check the credential\'s Endpoint and Region, that the server is running, and that n8n can reach it over the network.',
		};
	}
	if (sdkError.name === 'AbortError') {
		return { code: 'Aborted', message: `The ${context.action} was cancelled`, description: 'The execution was stopped before the request finished.' };
	}

	const code = sdkError.Code ?? sdkError.name ?? sdkError.code ?? 'UnknownError';
	const serverMessage = sdkError.message && sdkError.message !== code && sdkError.message !== 'UnknownError' ? sdkError.message : '';
	const subject = target(context);
	const known = describeKnownCode(code, httpStatus, subject, context);
	if (known) return { code, httpStatus, ...known };

	const status = httpStatus ? `HTTP ${httpStatus}` : 'no HTTP status';
	return {
		code,
		httpStatus,
		message: `Could not ${doing(context, subject)}: ${serverMessage || code} (${code}, ${status})`,
		description: 'The S3 server refused the request. The code above is the server\'s own; see your provider\'s S3 error reference for it.',
	};
}

function describeKnownCode(
	code: string,
	httpStatus: number | undefined,
	subject: string,
	context: S3ErrorContext,
): { message: string; description: string } | undefined {
	const bucket = context.bucket ?? '';
	switch (code) {
		case 'NoSuchBucket':
			return {
				message: `Bucket "${bucket}" does not exist`,
				description: 'Check the bucket name (and the credential\'s region and endpoint), or create it with Bucket > Create.',
			};
		case 'NoSuchKey':
			return {
				message: `Object "${context.key}" not found in bucket "${bucket}"`,
				description: 'Check the key: keys are case-sensitive and include any folder prefix, e.g. "reports/2024/summary.csv".',
			};
		case 'NotFound':
			return context.key !== undefined
				? { message: `Object "${context.key}" not found in bucket "${bucket}"`, description: 'Check the key: keys are case-sensitive and include any folder prefix.' }
				: { message: `Bucket "${bucket}" does not exist`, description: 'Check the bucket name, or create it with Bucket > Create.' };
		case 'NoSuchVersion':
			return { message: `The requested version of ${subject} does not exist`, description: 'Check the version ID; list versions with Object > Get Many Versions.' };
		case 'InvalidAccessKeyId':
			return {
				message: `The access key ID is not known to the server (while trying to ${doing(context, subject)})`,
				description: 'Check "Access Key ID" in the credential, and that the credential\'s provider and endpoint match where the key was created.',
			};
		case 'SignatureDoesNotMatch':
			return {
				message: `The secret access key is wrong: the server rejected the request signature (while trying to ${doing(context, subject)})`,
				description: 'Check "Secret Access Key" in the credential (no spaces or line breaks). If it is right, check the region and that a proxy does not rewrite the request.',
			};
		case 'AccessDenied':
		case 'Forbidden':
		case 'AllAccessDisabled':
			return {
				message: `Access denied: the credential may not ${doing(context, subject)}`,
				description: 'The keys were accepted but lack permission. Grant the matching s3: action on this bucket to the key\'s user or role (or check the bucket policy).',
			};
		case 'ExpiredToken':
		case 'TokenRefreshRequired':
		case 'InvalidToken':
			return {
				message: `The session token has expired or is invalid (while trying to ${doing(context, subject)})`,
				description: 'Temporary credentials expire; renew the session token in the credential, or use a sign-in mode that refreshes them.',
			};
		case 'RequestTimeTooSkewed':
			return { message: `The server rejected the request because n8n's clock is off`, description: 'Synchronise the clock of the machine running n8n (NTP).' };
		case 'AuthorizationHeaderMalformed':
		case 'PermanentRedirect':
		case 'IllegalLocationConstraintException':
			return {
				message: `Wrong region or endpoint for ${subject} (${code})`,
				description: 'Set the credential\'s region to the bucket\'s region (Bucket > Get shows it), or check the endpoint.',
			};
		case 'BucketAlreadyExists':
			return { message: `Bucket "${bucket}" already exists and belongs to someone else`, description: 'Bucket names are global on most services; choose another name.' };
		case 'BucketAlreadyOwnedByYou':
			return { message: `Bucket "${bucket}" already exists (you own it)`, description: 'Use the existing bucket, or choose another name.' };
		case 'BucketNotEmpty':
			return {
				message: `Bucket "${bucket}" is not empty`,
				description: 'Delete its objects first, or turn on the option to empty the bucket before deleting it.',
			};
		case 'InvalidBucketName':
			return {
				message: `"${bucket}" is not a valid bucket name`,
				description: 'Bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.',
			};
		case 'PreconditionFailed':
			return {
				message: `${subject.charAt(0).toUpperCase()}${subject.slice(1)} already exists or does not match the condition`,
				description: 'The upload was set not to overwrite an existing object. Choose another key, or turn the option off.',
			};
		case 'EntityTooLarge':
			return { message: `The upload is too large for a single request (${subject})`, description: 'Lower the part size option so the file goes up in several parts.' };
		case 'SlowDown':
		case 'ServiceUnavailable':
		case 'TooManyRequests':
			return {
				message: `The server is throttling requests (${code}, HTTP ${httpStatus ?? 503}) while trying to ${doing(context, subject)}`,
				description: 'Lower the node\'s concurrency or raise the credential\'s Max Attempts so retries back off longer.',
			};
		case 'InvalidObjectState':
			return { message: `${subject} is archived and cannot be read until it is restored`, description: 'Restore it from its archive storage class first.' };
		case 'MalformedXML':
		case 'InvalidArgument':
		case 'InvalidRequest':
			return undefined;
		default:
			if (httpStatus === 403) {
				return {
					message: `Access denied (${code}, HTTP 403): the credential may not ${doing(context, subject)}`,
					description: 'Check the keys, region and permissions in the credential.',
				};
			}
			if (httpStatus === 404) {
				return {
					message: `Not found (${code}, HTTP 404): ${subject}`,
					description: 'Check the bucket name and key, and the credential\'s endpoint.',
				};
			}
			return undefined;
	}
}

/** The one way transport failures leave this package: a NodeApiError without secrets or raw SDK state. */
export function toNodeApiError(node: INode, error: unknown, context: S3ErrorContext): NodeApiError {
	const described = describeS3Error(error, context);
	const itemSuffix = context.itemIndex !== undefined ? ` [item ${context.itemIndex}]` : '';
	// Only plain, secret-free facts go into the error; the SDK error holds the request and its headers.
	const safe: JsonObject = {
		s3ErrorCode: described.code,
		message: described.message,
		...(described.httpStatus ? { httpStatus: described.httpStatus } : {}),
		...(context.bucket ? { bucket: context.bucket } : {}),
		...(context.key !== undefined ? { key: context.key } : {}),
		...((error as SdkErrorShape)?.$metadata?.requestId ? { requestId: (error as SdkErrorShape).$metadata!.requestId! } : {}),
	};
	return new NodeApiError(node, safe, {
		message: `${described.message}${itemSuffix}`,
		description: described.description,
		httpCode: described.httpStatus ? String(described.httpStatus) : undefined,
		itemIndex: context.itemIndex,
	});
}
