import { ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { AuthSettingsError, machineIdentitySourceOf, type AuthPlan, type Credentials } from '../transport/auth';
import { AccountSettingsError, accountSettingsOf, addAccountHeaders, type AccountSettings } from '../transport/accountHeaders';
import { buildClientConfig, type S3StorageCredentials } from '../transport/client';
import { describeS3Error, signInErrorIn } from '../transport/errors';
import { EndpointSettingsError } from '../transport/providers';

const STEP_NAMES = { source: 'getting the source credentials', assumeRole: 'assuming the role' } as const;

function signInFailure(error: unknown, plan: AuthPlan): string {
	const signIn = signInErrorIn(error);
	if (signIn) {
		const step = plan.mode === 'machineIdentity' ? 'getting the machine identity\'s credentials' : STEP_NAMES[signIn.step];
		const done = signIn.step === 'assumeRole' ? ' (the source credentials were found)' : '';
		return `Sign-in failed at step "${step}"${done}: ${signIn.described.message}. ${signIn.described.description}`;
	}
	return `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Signs in step by step (source credentials, then AssumeRole when the credential uses a role),
 * then really calls the server: a one-key listing of the default bucket when there is one,
 * ListBuckets otherwise. Says which step failed and precisely why (endpoint, TLS, key, secret,
 * trust policy, permission, bucket).
 */
export async function s3StorageApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const credentials = (credential.data ?? {}) as S3StorageCredentials;
	let client: S3Client;
	let endpoint: string | undefined;
	let plan: AuthPlan;
	let accountSettings: AccountSettings;
	try {
		accountSettings = accountSettingsOf(credentials);
		// A fresh client and fresh sign-in with a single attempt: the test should answer quickly, and from this data.
		const built = buildClientConfig({ ...credentials, maxAttempts: 1 }, undefined, { fresh: true });
		client = new S3Client(built.config);
		// The default bucket is reached as the nodes reach it: with the expected owner and Requester Pays.
		addAccountHeaders(client, accountSettings);
		endpoint = built.resolved.endpoint;
		plan = built.auth;
	} catch (error) {
		if (error instanceof AuthSettingsError || error instanceof AccountSettingsError) return { status: 'Error', message: `${error.message}. ${error.description}` };
		return { status: 'Error', message: error instanceof EndpointSettingsError ? error.message : String(error) };
	}

	let signedIn = plan.signedInAs;
	try {
		if (plan.source) await plan.source();
		if (typeof plan.credentials === 'function') {
			const obtained: Credentials = await plan.credentials();
			const origin = plan.mode === 'machineIdentity' ? machineIdentitySourceOf(obtained) : undefined;
			if (origin) signedIn += ` (from ${origin})`;
		}
	} catch (error) {
		client.destroy();
		return { status: 'Error', message: signInFailure(error, plan) };
	}

	const bucket = credentials.defaultBucket?.trim();
	const prefix = plan.mode === 'accessKeys' ? '' : `Signed in with ${signedIn}, but calling S3 failed: `;
	try {
		if (bucket) {
			// A listing, not HeadBucket: HEAD errors have no body, so a wrong secret would look like a missing permission.
			await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
			return { status: 'OK', message: `Connected with ${signedIn}; default bucket "${bucket}" is reachable` };
		}
		await client.send(new ListBucketsCommand({}));
		return { status: 'OK', message: `Connected with ${signedIn}` };
	} catch (error) {
		const described = describeS3Error(error, {
			action: bucket ? 'reach' : 'list buckets',
			bucket: bucket || undefined,
			endpoint: endpoint ?? 'AWS',
			...(accountSettings.expectedBucketOwner ? { expectedBucketOwner: true } : {}),
		});
		return { status: 'Error', message: `${prefix}${described.message}. ${described.description}` };
	} finally {
		client.destroy();
	}
}
