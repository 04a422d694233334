import type { ListObjectsV2CommandOutput, _Object } from '@aws-sdk/client-s3';
import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INode,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { limitField } from '../actions/common.descriptions';
import type { S3Connection } from '../transport';

/** Adds the operation's `displayOptions` to each of its fields, so no field repeats them. */
export function updateDisplayOptions(
	displayOptions: IDisplayOptions,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...displayOptions.show, ...property.displayOptions?.show },
			...(displayOptions.hide || property.displayOptions?.hide
				? { hide: { ...displayOptions.hide, ...property.displayOptions?.hide } }
				: {}),
		},
	}));
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks a bucket name before any request, so the user hears what is wrong rather than a 400. */
export function bucketNameProblem(name: string): string | undefined {
	if (BUCKET_NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name)) return undefined;
	if (name.length < 3 || name.length > 63) return `it is ${name.length} characters long; bucket names are 3 to 63 characters`;
	if (/[A-Z]/.test(name)) return 'it contains uppercase letters; bucket names are lowercase';
	if (/[^a-z0-9.-]/.test(name)) return 'it contains characters other than lowercase letters, digits, dots and hyphens';
	return 'it must start and end with a letter or digit, without ".." and not look like an IP address';
}

/** What a bucket field holds, trimmed: a resource locator's value or a plain string ('' when empty). */
export function bucketFieldValue(value: unknown): string {
	const field = value as string | INodeParameterResourceLocator | undefined;
	return (typeof field === 'string' ? field : String(field?.value ?? '')).trim();
}

/** Refuses a name S3 would refuse, before any request, saying what is wrong with it. */
export function assertBucketName(node: INode, bucket: string, itemIndex?: number): void {
	const problem = bucketNameProblem(bucket);
	if (problem) {
		throw new NodeOperationError(node, `"${bucket}" is not a valid bucket name: ${problem}`, {
			itemIndex,
			description: 'Bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens, e.g. "invoices-2024".',
		});
	}
}

/**
 * The bucket a bucket field names, or the credential's default bucket when it is empty; checked.
 * `chooseIn` says where the user picks it ("node", "trigger").
 */
export function resolveBucket(
	node: INode,
	fieldValue: unknown,
	defaultBucket: string,
	chooseIn: string,
	itemIndex?: number,
): string {
	const bucket = bucketFieldValue(fieldValue) || defaultBucket;
	if (!bucket) {
		throw new NodeOperationError(node, 'No bucket given', {
			itemIndex,
			description: `Choose a bucket in the ${chooseIn}, or set "Default Bucket" in the S3 Storage credential.`,
		});
	}
	assertBucketName(node, bucket, itemIndex);
	return bucket;
}

/** The bucket an item works on: the field's value, or the credential's default bucket. */
export function getBucket(this: IExecuteFunctions, connection: S3Connection, itemIndex: number, parameterName = 'bucket'): string {
	const value = this.getNodeParameter(parameterName, itemIndex, '', { extractValue: true });
	return resolveBucket(this.getNode(), value, connection.defaultBucket, 'node', itemIndex);
}

/** S3's limit on a key's length, in bytes of UTF-8. */
export function isKeyTooLong(key: string): boolean {
	return Buffer.byteLength(key, 'utf8') > 1024;
}

/** An object key from a field; S3 keys may hold any character, but not be empty. */
export function getKey(this: IExecuteFunctions, itemIndex: number, parameterName = 'key'): string {
	const key = this.getNodeParameter(parameterName, itemIndex, '') as string;
	if (typeof key !== 'string' || key === '') {
		throw new NodeOperationError(this.getNode(), 'No object key given', {
			itemIndex,
			description: 'Fill in "Key" with the object\'s full key, e.g. "reports/2024/summary.csv".',
		});
	}
	if (isKeyTooLong(key)) {
		throw new NodeOperationError(this.getNode(), 'The object key is longer than 1,024 bytes', {
			itemIndex,
			description: 'S3 keys are at most 1,024 bytes of UTF-8; shorten the key.',
		});
	}
	return key;
}

/** A version ID option (empty or blank: the current version). */
export function getVersionId(this: IExecuteFunctions, itemIndex: number, optionName = 'versionId'): string | undefined {
	const options = this.getNodeParameter('options', itemIndex, {}) as Record<string, string | undefined>;
	return options[optionName]?.trim() || undefined;
}

/** How many results a list operation returns: its Limit, or all of them with Return All on. */
export function getLimit(this: IExecuteFunctions, itemIndex: number): number {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, limitField.default) as number);
}

export type ListingEntry = { folder: true; key: string } | { folder: false; key: string; object: _Object };

/** One listing page's objects and folders (common prefixes), merged in key order (both lists are sorted; together they span the page). */
export function listingEntries(page: Pick<ListObjectsV2CommandOutput, 'Contents' | 'CommonPrefixes'>): ListingEntry[] {
	const objects = (page.Contents ?? []).map((object) => ({ folder: false as const, key: object.Key ?? '', object }));
	const folders = (page.CommonPrefixes ?? []).map((prefix) => ({ folder: true as const, key: prefix.Prefix ?? '' }));
	return [...objects, ...folders].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Drops undefined values so output items stay tidy. */
export function compact(object: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** The last path segment of a key, used as the file name of a download. */
export function fileNameOfKey(key: string): string {
	const trimmed = key.replace(/\/+$/, '');
	return trimmed.slice(trimmed.lastIndexOf('/') + 1) || 'file';
}
