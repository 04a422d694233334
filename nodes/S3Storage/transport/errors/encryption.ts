/**
 * Customer-provided encryption keys (SSE-C) in words. Servers answer a missing or wrong key
 * differently (a 400 InvalidArgument or InvalidRequest naming the key, a 403, or a HEAD's bare 400
 * without a body), so the context says whether the request carried a key, and the answer is matched
 * on what all of them have in common. No wording here repeats a key: only whether one was given.
 */
import type { DescribedError, SdkErrorShape } from './types';

/** A write that asked for a customer key, answered by a server that did not say it used it. */
export class CustomerKeyIgnoredError extends Error {
	override readonly name = 'CustomerKeyIgnoredError';
	constructor() {
		super('the server did not confirm encrypting with the customer-provided key');
	}
}

/** Server messages that speak about SSE-C keys (Amazon S3, Ceph RGW, MinIO). */
const SSE_C_WORDS = /customer[- ]provided key|server side encryption|MD5 hash of the key|SSE-?C|x-amz-server-side-encryption-customer/i;

export interface CustomerKeyContext {
	/** The request carried a customer key for the object read (undefined: the operation has none to give). */
	customerKey?: boolean;
	action: string;
}

export function describeCustomerKeyFailure(
	error: SdkErrorShape,
	httpStatus: number | undefined,
	code: string,
	subject: string,
	context: CustomerKeyContext,
): DescribedError | undefined {
	if (error instanceof CustomerKeyIgnoredError) {
		return {
			code: 'CustomerKeyIgnored',
			message: `Could not ${context.action} ${subject} encrypted with the customer key: the server did not confirm using the key, so the object it stored is probably not encrypted with it`,
			description:
				'This server (or this kind of request on it) does not support customer-provided keys (SSE-C) and ignores them. Do not rely on the stored object being encrypted: delete it if that matters, and use the server\'s own encryption (Server-Side Encryption option) or encrypt the data before uploading.',
		};
	}
	if (context.customerKey === undefined) return undefined;
	const message = error.message ?? '';
	const aboutKey = SSE_C_WORDS.test(message);
	// A HEAD answer has no body: a bare 400 on an object is what a missing or wrong key looks like there.
	const bareHead = httpStatus === 400 && ['Unknown', 'UnknownError', 'BadRequest', '400'].includes(code) && !aboutKey;
	if (!aboutKey && !bareHead) return undefined;
	if (!context.customerKey) {
		return {
			code: 'CustomerKeyRequired',
			httpStatus,
			message: `${capitalized(subject)} is encrypted with a customer-provided key (SSE-C): give the same key in Options > Customer Key`,
			description: bareHead
				? 'The server refused the request without saying why (HTTP 400); that is how it answers a request without the key for an object uploaded with one. Give the key the object was uploaded with.'
				: 'The object was uploaded with a customer-provided key, and the server keeps only its MD5: every read needs the same key. Give it in the options; without it the object cannot be read.',
		};
	}
	return {
		code: 'CustomerKeyMismatch',
		httpStatus,
		message: `The customer key given does not open ${subject}: it is not the key the object was encrypted with`,
		description: bareHead
			? 'The server refused the request without saying why (HTTP 400); with a customer key given, that usually means the key differs from the one the object was uploaded with (or the object was uploaded without one). Check the key.'
			: 'The server compared the key\'s MD5 with the one stored for the object and they differ. Give the exact key the object was uploaded with.',
	};
}

function capitalized(text: string): string {
	return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Codes with which servers refuse a default encryption they cannot apply (RGW: a bare InvalidArgument; MinIO: KMSNotConfigured). */
const ENCRYPTION_REFUSALS = new Set(['InvalidArgument', 'InvalidRequest', 'InvalidEncryptionAlgorithmError', 'KMSNotConfigured', 'NotImplemented']);

/**
 * A bucket's default encryption refused. Amazon S3 has both algorithms; other servers offer them only
 * when their administrator set up encryption (RGW 16 refuses both with 400 InvalidArgument, no message).
 */
export function describeEncryptionRefusal(
	code: string,
	httpStatus: number | undefined,
	algorithm: string,
	doing: string,
	onAws: boolean,
): { message: string; description: string } | undefined {
	if (!ENCRYPTION_REFUSALS.has(code) && !code.startsWith('KMS.')) return undefined;
	// s3rver and others without the feature say so in their own words (501), which is accurate already.
	if (code === 'NotImplemented') return undefined;
	const kms = algorithm === 'aws:kms';
	if (onAws) {
		return {
			message: `Could not ${doing}: the server refused default encryption "${algorithm}" (${code}, HTTP ${httpStatus ?? 400})`,
			description: kms
				? 'Check "KMS Key ID" (a key ID, alias or ARN in the bucket\'s region) and that the credential may use the key.'
				: 'Check the bucket\'s settings and the credential\'s permission s3:PutEncryptionConfiguration.',
		};
	}
	return {
		message: `Could not ${doing}: this server does not accept default encryption "${algorithm}" (${code}, HTTP ${httpStatus ?? 400})`,
		description:
			(kms
				? 'Encryption with a KMS key needs a key management service that the server\'s administrator has connected, and a key ID it knows.'
				: 'Server-managed encryption (AES256) needs encryption that the server\'s administrator has set up.') +
			' Servers without it (Ceph RGW without a key management service, for example) refuse every default encryption. Nothing was changed: new objects are stored as before, without default encryption.',
	};
}

/** The one way transport failures leave this package: a NodeApiError without secrets or raw SDK state. */
