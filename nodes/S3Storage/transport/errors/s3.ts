/**
 * S3's answers in words: every failure of an S3 call leaves the package through `toNodeApiError`,
 * worded by `describeS3Error` from the server's code and HTTP status (Ceph RGW and others send
 * empty messages), the network table (./network) or the sign-in failure (./signIn).
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DamagedBodyError, IncompleteBodyError } from './body';
import { CustomerKeyIgnoredError, describeCustomerKeyFailure, describeEncryptionRefusal } from './encryption';
import { describeHttpSourceError, HttpSourceError } from './httpSource';
import { describeRestoreRefusal, RESTORE_ACTION } from './restore';
import { BODY_CUT_CODES, networkCode, networkWords, TLS_CODES } from './network';
import { signInErrorIn } from './signIn';
import type { DescribedError, SdkErrorShape } from './types';

/** What the failing request was about, so the message can name it. */
export interface S3ErrorContext {
	/** Human wording of the action, e.g. "upload", "list objects". */
	action: string;
	bucket?: string;
	key?: string;
	itemIndex?: number;
	/** The S3 endpoint; undefined (or "AWS") for Amazon S3's own endpoints. */
	endpoint?: string;
	/** The storage class the request asked for, so a server without it can be named as the cause. */
	storageClass?: string;
	/**
	 * Whether the request carried a customer-provided key (SSE-C) for the object; left out where the
	 * operation cannot give one. A missing or wrong key is then named as the cause.
	 */
	customerKey?: boolean;
	/** The ETag a conditional write required (If-Match), so a 412 can say the object changed. */
	ifMatch?: string;
	/** The default encryption a bucket was to get ("AES256", "aws:kms"), so a server refusing it can be named as the cause. */
	encryption?: string;
	/** Whether the credential's Expected Bucket Owner is set: a bucket owned by another account is then refused with AccessDenied. */
	expectedBucketOwner?: boolean;
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

function endpointUrl(endpoint: string | undefined): URL | undefined {
	return endpoint && URL.canParse(endpoint) ? new URL(endpoint) : undefined;
}

/** Amazon S3 (its own endpoints) words its refusals precisely; other servers less so. */
function isAwsEndpoint(endpoint: string | undefined): boolean {
	if (endpoint === undefined || endpoint === 'AWS') return true;
	return /\.amazonaws\.com(\.cn)?$/i.test(endpointUrl(endpoint)?.hostname ?? '');
}

/** The endpoint's base path ("/s3/v1"), or '' when it has none. */
function basePathOf(endpoint: string | undefined): string {
	return (endpointUrl(endpoint)?.pathname ?? '').replace(/\/+$/, '');
}

/** The SDK found no S3 error in the answer: an empty body, or one that is not S3's XML (an HTML page). */
function notAnS3Answer(error: SdkErrorShape, httpStatus: number | undefined): boolean {
	if (httpStatus === undefined) return false;
	if (/XML parse error|Deserialization error/i.test(error.message ?? '')) return true;
	const noCode = !error.Code && ['Unknown', 'UnknownError', 'Error', undefined].includes(error.name);
	// A HEAD answer has no body even from S3 itself; S3 always sends its request ID, a proxy does not.
	return noCode && httpStatus >= 500 && !error.$metadata?.requestId;
}

/**
 * Turns any failure of an S3 call into words a workflow author can act on. The server's own
 * message is used when there is one; Ceph RGW and others send an empty one, so the code and
 * HTTP status always carry the meaning.
 */
export function describeS3Error(error: unknown, context: S3ErrorContext): DescribedError {
	// Sign-in failures (transport/auth) come already described: source credentials or AssumeRole, not S3.
	const signIn = signInErrorIn(error);
	if (signIn) return signIn.described;
	// A failure of the outside source a body came from (Upload from URL), not of S3.
	if (error instanceof HttpSourceError) return describeHttpSourceError(error, context.bucket ? target(context) : undefined);
	const sdkError = (error ?? {}) as SdkErrorShape;
	const httpStatus = sdkError.$metadata?.httpStatusCode;
	const net = networkCode(error);
	const where = context.endpoint ? ` at ${context.endpoint}` : '';
	const subject = target(context);

	if (error instanceof IncompleteBodyError || error instanceof DamagedBodyError) return describeBodyFailure(error, context, subject);
	if (net === 'TimeoutError') return describeTimeout(sdkError, context, subject, where);

	if (net && TLS_CODES.has(net)) {
		return {
			code: net,
			message: `Could not ${context.action}: the TLS connection to the S3 endpoint${where} failed (${net})`,
			description:
				'The server\'s certificate could not be verified, or the endpoint does not speak HTTPS. Check the endpoint\'s scheme (http/https), give the CA certificate in the credential\'s "Custom CA Certificate", or, for a test server only, turn on "Accept Self-Signed Certificates".',
		};
	}
	if (net && BODY_CUT_CODES.has(net)) {
		return {
			code: net === 'aborted' ? 'BodyCut' : net,
			message: `Could not ${doing(context, subject)}: ${networkWords(net)} from the S3 endpoint${where}`,
			description:
				'The server, a proxy or the network closed the connection before the whole answer arrived, so nothing incomplete was used. Run the item again; if it keeps happening, check the server\'s and any proxy\'s timeouts and logs.',
		};
	}
	if (net) {
		return {
			code: net,
			message: `Could not ${doing(context, subject)}: the S3 endpoint${where} is unreachable (${networkWords(net)})${triedTimes(sdkError)}`,
			description: 'Check the credential\'s Endpoint and Region, that the server is running, and that n8n can reach it over the network.',
		};
	}
	if (sdkError.name === 'AbortError') {
		return { code: 'Aborted', message: `The ${context.action} was cancelled`, description: 'The execution was stopped before the request finished.' };
	}
	if (notAnS3Answer(sdkError, httpStatus)) return withBasePathHint(notS3(sdkError, httpStatus!, context, subject), context);

	const code = sdkError.Code ?? sdkError.name ?? sdkError.code ?? 'UnknownError';
	if (error instanceof CustomerKeyIgnoredError || context.customerKey !== undefined) {
		const customerKey = describeCustomerKeyFailure(sdkError, httpStatus, code, subject, context);
		if (customerKey) return customerKey;
	}
	const serverMessage = sdkError.message && sdkError.message !== code && sdkError.message !== 'UnknownError' ? sdkError.message : '';
	const known = describeKnownCode(code, httpStatus, subject, context);
	if (known) return withBasePathHint({ code, httpStatus, ...known }, context);

	const status = httpStatus ? `HTTP ${httpStatus}` : 'no HTTP status';
	return withBasePathHint(
		{
			code,
			httpStatus,
			message: `Could not ${doing(context, subject)}: ${serverMessage || code} (${code}, ${status})`,
			description: 'The S3 server refused the request. The code above is the server\'s own; see your provider\'s S3 error reference for it.',
		},
		context,
	);
}

/** ", tried 3 times" when the SDK retried the request. */
function triedTimes(error: SdkErrorShape): string {
	const attempts = error.$metadata?.attempts;
	return attempts && attempts > 1 ? `, tried ${attempts} times` : '';
}

function seconds(ms: number): string {
	const value = ms / 1000;
	return `${Number.isInteger(value) ? value : value.toFixed(1)} s`;
}

/** A request the server accepted and did not answer in time (the credential's Idle or Response Timeout). */
function describeTimeout(error: SdkErrorShape, context: S3ErrorContext, subject: string, where: string): DescribedError {
	const text = `${error.message ?? ''} ${(error.cause as { message?: string } | undefined)?.message ?? ''}`;
	const idle = /timed out after (\d+) ms of inactivity/.exec(text);
	const total = /exceeded the configured (\d+) ms requestTimeout/.exec(text);
	const wait = idle ? `did not answer within ${seconds(Number(idle[1]))}` : total ? `had not answered after ${seconds(Number(total[1]))}` : 'did not answer in time';
	return {
		code: 'Timeout',
		message: `Could not ${doing(context, subject)}: the S3 endpoint${where} ${wait}${triedTimes(error)}`,
		description: idle
			? 'The server accepted the request but sent nothing for the credential\'s Idle Timeout, on every attempt. Check that the server (and any proxy in front of it) is healthy; raise "Idle Timeout" if it is just slow.'
			: 'The server did not start answering within the credential\'s Response Timeout. Check the server\'s health; raise "Response Timeout" for very slow links or large parts.',
	};
}

function describeBodyFailure(error: IncompleteBodyError | DamagedBodyError, context: S3ErrorContext, subject: string): DescribedError {
	if (error instanceof DamagedBodyError) {
		return {
			code: 'DamagedBody',
			message: `Could not ${doing(context, subject)}: the content arrived damaged (its MD5 ${error.actualMd5} does not match the ETag ${error.expectedMd5})`,
			description:
				'Bytes were changed on the way from the server (a faulty network, proxy or disk); nothing damaged was handed on. Run the item again; if it keeps happening, check proxies in between.',
		};
	}
	const of = error.expected === undefined ? '' : ` of ${error.expected.toLocaleString('en-US')}`;
	if (error.changed) {
		return {
			code: 'ObjectChanged',
			message: `Could not ${doing(context, subject)}: the object was replaced while it was being downloaded (after ${error.received.toLocaleString('en-US')}${of} bytes)`,
			description: 'Another writer replaced the object mid-download, so its two versions were not mixed. Run the item again to get the new version.',
		};
	}
	const cause = networkCode(error.cause);
	return {
		code: 'IncompleteBody',
		message: `Could not ${doing(context, subject)}: only ${error.received.toLocaleString('en-US')}${of} bytes arrived (${cause ? networkWords(cause) : 'the body stopped'}; resumed ${error.attempts - 1} times without progress)`,
		description:
			'The connection kept breaking off before the whole object arrived; nothing incomplete was handed on. Check the server\'s and any proxy\'s timeouts and logs, then run the item again.',
	};
}

function notS3(error: SdkErrorShape, httpStatus: number, context: S3ErrorContext, subject: string): DescribedError {
	const contentType = (error.$response?.headers?.['content-type'] ?? '').split(';')[0].trim();
	const what = contentType ? `something that is not an S3 answer (${contentType})` : 'something that is not an S3 answer';
	const gateway = [502, 503, 504].includes(httpStatus);
	return {
		code: 'NotAnS3Answer',
		httpStatus,
		message: `Could not ${doing(context, subject)}: the server${context.endpoint ? ` at ${context.endpoint}` : ''} or a proxy in front of it answered HTTP ${httpStatus} with ${what}`,
		description: gateway
			? `HTTP ${httpStatus} usually comes from a proxy, load balancer or gateway that could not reach the S3 server, or from the server while it restarts. Check that the S3 server is running and reachable from its proxy; run the item again once it is.`
			: 'The answer did not come from an S3 API. Check that the credential\'s Endpoint is the server\'s S3 API (not its web console or a web page), with the base path the provider documents, if any.',
	};
}

/** Codes an endpoint with a base path the server does not serve S3 under typically produces. */
const BASE_PATH_SYMPTOMS = new Set(['NoSuchBucket', 'NotFound', 'SignatureDoesNotMatch', 'MethodNotAllowed', 'NotAnS3Answer']);

/** An endpoint with a path sends every request below it: say so when the answer suggests the path is wrong. */
function withBasePathHint(described: DescribedError, context: S3ErrorContext): DescribedError {
	const basePath = basePathOf(context.endpoint);
	if (!basePath || !(BASE_PATH_SYMPTOMS.has(described.code) || described.httpStatus === 404)) return described;
	return {
		...described,
		description: `${described.description} The endpoint has the base path "${basePath}": every request goes to ${context.endpoint}/BUCKET/KEY. If the server does not serve its S3 API under that path, remove the path from the credential's Endpoint.`,
	};
}

function describeKnownCode(
	code: string,
	httpStatus: number | undefined,
	subject: string,
	context: S3ErrorContext,
): { message: string; description: string } | undefined {
	const bucket = context.bucket ?? '';
	if (context.action === RESTORE_ACTION) {
		const restore = describeRestoreRefusal(code, httpStatus, subject);
		if (restore) return restore;
	}
	if (context.encryption) {
		const encryption = describeEncryptionRefusal(code, httpStatus, context.encryption, doing(context, subject), isAwsEndpoint(context.endpoint));
		if (encryption) return encryption;
	}
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
		case 'AllAccessDisabled': {
			// Object Lock refuses deletes with AccessDenied too: a retention or legal hold looks like a missing permission.
			const lockHint =
				(/^delete/.test(context.action)
					? ' In a bucket with Object Lock, a retention or legal hold on the object (version) also refuses the delete: check it with Object > Get Retention and Get Legal Hold.'
					: '') + (context.expectedBucketOwner ? EXPECTED_OWNER_HINT : '');
			if (!isAwsEndpoint(context.endpoint)) {
				// Ceph RGW with STS (and others) answer a wrong secret or an unknown key with AccessDenied too.
				return {
					message: `Access denied: the credential may not ${doing(context, subject)} (either its keys are wrong or unknown to the server, or they lack permission)`,
					description:
						'This server answers AccessDenied both for keys it does not accept and for a missing permission. Check "Access Key ID" and "Secret Access Key" in the credential (no spaces or line breaks); if they are right, grant the matching s3: action on this bucket to the key\'s user or role (or check the bucket policy).' +
						lockHint,
				};
			}
			return {
				message: `Access denied: the credential may not ${doing(context, subject)}`,
				description: 'The keys were accepted but lack permission. Grant the matching s3: action on this bucket to the key\'s user or role (or check the bucket policy).' + lockHint,
			};
		}
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
			if (context.ifMatch) {
				return {
					message:
						context.ifMatch === '*'
							? `No object exists under the key: ${subject} was not written`
							: `${capitalized(subject)} changed since ETag ${context.ifMatch} was read (or was deleted): nothing was written`,
					description:
						'The upload was set to write only if the object is unchanged ("Only If Unchanged (ETag)"). Someone else wrote or deleted it in between: read it again (Get Metadata gives the current ETag), then decide whether to write.',
				};
			}
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
		case 'InvalidStorageClass':
		case 'InvalidArgument':
			// RGW answers an unknown storage class with a bare InvalidArgument; AWS with InvalidStorageClass.
			if (context.storageClass && (code === 'InvalidStorageClass' || context.storageClass.toUpperCase() !== 'STANDARD')) {
				return {
					message: `Could not ${doing(context, subject)}: the server does not offer storage class "${context.storageClass}" (${code}, HTTP ${httpStatus ?? 400})`,
					description:
						'Storage classes differ between servers: Amazon S3 has GLACIER, DEEP_ARCHIVE and others, while most S3-compatible servers offer only STANDARD or the classes their administrator set up. Choose a class this server offers, or leave the storage class empty.',
				};
			}
			return undefined;
		case 'NotImplemented':
			// Servers that support customer keys on uploads may still refuse them on copies.
			if (context.customerKey !== undefined && /^copy/.test(context.action)) {
				return {
					message: `Could not ${doing(context, subject)}: the server cannot copy objects encrypted with a customer-provided key (SSE-C), or into one (NotImplemented, HTTP ${httpStatus ?? 501})`,
					description:
						'Some S3-compatible servers support customer keys only on uploads and reads. Download the object with its key and upload it again (with the new key) instead.',
				};
			}
			return undefined;
		case 'MalformedXML':
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

function capitalized(text: string): string {
	return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Added to an AccessDenied when the credential names the bucket's expected owner. */
const EXPECTED_OWNER_HINT =
	' The credential\'s "Expected Bucket Owner" is set: a bucket that belongs to another account is refused with AccessDenied too. Check that the account ID there is the bucket owner\'s.';

export function toNodeApiError(node: INode, error: unknown, context: S3ErrorContext): NodeApiError {
	const described = describeS3Error(error, context);
	const itemSuffix = context.itemIndex !== undefined ? ` [item ${context.itemIndex}]` : '';
	const requestId = (error as SdkErrorShape | undefined)?.$metadata?.requestId;
	// Only plain, secret-free facts go into the error; the SDK error holds the request and its headers.
	const safe: JsonObject = {
		s3ErrorCode: described.code,
		message: described.message,
		...(described.httpStatus ? { httpStatus: described.httpStatus } : {}),
		...(context.bucket ? { bucket: context.bucket } : {}),
		...(context.key !== undefined ? { key: context.key } : {}),
		...(requestId ? { requestId } : {}),
	};
	const message = `${described.message}${itemSuffix}`;
	const apiError = new NodeApiError(node, safe, {
		message,
		description: described.description,
		httpCode: described.httpStatus ? String(described.httpStatus) : undefined,
		itemIndex: context.itemIndex,
	});
	// n8n swaps a message naming a Node.js code (a key "ENOENT.txt") for a generic one; ours is already in words.
	apiError.message = message;
	return apiError;
}
