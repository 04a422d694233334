/**
 * The fields of customer-provided encryption keys (SSE-C), shared by every operation that writes
 * or reads an object's content. helpers/customerKey.ts turns them into S3 request parameters.
 */
import type { INodeProperties } from 'n8n-workflow';

const KEY_FORMAT = '32 bytes: base64 (44 characters, e.g. from "openssl rand -base64 32") or exactly 32 plain characters';

/** The key the object is encrypted with: written with (Upload), or read with (Read, Download, Get Metadata). */
export const customerKeyOption: INodeProperties = {
	displayName: 'Customer Key (SSE-C)',
	name: 'customerKey',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description: `Your own AES-256 key (${KEY_FORMAT}). The server encrypts the object with it and keeps only its MD5, so every later read, download, metadata request or copy of the object needs the same key: keep it safe, a lost key means lost data. Presigned URLs of such an object work only for clients that send the key headers themselves, not in a browser.`,
};

/** Copy and Move: the key the new object is encrypted with. */
export const destinationCustomerKeyOption: INodeProperties = {
	...customerKeyOption,
	displayName: 'Destination Customer Key (SSE-C)',
	description: `Encrypt the new object with your own AES-256 key (${KEY_FORMAT}). Leave empty for the bucket's default encryption.`,
};

/** Copy and Move: the key the source object is encrypted with. */
export const sourceCustomerKeyOption: INodeProperties = {
	...customerKeyOption,
	displayName: 'Source Customer Key (SSE-C)',
	name: 'sourceCustomerKey',
	description: `The key the source object was encrypted with, when it was uploaded with a customer key (${KEY_FORMAT})`,
};
