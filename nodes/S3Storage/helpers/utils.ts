import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

/** The bucket an item works on: the field's value, or the credential's default bucket. */
export function getBucket(this: IExecuteFunctions, connection: S3Connection, itemIndex: number, parameterName = 'bucket'): string {
	const value = this.getNodeParameter(parameterName, itemIndex, '', { extractValue: true }) as
		| string
		| INodeParameterResourceLocator;
	const bucket = (typeof value === 'string' ? value : String(value?.value ?? '')).trim() || connection.defaultBucket;
	if (!bucket) {
		throw new NodeOperationError(this.getNode(), 'No bucket given', {
			itemIndex,
			description: 'Choose a bucket in the node, or set "Default Bucket" in the S3 Storage credential.',
		});
	}
	const problem = bucketNameProblem(bucket);
	if (problem) {
		throw new NodeOperationError(this.getNode(), `"${bucket}" is not a valid bucket name: ${problem}`, {
			itemIndex,
			description: 'Bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens, e.g. "invoices-2024".',
		});
	}
	return bucket;
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
	if (Buffer.byteLength(key, 'utf8') > 1024) {
		throw new NodeOperationError(this.getNode(), 'The object key is longer than 1,024 bytes', {
			itemIndex,
			description: 'S3 keys are at most 1,024 bytes of UTF-8; shorten the key.',
		});
	}
	return key;
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
