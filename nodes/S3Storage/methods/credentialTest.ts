import { ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { buildClientConfig, type S3StorageCredentials } from '../transport/client';
import { describeS3Error } from '../transport/errors';
import { EndpointSettingsError } from '../transport/providers';

/**
 * Really calls the server: a one-key listing of the default bucket when there is one, ListBuckets
 * otherwise, and says precisely what failed (endpoint, TLS, key, secret, permission, bucket).
 */
export async function s3StorageApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const credentials = (credential.data ?? {}) as S3StorageCredentials;
	let client: S3Client;
	let endpoint: string | undefined;
	try {
		// A fresh client with a single attempt: the test should answer quickly, and from this data.
		const { config, resolved } = buildClientConfig({ ...credentials, maxAttempts: 1 });
		client = new S3Client(config);
		endpoint = resolved.endpoint;
	} catch (error) {
		return { status: 'Error', message: error instanceof EndpointSettingsError ? error.message : String(error) };
	}
	const bucket = credentials.defaultBucket?.trim();
	try {
		if (bucket) {
			// A listing, not HeadBucket: HEAD errors have no body, so a wrong secret would look like a missing permission.
			await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
			return { status: 'OK', message: `Connected; default bucket "${bucket}" is reachable` };
		}
		await client.send(new ListBucketsCommand({}));
		return { status: 'OK', message: 'Connected' };
	} catch (error) {
		const described = describeS3Error(error, {
			action: bucket ? 'reach' : 'list buckets of',
			bucket: bucket || undefined,
			endpoint: endpoint ?? 'AWS',
		});
		return { status: 'Error', message: `${described.message}. ${described.description}` };
	} finally {
		client.destroy();
	}
}
