/**
 * The fields of the options shared by the operations that write objects (Upload, Upload Many,
 * Copy, Move). helpers/writeOptions.ts reads them into S3 request parameters.
 */
import type { INodeProperties } from 'n8n-workflow';

export const aclOption: INodeProperties = {
	displayName: 'ACL',
	name: 'acl',
	type: 'options',
	default: 'private',
	description: 'Canned access control list for the object. Buckets with "Object Ownership: bucket owner enforced" refuse any ACL but private.',
	options: [
		{ name: 'Authenticated Read', value: 'authenticated-read' },
		{ name: 'AWS Exec Read', value: 'aws-exec-read' },
		{ name: 'Bucket Owner Full Control', value: 'bucket-owner-full-control' },
		{ name: 'Bucket Owner Read', value: 'bucket-owner-read' },
		{ name: 'Private', value: 'private' },
		{ name: 'Public Read', value: 'public-read' },
		{ name: 'Public Read Write', value: 'public-read-write' },
	],
};

export const storageClassOption: INodeProperties = {
	displayName: 'Storage Class',
	name: 'storageClass',
	type: 'options',
	default: 'STANDARD',
	description: 'Storage class of the new object. S3-compatible stores often offer only Standard.',
	options: [
		{ name: 'Deep Archive', value: 'DEEP_ARCHIVE' },
		{ name: 'Express One Zone', value: 'EXPRESS_ONEZONE' },
		{ name: 'Glacier Flexible Retrieval', value: 'GLACIER' },
		{ name: 'Glacier Instant Retrieval', value: 'GLACIER_IR' },
		{ name: 'Intelligent-Tiering', value: 'INTELLIGENT_TIERING' },
		{ name: 'One Zone-Infrequent Access', value: 'ONEZONE_IA' },
		{ name: 'Reduced Redundancy', value: 'REDUCED_REDUNDANCY' },
		{ name: 'Standard', value: 'STANDARD' },
		{ name: 'Standard-Infrequent Access', value: 'STANDARD_IA' },
	],
};

export const serverSideEncryptionOption: INodeProperties = {
	displayName: 'Server-Side Encryption',
	name: 'serverSideEncryption',
	type: 'options',
	default: 'AES256',
	description: 'How the server encrypts the object at rest',
	options: [
		{ name: 'S3-Managed Keys (SSE-S3, AES256)', value: 'AES256' },
		{ name: 'KMS Key (SSE-KMS)', value: 'aws:kms' },
		{ name: 'KMS Key, Dual-Layer (DSSE-KMS)', value: 'aws:kms:dsse' },
	],
};

export const kmsKeyIdOption: INodeProperties = {
	displayName: 'KMS Key ID',
	name: 'kmsKeyId',
	type: 'string',
	default: '',
	placeholder: 'e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-...',
	description: 'The KMS key to encrypt with. Leave empty for the account\'s AWS-managed key (aws/s3).',
	displayOptions: { show: { serverSideEncryption: ['aws:kms', 'aws:kms:dsse'] } },
};

export const cacheControlOption: INodeProperties = {
	displayName: 'Cache Control',
	name: 'cacheControl',
	type: 'string',
	default: '',
	placeholder: 'e.g. public, max-age=86400',
	description: 'The Cache-Control header stored with the object and sent to whoever downloads it',
};

export const contentDispositionOption: INodeProperties = {
	displayName: 'Content Disposition',
	name: 'contentDisposition',
	type: 'string',
	default: '',
	placeholder: 'e.g. attachment; filename="report.pdf"',
	description: 'The Content-Disposition header stored with the object (attachment makes browsers download it)',
};

export const metadataOption: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'fixedCollection',
	placeholder: 'Add metadata',
	default: {},
	typeOptions: { multipleValues: true },
	description: 'User metadata stored with the object (sent as x-amz-meta-* headers; names are lowercased by S3)',
	options: [
		{
			displayName: 'Entry',
			name: 'entries',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. customer-number' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. 4711' },
			],
		},
	],
};

export const tagsOption: INodeProperties = {
	displayName: 'Tags',
	name: 'tags',
	type: 'fixedCollection',
	placeholder: 'Add tag',
	default: {},
	typeOptions: { multipleValues: true },
	description: 'Object tags (at most 10), usable in lifecycle rules and access policies',
	options: [
		{
			displayName: 'Tag',
			name: 'tags',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'e.g. project' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. apollo' },
			],
		},
	],
};

export const doNotOverwriteOption: INodeProperties = {
	displayName: 'Do Not Overwrite',
	name: 'doNotOverwrite',
	type: 'boolean',
	default: false,
	description:
		'Whether to fail instead of replacing an object that already exists under the key (sent as If-None-Match: *; the check is atomic on the server)',
};

export const ifMatchOption: INodeProperties = {
	displayName: 'Only If Unchanged (ETag)',
	name: 'ifMatch',
	type: 'string',
	default: '',
	placeholder: 'e.g. "9b2cf535f27731c974343645a3985328"',
	description:
		'Replace the object only while its ETag is still this one (e.g. the "etag" an earlier Read or Get Metadata gave), so a change made by someone else in between is not overwritten: the upload then fails and nothing is written. "*" writes only if an object exists under the key. Sent as If-Match, which Amazon S3 and Ceph RGW check atomically; servers without conditional writes ignore it and replace the object. Multipart uploads (larger than Part Size) are also checked before they start and before they complete.',
};
