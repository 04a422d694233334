/**
 * Options shared by the operations that write objects (Upload, Upload Many, Copy, Move): their
 * fields, and their translation into validated S3 request parameters.
 */
import type {
	ObjectCannedACL,
	PutObjectCommandInput,
	ServerSideEncryption,
	StorageClass,
	Tag,
} from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { UploadParams } from '../transport';

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

export interface MetadataEntries {
	entries?: Array<{ name?: string; value?: string }>;
}

export interface TagEntries {
	tags?: Array<{ key?: string; value?: string }>;
}

export interface WriteOptions {
	acl?: string;
	storageClass?: string;
	serverSideEncryption?: string;
	kmsKeyId?: string;
	cacheControl?: string;
	contentDisposition?: string;
	metadata?: MetadataEntries;
	tags?: TagEntries;
	doNotOverwrite?: boolean;
}

const HEADER_TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** User metadata from the fixed collection, checked so S3 (and its signature) accept it. */
export function metadataOf(
	this: IExecuteFunctions,
	itemIndex: number,
	metadata: MetadataEntries | undefined,
): Record<string, string> | undefined {
	const entries = metadata?.entries ?? [];
	if (entries.length === 0) return undefined;
	const result: Record<string, string> = {};
	for (const entry of entries) {
		const name = String(entry.name ?? '').trim();
		const value = String(entry.value ?? '');
		if (!HEADER_TOKEN.test(name)) {
			throw new NodeOperationError(this.getNode(), `Metadata name "${name}" cannot be used`, {
				itemIndex,
				description: 'Metadata names are sent as HTTP headers (x-amz-meta-<name>): use letters, digits and "-", e.g. "customer-id".',
			});
		}
		if (/[^\x20-\x7e\t]/.test(value)) {
			throw new NodeOperationError(this.getNode(), `The value of metadata "${name}" contains characters S3 cannot store in a header`, {
				itemIndex,
				description:
					'Metadata values travel as HTTP headers and must be printable ASCII. Encode other text first, e.g. {{ encodeURIComponent($json.name) }}.',
			});
		}
		const lower = name.toLowerCase();
		if (lower in result) {
			throw new NodeOperationError(this.getNode(), `Metadata "${name}" is given twice`, {
				itemIndex,
				description: 'S3 lowercases metadata names, so each name (in any case) may appear only once.',
			});
		}
		result[lower] = value.trim();
	}
	return result;
}

/** Tags from a fixed collection, checked against S3's limits. */
export function tagSetOf(this: IExecuteFunctions, itemIndex: number, tags: TagEntries | undefined): Tag[] {
	const entries = tags?.tags ?? [];
	const tagSet: Tag[] = [];
	const seen = new Set<string>();
	for (const entry of entries) {
		const key = String(entry.key ?? '');
		const value = String(entry.value ?? '');
		if (key.length === 0 || key.length > 128 || value.length > 256) {
			throw new NodeOperationError(this.getNode(), key ? `Tag "${key}" is too long` : 'A tag has no key', {
				itemIndex,
				description: 'Tag keys are 1-128 characters and values at most 256 characters.',
			});
		}
		if (seen.has(key)) {
			throw new NodeOperationError(this.getNode(), `Tag "${key}" is given twice`, {
				itemIndex,
				description: 'Each tag key may appear once per object.',
			});
		}
		seen.add(key);
		tagSet.push({ Key: key, Value: value });
	}
	if (tagSet.length > 10) {
		throw new NodeOperationError(this.getNode(), `${tagSet.length} tags given; an object can have at most 10`, {
			itemIndex,
			description: 'Remove some tags, or keep further attributes in metadata instead.',
		});
	}
	return tagSet;
}

/** Tags as a plain object, for output items. */
export function tagsToObject(tagSet: Tag[] | undefined): Record<string, string> {
	return Object.fromEntries((tagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

/** ACL, storage class and encryption: what any write (upload or copy) may set. */
export function placementParams(options: WriteOptions): Pick<PutObjectCommandInput, 'ACL' | 'StorageClass' | 'ServerSideEncryption' | 'SSEKMSKeyId'> {
	const sse = options.serverSideEncryption || undefined;
	const kms = sse === 'aws:kms' || sse === 'aws:kms:dsse';
	return {
		ACL: (options.acl || undefined) as ObjectCannedACL | undefined,
		StorageClass: (options.storageClass || undefined) as StorageClass | undefined,
		ServerSideEncryption: sse as ServerSideEncryption | undefined,
		SSEKMSKeyId: kms ? options.kmsKeyId?.trim() || undefined : undefined,
	};
}

/** Every upload option as upload parameters; the tags travel as a tag set (the transport writes the header). */
export function writeParams(this: IExecuteFunctions, itemIndex: number, options: WriteOptions): Partial<UploadParams> {
	return {
		...placementParams(options),
		CacheControl: options.cacheControl?.trim() || undefined,
		ContentDisposition: options.contentDisposition?.trim() || undefined,
		Metadata: metadataOf.call(this, itemIndex, options.metadata),
		tags: tagSetOf.call(this, itemIndex, options.tags),
		IfNoneMatch: options.doNotOverwrite ? '*' : undefined,
	};
}
