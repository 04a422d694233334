/**
 * Options shared by the operations that write objects (Upload, Upload Many, Copy, Move): their
 * translation into validated S3 request parameters. Their fields are in
 * actions/object/writeOptions.descriptions.ts.
 */
import type {
	ObjectCannedACL,
	PutObjectCommandInput,
	ServerSideEncryption,
	StorageClass,
	Tag,
} from '@aws-sdk/client-s3';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { quotedEtag, type UploadParams } from '../transport';
import { customerKeyParams } from './customerKey';

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
	/** Upload only: the ETag the object must still have (If-Match). */
	ifMatch?: string;
	/** Customer-provided encryption key (SSE-C). */
	customerKey?: string;
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

/** The If-Match condition, quoted as S3 sends ETags ("*" as it is); refused when it contradicts Do Not Overwrite. */
export function ifMatchOf(this: IExecuteFunctions, itemIndex: number, options: WriteOptions): string | undefined {
	const given = typeof options.ifMatch === 'string' ? options.ifMatch.trim() : options.ifMatch === undefined ? '' : String(options.ifMatch);
	if (!given) return undefined;
	if (options.doNotOverwrite) {
		throw new NodeOperationError(this.getNode(), '"Only If Unchanged (ETag)" and "Do Not Overwrite" cannot both be set', {
			itemIndex,
			description: 'One asks for an existing object with that ETag, the other for no object at all: keep the one you mean.',
		});
	}
	if (given === '*') return given;
	if (!/^(W\/)?"?[^\s"]+"?$/.test(given)) {
		throw new NodeOperationError(this.getNode(), `"${given}" is not an ETag`, {
			itemIndex,
			description: 'Give one ETag as Read or Get Metadata output it, e.g. "9b2cf535f27731c974343645a3985328" (the quotes are optional), or "*".',
		});
	}
	return quotedEtag(given.replace(/^W\//, ''));
}

/** Every upload option as upload parameters; the tags travel as a tag set (the transport writes the header). */
export function writeParams(this: IExecuteFunctions, itemIndex: number, options: WriteOptions): Partial<UploadParams> {
	return {
		...customerKeyParams(this.getNode(), options.customerKey, 'Customer Key (SSE-C)', itemIndex),
		IfMatch: ifMatchOf.call(this, itemIndex, options),
		...placementParams(options),
		CacheControl: options.cacheControl?.trim() || undefined,
		ContentDisposition: options.contentDisposition?.trim() || undefined,
		Metadata: metadataOf.call(this, itemIndex, options.metadata),
		tags: tagSetOf.call(this, itemIndex, options.tags),
		IfNoneMatch: options.doNotOverwrite ? '*' : undefined,
	};
}
