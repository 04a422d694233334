/**
 * Bytes arrive as they were sent, both ways. Uploads carry a Content-MD5 the server checks (every S3
 * server tried accepts it; where the client already sends a CRC checksum, AWS, that does the job);
 * downloads of objects whose ETag is their MD5 are hashed on the way and refused when they differ.
 */
import { createHash, type Hash } from 'node:crypto';

import type { S3Client } from '@aws-sdk/client-s3';

const BODY_COMMANDS = new Set(['PutObjectCommand', 'UploadPartCommand']);

/** Adds Content-MD5 to PutObject and UploadPart requests whose body is in memory. */
export function addContentMd5(client: S3Client): void {
	client.middlewareStack.add(
		(next, context) => async (args) => {
			const input = args.input as { Body?: unknown; ContentMD5?: string; ChecksumAlgorithm?: string };
			const body = input.Body;
			if (
				BODY_COMMANDS.has(context.commandName ?? '') &&
				!input.ContentMD5 &&
				!input.ChecksumAlgorithm &&
				(body instanceof Uint8Array || typeof body === 'string') &&
				(await client.config.requestChecksumCalculation()) === 'WHEN_REQUIRED'
			) {
				input.ContentMD5 = createHash('md5').update(body).digest('base64');
			}
			return await next(args);
		},
		{ step: 'initialize', name: 'n8nS3StorageContentMd5', override: true },
	);
}

/** The MD5 an ETag stands for, when it stands for one: a single-part object without KMS or customer keys. */
export function md5OfEtag(
	etag: string | undefined,
	encryption: { ServerSideEncryption?: string; SSECustomerAlgorithm?: string },
	isAws: boolean,
): string | undefined {
	const hex = /^"?([0-9a-f]{32})"?$/i.exec(etag ?? '')?.[1];
	if (!hex || encryption.SSECustomerAlgorithm) return undefined;
	const sse = encryption.ServerSideEncryption;
	// AWS keeps the MD5 under SSE-S3; other stores (MinIO's auto-encryption) may not.
	if (sse && !(sse === 'AES256' && isAws)) return undefined;
	return hex.toLowerCase();
}

export class Md5Check {
	private readonly hash: Hash = createHash('md5');
	constructor(readonly expected: string) {}
	update(chunk: Uint8Array): void {
		this.hash.update(chunk);
	}
	/** The MD5 of what arrived, when it differs from the expected one. */
	mismatch(): string | undefined {
		const actual = this.hash.digest('hex');
		return actual === this.expected ? undefined : actual;
	}
}

/** ETags in one format everywhere: quoted, as S3 sends them; an empty one is no ETag. */
export function quotedEtag(etag: string | undefined): string | undefined {
	const bare = etag?.trim().replace(/^"|"$/g, '');
	return bare ? `"${bare}"` : undefined;
}

/**
 * An If-Match ETag as the server compares it on writes. Amazon S3 takes the quoted form; Ceph RGW 16
 * compares the header byte for byte with the ETag it stores, which has no quotes, so a quoted one
 * never matches there (MinIO strips quotes, so takes either): elsewhere the bare value goes out.
 */
export function ifMatchOnWire(etag: string | undefined, isAws: boolean): string | undefined {
	if (!etag || etag === '*') return etag;
	return isAws ? quotedEtag(etag) : etag.replace(/^"|"$/g, '');
}
