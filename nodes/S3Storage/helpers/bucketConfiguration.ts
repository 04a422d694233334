/**
 * Bucket configuration (lifecycle, CORS, policy, default encryption) as JSON: reading what a field
 * holds, checking it before any request so bad input is refused naming the field, and giving the
 * server's answer back in the shape the matching Set operation accepts.
 */
import type { CORSRule, LifecycleRule } from '@aws-sdk/client-s3';
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeType } from './utils';
import { requestFailureOf } from './requestFailure';

/** The error codes with which S3 says "this bucket has none of that configuration". */
export const NOT_CONFIGURED = {
	lifecycle: 'NoSuchLifecycleConfiguration',
	cors: 'NoSuchCORSConfiguration',
	policy: 'NoSuchBucketPolicy',
	encryption: 'ServerSideEncryptionConfigurationNotFoundError',
} as const;

/**
 * Runs a Get request whose "not configured" answer is a result, not a failure: resolves to undefined
 * for that one code; every other failure (no such bucket, access denied) stays an error.
 */
export async function unlessNotConfigured<T>(request: Promise<T>, code: string): Promise<T | undefined> {
	// The failure is the transport's NodeApiError already; it is passed on as it is.
	return await request.catch(async (error: unknown) => (requestFailureOf(error).code === code ? undefined : await Promise.reject(error)));
}

function refuse(node: INode, itemIndex: number, message: string, description: string): never {
	throw new NodeOperationError(node, message, { itemIndex, description });
}

/** A JSON field's value: text is parsed (invalid JSON refused naming the field), an expression's object or list passes. */
export function jsonFieldValue(node: INode, value: unknown, field: string, itemIndex: number, example: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') {
		refuse(node, itemIndex, `The "${field}" of item ${itemIndex} is empty`, `Fill in "${field}", e.g. ${example}.`);
	}
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		return refuse(
			node,
			itemIndex,
			`The "${field}" of item ${itemIndex} is not valid JSON: ${(error as Error).message}`,
			`Fix the JSON in "${field}", e.g. ${example}. Nothing was changed on the bucket.`,
		);
	}
}

const isPlainObject = (value: unknown): value is IDataObject => value !== null && typeof value === 'object' && !Array.isArray(value);

interface RuleListShape {
	/** The field's name in the editor. */
	field: string;
	/** The key of the SDK's configuration object that holds the list ("Rules", "CORSRules"). */
	listKey: string;
	/** The keys a rule may have, as the S3 API spells them. */
	ruleKeys: readonly string[];
	/** What to tell the user to do instead of setting no rules. */
	whenEmpty: string;
	example: string;
}

/**
 * The rules a JSON field gives: either the SDK's configuration object (`{ "Rules": [...] }`) or the
 * list alone, as Get returns it. Refuses anything else, an empty list, and rules with keys the API
 * does not know (a misspelt or camel-case key would otherwise be dropped silently on the way out).
 */
function ruleListOf(node: INode, value: unknown, shape: RuleListShape, itemIndex: number): IDataObject[] {
	const parsed = jsonFieldValue(node, value, shape.field, itemIndex, shape.example);
	const list = isPlainObject(parsed) && shape.listKey in parsed ? parsed[shape.listKey] : parsed;
	if (!Array.isArray(list)) {
		refuse(
			node,
			itemIndex,
			`The "${shape.field}" of item ${itemIndex} is ${describeType(list)}; it must be a list of rules or an object with "${shape.listKey}"`,
			`Give the rules as a list, e.g. ${shape.example}, or as { "${shape.listKey}": [...] }.`,
		);
	}
	if (list.length === 0) {
		refuse(node, itemIndex, `The "${shape.field}" of item ${itemIndex} holds no rules`, shape.whenEmpty);
	}
	list.forEach((rule, index) => {
		if (!isPlainObject(rule)) {
			refuse(
				node,
				itemIndex,
				`Rule ${index + 1} in "${shape.field}" of item ${itemIndex} is ${describeType(rule)}, not an object`,
				`Each rule is an object, e.g. ${shape.example}.`,
			);
		}
		const unknown = Object.keys(rule).filter((key) => !shape.ruleKeys.includes(key));
		if (unknown.length > 0) {
			refuse(
				node,
				itemIndex,
				`Rule ${index + 1} in "${shape.field}" of item ${itemIndex} has ${unknown.length === 1 ? 'a field' : 'fields'} the S3 API does not know: ${unknown.map((key) => `"${key}"`).join(', ')}`,
				`A rule's fields are spelt as in the S3 API: ${shape.ruleKeys.join(', ')}.`,
			);
		}
	});
	return list as IDataObject[];
}

/** A whole number of days of at least 1 in a rule, or a refusal naming the rule and the path. */
function assertDays(node: INode, value: unknown, where: string, field: string, itemIndex: number): void {
	if (value === undefined) return;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return;
	const shown = typeof value === 'number' ? String(value) : typeof value === 'string' ? `"${value}"` : describeType(value);
	refuse(
		node,
		itemIndex,
		`${where} in "${field}" of item ${itemIndex} is ${shown}; it must be a whole number of days of at least 1`,
		'Lifecycle periods are whole days counted from when the object (or upload, or version) was created.',
	);
}

/** ISO date text in a rule (as Get gives it) becomes a Date for the request. */
function dateOf(node: INode, value: unknown, where: string, field: string, itemIndex: number): Date | undefined {
	if (value === undefined) return undefined;
	const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
	if (date && !Number.isNaN(date.getTime())) return date;
	return refuse(
		node,
		itemIndex,
		`${where} in "${field}" of item ${itemIndex} is not a date`,
		'Give dates as ISO 8601 text at midnight UTC, e.g. "2027-01-01T00:00:00.000Z".',
	);
}

const LIFECYCLE_RULE_KEYS = [
	'ID',
	'Status',
	'Filter',
	'Prefix',
	'Expiration',
	'Transitions',
	'NoncurrentVersionExpiration',
	'NoncurrentVersionTransitions',
	'AbortIncompleteMultipartUpload',
] as const;

export const LIFECYCLE_EXAMPLE =
	'[{ "ID": "expire-logs", "Status": "Enabled", "Filter": { "Prefix": "logs/" }, "Expiration": { "Days": 30 } }]';

/** Lifecycle rules from a JSON field, checked: a status, whole days of at least 1, dates that are dates. */
export function lifecycleRulesOf(node: INode, value: unknown, field: string, itemIndex: number): LifecycleRule[] {
	const rules = ruleListOf(
		node,
		value,
		{
			field,
			listKey: 'Rules',
			ruleKeys: LIFECYCLE_RULE_KEYS,
			whenEmpty: 'A bucket\'s lifecycle needs at least one rule. To remove every rule, use Bucket > Delete Lifecycle Rules.',
			example: LIFECYCLE_EXAMPLE,
		},
		itemIndex,
	);
	return rules.map((rule, index) => {
		const where = `Rule ${index + 1}`;
		if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') {
			refuse(
				node,
				itemIndex,
				`${where} in "${field}" of item ${itemIndex} has "Status" ${rule.Status === undefined ? 'missing' : JSON.stringify(rule.Status)}; it must be "Enabled" or "Disabled"`,
				`Every lifecycle rule says whether it is in force, e.g. ${LIFECYCLE_EXAMPLE}.`,
			);
		}
		const expiration = rule.Expiration as IDataObject | undefined;
		assertDays(node, expiration?.Days, `${where}'s "Expiration.Days"`, field, itemIndex);
		assertDays(node, (rule.NoncurrentVersionExpiration as IDataObject | undefined)?.NoncurrentDays, `${where}'s "NoncurrentVersionExpiration.NoncurrentDays"`, field, itemIndex);
		assertDays(node, (rule.AbortIncompleteMultipartUpload as IDataObject | undefined)?.DaysAfterInitiation, `${where}'s "AbortIncompleteMultipartUpload.DaysAfterInitiation"`, field, itemIndex);
		const checked = { ...rule } as unknown as LifecycleRule;
		if (expiration?.Date !== undefined) {
			checked.Expiration = { ...(expiration as object), Date: dateOf(node, expiration.Date, `${where}'s "Expiration.Date"`, field, itemIndex) };
		}
		if (Array.isArray(rule.Transitions)) {
			checked.Transitions = (rule.Transitions as IDataObject[]).map((transition, position) =>
				transition?.Date === undefined
					? transition
					: { ...transition, Date: dateOf(node, transition.Date, `${where}'s "Transitions[${position}].Date"`, field, itemIndex) },
			) as LifecycleRule['Transitions'];
		}
		return checked;
	});
}

/**
 * Rules as the server gave them, in the shape Set takes back: dates as ISO text, and the old
 * rule-level "Prefix" (some servers answer with it even for a rule set with a Filter) as a Filter.
 */
export function lifecycleRulesForOutput(rules: LifecycleRule[] | undefined): IDataObject[] {
	return asJson(
		(rules ?? []).map((rule) => {
			const { Prefix, ...rest } = rule;
			return Prefix !== undefined && !rule.Filter ? { ...rest, Filter: { Prefix } } : rule;
		}),
	);
}

/** Rules of the SDK's types as plain JSON for an output item: dates as ISO text, no undefined fields. */
export function asJson(rules: readonly object[] | undefined): IDataObject[] {
	return JSON.parse(JSON.stringify(rules ?? [])) as IDataObject[];
}

const CORS_RULE_KEYS = ['ID', 'AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders', 'MaxAgeSeconds'] as const;
export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
export const CORS_EXAMPLE = '[{ "AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "MaxAgeSeconds": 3000 }]';

/** CORS rules from a JSON field, checked: origins and methods given, methods S3 knows, a max age of whole seconds. */
export function corsRulesOf(node: INode, value: unknown, field: string, itemIndex: number): CORSRule[] {
	const rules = ruleListOf(
		node,
		value,
		{
			field,
			listKey: 'CORSRules',
			ruleKeys: CORS_RULE_KEYS,
			whenEmpty: 'A bucket\'s CORS configuration needs at least one rule. To remove every rule, use Bucket > Delete CORS Rules.',
			example: CORS_EXAMPLE,
		},
		itemIndex,
	);
	rules.forEach((rule, index) => {
		const where = `Rule ${index + 1} in "${field}" of item ${itemIndex}`;
		for (const key of ['AllowedOrigins', 'AllowedMethods'] as const) {
			const list = rule[key];
			if (!Array.isArray(list) || list.length === 0 || list.some((entry) => typeof entry !== 'string' || entry.trim() === '')) {
				refuse(node, itemIndex, `${where} needs "${key}": a list of at least one text`, `e.g. ${CORS_EXAMPLE}.`);
			}
		}
		const unknownMethod = (rule.AllowedMethods as string[]).find((method) => !(CORS_METHODS as readonly string[]).includes(method));
		if (unknownMethod !== undefined) {
			refuse(node, itemIndex, `${where} allows the method "${unknownMethod}"; S3 allows ${CORS_METHODS.join(', ')}`, 'Methods are upper case.');
		}
		const maxAge = rule.MaxAgeSeconds;
		if (maxAge !== undefined && !(typeof maxAge === 'number' && Number.isInteger(maxAge) && maxAge >= 0)) {
			refuse(node, itemIndex, `${where} has "MaxAgeSeconds" ${JSON.stringify(maxAge)}; it must be a whole number of seconds, 0 or more`, 'How long a browser may cache the answer to a preflight request.');
		}
	});
	return rules as unknown as CORSRule[];
}

/** A comma- or line-separated list field ("https://a.example, https://b.example") as a list, blanks dropped. */
export function textListOf(value: unknown): string[] {
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\n]/) : [];
	return entries.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}

export const POLICY_EXAMPLE =
	'{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*" }] }';

/** A bucket policy from a JSON field: a JSON object with a Statement; returned as the text to send. */
export function policyDocumentOf(node: INode, value: unknown, field: string, itemIndex: number): string {
	const parsed = jsonFieldValue(node, value, field, itemIndex, POLICY_EXAMPLE);
	if (!isPlainObject(parsed)) {
		refuse(node, itemIndex, `The "${field}" of item ${itemIndex} is ${describeType(parsed)}; a bucket policy is a JSON object`, `e.g. ${POLICY_EXAMPLE}.`);
	}
	const statement = parsed.Statement;
	const statements = Array.isArray(statement) ? statement : isPlainObject(statement) ? [statement] : [];
	if (statements.length === 0) {
		refuse(
			node,
			itemIndex,
			`The "${field}" of item ${itemIndex} has no "Statement"`,
			`A policy grants or denies through its statements, e.g. ${POLICY_EXAMPLE}. To remove the policy, use Bucket > Delete Policy.`,
		);
	}
	return JSON.stringify(parsed);
}

/** A form's number of days where 0 means "off": undefined for 0, the days for a whole number above 0, else refused naming the field. */
export function optionalDaysOf(node: INode, value: unknown, field: string, itemIndex: number): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (number === 0 || number === undefined || number === '') return undefined;
	if (typeof number === 'number' && Number.isInteger(number) && number > 0) return number;
	const shown = typeof value === 'string' ? `"${value}"` : typeof value === 'number' ? String(value) : describeType(value);
	return refuse(
		node,
		itemIndex,
		`The "${field}" of item ${itemIndex} is ${shown}; it must be a whole number of days (0 turns it off)`,
		`Set "${field}" to a number of days, e.g. 30, or to 0 to leave that action out of the rule.`,
	);
}
