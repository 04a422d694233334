import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { keyGlob } from './keyGlob';
import { describeType, type ListingEntry } from './utils';

/**
 * The Filters of the listing operations (Object > Get Many, Folder > Get Many, Folder > Delete),
 * turned into one predicate over listed objects plus the narrowest Prefix the listing can use.
 * Every filter set must match (AND); an empty Filters collection matches everything.
 */

/** What the Filters collection holds, as saved in the workflow (every field optional). */
export interface ListingFilterValues {
	keyPattern?: unknown;
	patternType?: unknown;
	modifiedAfter?: unknown;
	modifiedBefore?: unknown;
	newerThanDays?: unknown;
	olderThanDays?: unknown;
	sizeAtLeast?: unknown;
	sizeAtMost?: unknown;
	storageClasses?: unknown;
}

/** One listed object (or version): what a filter can look at. */
export interface ListedEntry {
	key: string;
	size?: number;
	lastModified?: Date;
	storageClass?: string;
}

export interface ListingFilter {
	/** Whether any filter is set; without one, operations behave exactly as before Filters existed. */
	active: boolean;
	matches(entry: ListedEntry): boolean;
	/** Whether one entry of a listing page is kept: all without a filter; with one, matching objects (never folders). */
	keeps(entry: ListingEntry): boolean;
	/**
	 * The Prefix to list under instead of `prefix`: longer when the key pattern starts with literal
	 * text, so fewer keys are listed; `null` when no key under `prefix` can match (list nothing).
	 * With a `delimiter`, the added text stops before it, so the listing groups keys as before.
	 */
	narrowPrefix(prefix: string, delimiter?: string): string | null;
}

const DAY = 24 * 60 * 60 * 1000;

/** The item's Filters, with relative ages counted from now and dates read in the workflow's time zone. */
export function getListingFilter(this: IExecuteFunctions, itemIndex: number): ListingFilter {
	const values = this.getNodeParameter('filters', itemIndex, {}) as ListingFilterValues;
	return parseListingFilter(this.getNode(), itemIndex, values, { time: Date.now(), timezone: this.getTimezone() });
}

export function parseListingFilter(
	node: INode,
	itemIndex: number,
	values: ListingFilterValues | undefined,
	/** The clock "Older/Newer Than (Days)" count from, and the zone of dates typed without one. */
	now: { time: number; timezone?: string } = { time: Date.now() },
): ListingFilter {
	const fail = (field: string, problem: string, fix: string): never => {
		throw new NodeOperationError(node, `The filter "${field}" of item ${itemIndex} ${problem}`, { itemIndex, description: fix });
	};
	const filters = values ?? {};
	const tests: Array<(entry: ListedEntry) => boolean> = [];
	let literalPrefix = '';

	const pattern = textValue(filters.keyPattern, 'Key Pattern', fail);
	if (pattern) {
		const type = filters.patternType ?? 'glob';
		if (type === 'regex') {
			let regex: RegExp;
			try {
				regex = new RegExp(pattern);
			} catch (error) {
				return fail('Key Pattern', `is not a valid regular expression: ${(error as Error).message}`, 'Fix the expression, or set "Pattern Type" to Glob for wildcards such as *.csv.');
			}
			tests.push((entry) => regex.test(entry.key));
			literalPrefix = regexLiteralPrefix(pattern);
		} else if (type === 'glob') {
			const glob = keyGlob(pattern);
			tests.push((entry) => glob(entry.key));
			// Without "/", the pattern names files in any folder: it cannot narrow the listing.
			if (pattern.includes('/')) literalPrefix = globLiteralPrefix(pattern);
		} else {
			fail('Pattern Type', `is "${String(type)}"`, 'Choose Glob or Regular Expression.');
		}
	}

	const after = dateValue(filters.modifiedAfter, 'Modified After', now.timezone, fail);
	if (after !== undefined) tests.push((entry) => entry.lastModified !== undefined && entry.lastModified.getTime() > after);
	const before = dateValue(filters.modifiedBefore, 'Modified Before', now.timezone, fail);
	if (before !== undefined) tests.push((entry) => entry.lastModified !== undefined && entry.lastModified.getTime() < before);
	const olderThan = numberValue(filters.olderThanDays, 'Older Than (Days)', fail);
	if (olderThan !== undefined) {
		const cutoff = now.time - olderThan * DAY;
		tests.push((entry) => entry.lastModified !== undefined && entry.lastModified.getTime() < cutoff);
	}
	const newerThan = numberValue(filters.newerThanDays, 'Newer Than (Days)', fail);
	if (newerThan !== undefined) {
		const cutoff = now.time - newerThan * DAY;
		tests.push((entry) => entry.lastModified !== undefined && entry.lastModified.getTime() >= cutoff);
	}

	const atLeast = numberValue(filters.sizeAtLeast, 'Size At Least (Bytes)', fail);
	if (atLeast !== undefined) tests.push((entry) => entry.size !== undefined && entry.size >= atLeast);
	const atMost = numberValue(filters.sizeAtMost, 'Size At Most (Bytes)', fail);
	if (atMost !== undefined) tests.push((entry) => entry.size !== undefined && entry.size <= atMost);

	const classes = classesValue(filters.storageClasses, fail);
	if (classes.size > 0) {
		// Listings leave out the class of Standard objects on some stores; S3 defines it as Standard.
		tests.push((entry) => classes.has((entry.storageClass || 'STANDARD').toUpperCase()));
	}

	const matches = (entry: ListedEntry) => tests.every((test) => test(entry));
	return {
		active: tests.length > 0,
		matches,
		keeps: (entry) => tests.length === 0 || (!entry.folder && matches(listedEntryOf(entry.object))),
		narrowPrefix: (prefix, delimiter) => {
			if (literalPrefix.startsWith(prefix)) {
				let added = literalPrefix.slice(prefix.length);
				if (delimiter) {
					const cut = [...delimiter].map((char) => added.indexOf(char)).filter((index) => index >= 0);
					if (cut.length > 0) added = added.slice(0, Math.min(...cut));
				}
				return prefix + added;
			}
			return prefix.startsWith(literalPrefix) ? prefix : null;
		},
	};
}

/** What a filter looks at in a listed object, version or delete marker. */
export function listedEntryOf(object: { Key?: string; Size?: number; LastModified?: Date; StorageClass?: string }): ListedEntry {
	return { key: object.Key ?? '', size: object.Size, lastModified: object.LastModified, storageClass: object.StorageClass };
}

type Fail = (field: string, problem: string, fix: string) => never;

function textValue(value: unknown, field: string, fail: Fail): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string') return fail(field, `is ${describeType(value)}, not text`, `Give "${field}" text, e.g. *.csv.`);
	return value;
}

function numberValue(value: unknown, field: string, fail: Fail): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof number === 'number' && Number.isFinite(number) && number >= 0) return number;
	const shown = typeof value === 'string' ? `"${value}"` : typeof value === 'number' ? String(value) : describeType(value);
	return fail(field, `is ${shown}; it must be a number of 0 or more`, `Set "${field}" to a number such as 30, or remove the filter.`);
}

function classesValue(value: unknown, fail: Fail): Set<string> {
	if (value === undefined || value === null || value === '') return new Set();
	const list = typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string')) {
		return fail('Storage Class', `is ${describeType(value)}`, 'Pick storage classes from the list, or give names such as STANDARD,GLACIER.');
	}
	return new Set((list as string[]).map((entry) => entry.trim().toUpperCase()).filter(Boolean));
}

/**
 * A date filter as milliseconds. The editor's date picker saves local time without a zone
 * ("2024-05-01T00:00:00"): that is read in the workflow's time zone, as n8n shows it; text with a
 * zone ("...Z", "+02:00"), a Date, or a date object from an expression ({{ $now.minus(...) }}) is exact.
 */
function dateValue(value: unknown, field: string, timezone: string | undefined, fail: Fail): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let time = Number.NaN;
	if (value instanceof Date) time = value.getTime();
	else if (typeof value === 'number') time = value;
	else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		time = (value as { toMillis(): number }).toMillis();
	} else if (typeof value === 'string') time = parseDateText(value.trim(), timezone);
	if (Number.isFinite(time)) return time;
	const shown = typeof value === 'string' ? `"${value}"` : describeType(value);
	return fail(field, `is ${shown}, not a date`, `Pick a date, or give one such as 2024-05-01T00:00:00Z or {{ $now.minus({ days: 30 }) }}.`);
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3})\d*)?)?)?$/;

export function parseDateText(text: string, timezone?: string): number {
	const local = LOCAL_DATE_TIME.exec(text);
	if (!local) return Date.parse(text);
	const [year, month, day, hour, minute, second, fraction] = local.slice(1).map((part) => Number(part ?? 0));
	const milliseconds = fraction ? Number(local[7].padEnd(3, '0')) : 0;
	// No zone known: the machine's own, as Date would read the text.
	if (!timezone) return new Date(year, month - 1, day, hour, minute, second, milliseconds).getTime();
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
	// The zone's offset at that wall time; checked twice so a date just across a DST change lands right.
	let utc = wall - zoneOffset(wall, timezone);
	utc = wall - zoneOffset(utc, timezone);
	return utc;
}

/** How far `timezone` is ahead of UTC at the instant `utc`, in milliseconds. */
function zoneOffset(utc: number, timezone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: timezone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utc));
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - Math.floor(utc / 1000) * 1000;
}

/** Text every key matching a glob (with "/", matched against the whole key) starts with. */
export function globLiteralPrefix(pattern: string): string {
	const special = pattern.search(/[*?[\]{}()!+@\\|]/);
	return special < 0 ? pattern : pattern.slice(0, special);
}

/**
 * Text every key matching a regular expression starts with: only when it is anchored with "^" and
 * has no alternation; escaped punctuation counts as text, and a character made optional or
 * repeatable by the quantifier after it is left out.
 */
export function regexLiteralPrefix(pattern: string): string {
	if (!pattern.startsWith('^') || pattern.includes('|')) return '';
	const chars: string[] = [];
	let index = 1;
	while (index < pattern.length) {
		const char = pattern[index];
		if (char === '\\') {
			const escaped = pattern[index + 1];
			if (escaped === undefined || /[0-9A-Za-z]/.test(escaped)) break;
			chars.push(escaped);
			index += 2;
		} else if (/[\^$.|?*+()[\]{}]/.test(char)) {
			break;
		} else {
			chars.push(char);
			index += 1;
		}
	}
	if (/^[?*{]/.test(pattern.slice(index))) chars.pop();
	return chars.join('');
}
