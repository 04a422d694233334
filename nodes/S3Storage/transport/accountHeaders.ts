/**
 * The credential's account settings, sent with every S3 request addressed to a bucket: the
 * bucket's expected owner (`x-amz-expected-bucket-owner`: S3 refuses a bucket of another account
 * with 403 AccessDenied) and Requester Pays (`x-amz-request-payer: requester`: the caller accepts
 * the charges of a requester-pays bucket). One middleware on the S3 client, so every command,
 * Custom API Call and Transfer side gets them; STS has its own client and never does.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/protocol-http';

export interface AccountSettings {
	/** A 12-digit account ID, or undefined: not checked. */
	expectedBucketOwner?: string;
	requesterPays: boolean;
}

/** The credential's fields these settings come from (shown behind the "Bucket Owner and Requester Pays" switch). */
export interface AccountSettingsFields {
	accountSettings?: boolean;
	expectedBucketOwner?: string;
	requesterPays?: boolean;
}

/** A setting that cannot work, found before any request; says how to fix it. */
export class AccountSettingsError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'AccountSettingsError';
	}
}

export const ACCOUNT_HEADERS_MIDDLEWARE = 'n8nS3StorageAccountHeaders';

/** The settings a credential asks for; refuses an Expected Bucket Owner that is not a 12-digit account ID. */
export function accountSettingsOf(fields: AccountSettingsFields): AccountSettings {
	// Behind the switch: turned off, the fields it hides do nothing, whatever they still hold.
	if (fields.accountSettings !== true) return { requesterPays: false };
	const owner = typeof fields.expectedBucketOwner === 'string' ? fields.expectedBucketOwner.trim() : '';
	if (owner !== '' && !/^\d{12}$/.test(owner)) {
		throw new AccountSettingsError(
			`"Expected Bucket Owner" must be a 12-digit account ID, not "${owner.slice(0, 40)}"`,
			'Enter the account ID of the account that owns the buckets, e.g. 111122223333 (12 digits, no dashes), or empty the field to not check the owner.',
		);
	}
	return { ...(owner ? { expectedBucketOwner: owner } : {}), requesterPays: fields.requesterPays === true };
}

const settingsByClient = new WeakMap<S3Client, AccountSettings>();

/** The settings a client was built with (none for a client this module did not set up). */
export function accountSettingsOfClient(client: S3Client): AccountSettings {
	return settingsByClient.get(client) ?? { requesterPays: false };
}

/** Adds the headers to every request of `client` that is addressed to a bucket (ListBuckets is not). */
export function addAccountHeaders(client: S3Client, settings: AccountSettings): void {
	settingsByClient.set(client, settings);
	if (!settings.expectedBucketOwner && !settings.requesterPays) return;
	client.middlewareStack.add(
		(next) => async (args) => {
			const input = args.input as { Bucket?: unknown; bucket?: unknown };
			const request = args.request;
			if ((input.Bucket || input.bucket) && HttpRequest.isInstance(request)) {
				const has = (name: string) => Object.keys(request.headers).some((header) => header.toLowerCase() === name);
				// A header the command or the Custom API Call already set wins.
				if (settings.expectedBucketOwner && !has('x-amz-expected-bucket-owner')) {
					request.headers['x-amz-expected-bucket-owner'] = settings.expectedBucketOwner;
				}
				if (settings.requesterPays && !has('x-amz-request-payer')) request.headers['x-amz-request-payer'] = 'requester';
			}
			return await next(args);
		},
		// Before signing (finalizeRequest), so both headers are signed.
		{ step: 'build', name: ACCOUNT_HEADERS_MIDDLEWARE, override: true },
	);
}
