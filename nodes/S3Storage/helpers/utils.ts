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

/** How a value's type reads in a message: "an object", "a list", "a boolean", "null". */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A text field's value as text. An expression can hand a field any value: a number becomes its
 * digits (a key of 2024 is "2024"); anything else (an object, a list, true, null) is refused before
 * any request, since as text it would be "[object Object]" and every item would write that one key.
 * `field` is the name the editor shows; undefined (an expression that found nothing) is empty.
 */
export function textOf(node: INode, value: unknown, field: string, itemIndex?: number): string {
	if (typeof value === 'string') return value;
	if (value === undefined) return '';
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	const ofItem = itemIndex === undefined ? '' : ` of item ${itemIndex}`;
	throw new NodeOperationError(node, `The "${field}"${ofItem} is ${describeType(value)}, not text`, {
		itemIndex,
		description: `"${field}" needs text. If an expression gives it, pick a text property, e.g. {{ $json.file.name }} rather than {{ $json.file }}, or build the text, e.g. {{ $json.folder + '/' + $json.name }}.`,
	});
}

/**
 * A text parameter of an item, numbers converted and other types refused naming the field; for
 * fields inside Options, give the path ("options.prefix").
 */
export function getText(this: IExecuteFunctions, parameterName: string, itemIndex: number, field: string): string {
	return textOf(this.getNode(), this.getNodeParameter(parameterName, itemIndex, ''), field, itemIndex);
}

/**
 * A key or folder field's text. From node version 3 these fields are resource locators
 * ({ __rl, mode, value }); versions 1 and 2 saved plain text under the same name. n8n's
 * `extractValue` gives the locator's value (after any mode's own extraction) and leaves text as it
 * is, so every version reads through here. Only for a field the editor shows at that moment (n8n
 * looks the field up to extract it).
 */
export function getLocatorText(this: IExecuteFunctions, parameterName: string, itemIndex: number, field: string): string {
	return textOf(this.getNode(), this.getNodeParameter(parameterName, itemIndex, '', { extractValue: true }), field, itemIndex);
}

/** What a bucket field holds as text, trimmed: a resource locator's value or a plain string ('' when empty). */
export function bucketFieldValue(node: INode, value: unknown, field = 'Bucket', itemIndex?: number): string {
	const locator = value !== null && typeof value === 'object' && (value as INodeParameterResourceLocator).__rl === true;
	const inner = locator ? (value as INodeParameterResourceLocator).value : value;
	return textOf(node, inner, field, itemIndex).trim();
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
	field = 'Bucket',
): string {
	const bucket = bucketFieldValue(node, fieldValue, field, itemIndex) || defaultBucket;
	if (!bucket) {
		throw new NodeOperationError(node, 'No bucket given', {
			itemIndex,
			description: `Choose a bucket in the ${chooseIn}, or set "Default Bucket" in the S3 Storage credential.`,
		});
	}
	assertBucketName(node, bucket, itemIndex);
	return bucket;
}

/** The bucket an item works on: the field's value, or the credential's default bucket. `field` is its name in the editor. */
export function getBucket(
	this: IExecuteFunctions,
	connection: S3Connection,
	itemIndex: number,
	parameterName = 'bucket',
	field = 'Bucket',
): string {
	const value = this.getNodeParameter(parameterName, itemIndex, '', { extractValue: true });
	return resolveBucket(this.getNode(), value, connection.defaultBucket, 'node', itemIndex, field);
}

/** S3's limit on a key's length, in bytes of UTF-8. */
export function isKeyTooLong(key: string): boolean {
	return Buffer.byteLength(key, 'utf8') > 1024;
}

/**
 * Refuses a key (or folder prefix) S3 would refuse for its length, before any request. `message`
 * says which key, `shorten` what the user can shorten ("the key", "the key or the folder").
 */
export function assertKeyLength(
	node: INode,
	key: string,
	itemIndex: number,
	wording: { message: string; shorten: string } = { message: 'The object key is longer than 1,024 bytes', shorten: 'the key' },
): void {
	if (!isKeyTooLong(key)) return;
	throw new NodeOperationError(node, wording.message, {
		itemIndex,
		description: `S3 keys are at most 1,024 bytes of UTF-8; shorten ${wording.shorten}.`,
	});
}

/** An object key from a field (`field`: its name in the editor); S3 keys may hold any character, but not be empty. */
export function getKey(this: IExecuteFunctions, itemIndex: number, parameterName = 'key', field = 'Key'): string {
	const key = getLocatorText.call(this, parameterName, itemIndex, field);
	if (key === '') {
		throw new NodeOperationError(this.getNode(), 'No object key given', {
			itemIndex,
			description: `Fill in "${field}" with the object's full key, e.g. "reports/2024/summary.csv".`,
		});
	}
	assertKeyLength(this.getNode(), key, itemIndex);
	return key;
}

/** A version ID option (empty or blank: the current version). */
export function getVersionId(
	this: IExecuteFunctions,
	itemIndex: number,
	optionName = 'versionId',
	field = 'Version ID',
): string | undefined {
	return getText.call(this, `options.${optionName}`, itemIndex, field).trim() || undefined;
}

/**
 * A number a field must hold above zero (a size, a count). Expressions can give anything, and the
 * editor's minimum does not hold for them: a Limit of -1 would otherwise end in "Invalid array length".
 * Text holding a number is read as that number; `whole` refuses fractions.
 */
export function positiveNumberOf(
	node: INode,
	value: unknown,
	field: string,
	itemIndex: number,
	options: { whole?: boolean; example: string },
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const valid = typeof number === 'number' && Number.isFinite(number) && number > 0 && (!options.whole || Number.isInteger(number));
	if (valid) return number;
	const shown = typeof value === 'string' ? `"${value}"` : typeof value === 'number' ? String(value) : describeType(value);
	throw new NodeOperationError(
		node,
		`The "${field}" of item ${itemIndex} is ${shown}; it must be ${options.whole ? 'a whole number of at least 1' : 'a number above 0'}`,
		{ itemIndex, description: `Set "${field}" to ${options.example}.` },
	);
}

/** The Limit of list operations when the field is not set (the field's default too). */
export const DEFAULT_LIMIT = 50;

/** How many results a list operation returns: its Limit (a whole number, at least 1), or all of them with Return All on. */
export function getLimit(this: IExecuteFunctions, itemIndex: number): number {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return Infinity;
	return positiveNumberOf(this.getNode(), this.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT), 'Limit', itemIndex, {
		whole: true,
		example: 'how many results to return, e.g. 50, or turn on "Return All"',
	});
}

export type ListingEntry = { folder: true; key: string } | { folder: false; key: string; object: _Object };

/** One listing page's objects and folders (common prefixes), merged in key order (both lists are sorted; together they span the page). */
export function listingEntries(page: Pick<ListObjectsV2CommandOutput, 'Contents' | 'CommonPrefixes'>): ListingEntry[] {
	// One array for the page, sorted in place (objects before folders of an equal key, as S3 never sends).
	const entries: ListingEntry[] = (page.Contents ?? []).map((object) => ({ folder: false as const, key: object.Key ?? '', object }));
	for (const prefix of page.CommonPrefixes ?? []) entries.push({ folder: true, key: prefix.Prefix ?? '' });
	return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
