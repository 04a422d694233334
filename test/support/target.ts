/**
 * The S3 server the integration suite runs against: the embedded s3rver started by
 * test/globalSetup.js, or any endpoint given by environment variables (Ceph RGW, MinIO, AWS...):
 *   S3_TEST_ENDPOINT, S3_TEST_REGION, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY,
 *   S3_TEST_FORCE_PATH_STYLE (true/false), S3_TEST_SERVER (s3rver | rgw | aws | minio | other)
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { IDataObject } from 'n8n-workflow';

export interface S3Target {
	endpoint: string;
	region: string;
	accessKeyId: string;
	secretAccessKey: string;
	forcePathStyle: boolean;
	server: string;
}

export function getTarget(): S3Target {
	const endpoint = process.env.S3_TEST_ENDPOINT;
	if (!endpoint) throw new Error('S3_TEST_ENDPOINT is not set: run the tests through jest (globalSetup starts s3rver)');
	return {
		endpoint,
		region: process.env.S3_TEST_REGION ?? 'us-east-1',
		accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID ?? '',
		secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY ?? '',
		forcePathStyle: (process.env.S3_TEST_FORCE_PATH_STYLE ?? 'true') === 'true',
		server: process.env.S3_TEST_SERVER ?? 'other',
	};
}

/**
 * What the server under test can prove. s3rver checks no signatures and lacks multipart abort,
 * versioning and STS; tests of those run only where the server has them (Ceph RGW in CI).
 */
export function capabilities(target = getTarget()) {
	const real = target.server !== 's3rver';
	return {
		checksSignatures: real,
		/** Refuses a body whose Content-MD5 does not match (s3rver stores it anyway). */
		checksContentMd5: real,
		multipartAbort: real,
		versioning: real,
		taggingOnUpload: real,
		/** Lists a folder that holds only deeper folders ("e/" of "e/f/5.txt"); s3rver leaves it out of CommonPrefixes. */
		listsFoldersOfFolders: real,
		sts: target.server === 'rgw' || target.server === 'minio' || target.server === 'aws',
		/** Encrypts with customer-provided keys (SSE-C) on upload, and refuses reads without the key. */
		customerKeys: target.server === 'rgw' || target.server === 'minio' || target.server === 'aws',
		/** Copies objects encrypted with a customer key, into one too (Ceph RGW 16 refuses the first and ignores the second). */
		customerKeyCopies: target.server === 'minio' || target.server === 'aws',
		/** Enforces If-Match on PutObject (s3rver ignores it). */
		conditionalWrites: real,
	};
}

/** The credential's data as a user would fill it for this server. */
export function credentialFor(target = getTarget(), overrides: IDataObject = {}): IDataObject {
	return {
		provider: 'other',
		authentication: 'accessKeys',
		endpoint: target.endpoint,
		region: target.region,
		forcePathStyle: target.forcePathStyle,
		accessKeyId: target.accessKeyId,
		secretAccessKey: target.secretAccessKey,
		maxAttempts: 2,
		...overrides,
	};
}

/** A raw SDK client for arranging and checking state independently of the node. */
export function rawClient(target = getTarget()): S3Client {
	return new S3Client({
		endpoint: target.endpoint,
		region: target.region,
		forcePathStyle: target.forcePathStyle,
		credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
}

let counter = 0;
/** A bucket name no other test (or earlier run) uses. */
export function uniqueBucket(label: string): string {
	counter += 1;
	const suffix = `${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
	return `t-${label}-${suffix}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
}
