import type { INode } from 'n8n-workflow';

import {
	globLiteralPrefix,
	parseDateText,
	parseListingFilter,
	regexLiteralPrefix,
	type ListedEntry,
	type ListingFilterValues,
} from '../../nodes/S3Storage/helpers/listingFilter';

const node = { name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const NOW = Date.parse('2025-06-15T12:00:00Z');
const DAY = 86_400_000;
const filterOf = (values: ListingFilterValues, timezone?: string) => parseListingFilter(node, 0, values, { time: NOW, timezone });
const object = (key: string, extra: Partial<ListedEntry> = {}): ListedEntry => ({
	key,
	size: 100,
	lastModified: new Date(NOW - DAY),
	storageClass: 'STANDARD',
	...extra,
});
const keysMatching = (values: ListingFilterValues, keys: string[]) => keys.filter((key) => filterOf(values).matches(object(key)));

describe('no filter', () => {
	it('is inactive, matches everything, and lists under the Prefix as given', () => {
		for (const values of [undefined, {}, { keyPattern: '' }, { storageClasses: [] }]) {
			const filter = parseListingFilter(node, 0, values, { time: NOW });
			expect(filter.active).toBe(false);
			expect(filter.matches(object('any/key'))).toBe(true);
			expect(filter.keeps({ folder: true, key: 'docs/' })).toBe(true);
			expect(filter.narrowPrefix('docs/')).toBe('docs/');
		}
	});
});

describe('Key Pattern, glob', () => {
	const keys = ['a.csv', 'x/b.csv', 'x/y/c.csv', 'x/b.csv.bak', '.hidden.csv', 'reports/2024-01.json', 'reports/q1/2024-02.json', 'reports/q1/2023-02.json', 'reports.json'];

	it('without "/" it matches the file name in any folder, dot files included', () => {
		expect(keysMatching({ keyPattern: '*.csv' }, keys)).toEqual(['a.csv', 'x/b.csv', 'x/y/c.csv', '.hidden.csv']);
	});

	it('with "/" it matches the whole key: * stays in one folder, ** crosses folders (also none)', () => {
		expect(keysMatching({ keyPattern: 'reports/**/2024-*.json' }, keys)).toEqual(['reports/2024-01.json', 'reports/q1/2024-02.json']);
		expect(keysMatching({ keyPattern: 'x/*.csv' }, keys)).toEqual(['x/b.csv']);
		expect(keysMatching({ keyPattern: 'x/**' }, keys)).toEqual(['x/b.csv', 'x/y/c.csv', 'x/b.csv.bak']);
	});

	it('braces, character classes and a leading ! (everything but) work', () => {
		expect(keysMatching({ keyPattern: 'reports/**/{2023,2024}-0[2-9].json' }, keys)).toEqual(['reports/q1/2024-02.json', 'reports/q1/2023-02.json']);
		expect(keysMatching({ keyPattern: '!*.csv' }, keys)).toEqual(['x/b.csv.bak', 'reports/2024-01.json', 'reports/q1/2024-02.json', 'reports/q1/2023-02.json', 'reports.json']);
	});

	it('is case-sensitive, as keys are, and treats "\\" as an escape, never as a folder separator', () => {
		expect(keysMatching({ keyPattern: '*.CSV' }, keys)).toEqual([]);
		expect(keysMatching({ keyPattern: 'odd/a\\*b' }, ['odd/a*b', 'odd/axb'])).toEqual(['odd/a*b']);
	});

	it('narrows the listing to the text before the first wildcard, only for whole-key patterns', () => {
		expect(globLiteralPrefix('reports/**/2024-*.json')).toBe('reports/');
		expect(globLiteralPrefix('logs/2024-0?/x')).toBe('logs/2024-0');
		expect(globLiteralPrefix('exact/key.txt')).toBe('exact/key.txt');
		expect(globLiteralPrefix('!x/*')).toBe('');
		expect(globLiteralPrefix('a{b,c}/*')).toBe('a');
		expect(filterOf({ keyPattern: 'reports/**/2024-*.json' }).narrowPrefix('')).toBe('reports/');
		expect(filterOf({ keyPattern: '*.csv' }).narrowPrefix('docs/')).toBe('docs/');
	});
});

describe('Key Pattern, regular expression', () => {
	it('is searched for in the whole key', () => {
		const values = { keyPattern: '\\d{4}-\\d\\d\\.log$', patternType: 'regex' };
		expect(keysMatching(values, ['logs/2024-01.log', 'x/1999-12.log', '2024-01.log.gz', 'logs/24-01.log'])).toEqual(['logs/2024-01.log', 'x/1999-12.log']);
	});

	it('narrows the listing only when anchored, without alternation, leaving out a quantified last character', () => {
		expect(regexLiteralPrefix('^logs/2024/.*')).toBe('logs/2024/');
		expect(regexLiteralPrefix('^logs\\/a\\.b\\d')).toBe('logs/a.b');
		expect(regexLiteralPrefix('^logs?/')).toBe('log');
		expect(regexLiteralPrefix('^ab*c')).toBe('a');
		expect(regexLiteralPrefix('^ab{0,2}')).toBe('a');
		expect(regexLiteralPrefix('^ab+')).toBe('ab');
		expect(regexLiteralPrefix('^a|^b')).toBe('');
		expect(regexLiteralPrefix('logs/')).toBe('');
	});

	it('a broken expression is refused, naming the field and the fix', () => {
		expect(() => filterOf({ keyPattern: 'logs/(', patternType: 'regex' })).toThrow(/The filter "Key Pattern" of item 0 is not a valid regular expression/);
	});
});

describe('narrowed Prefix', () => {
	const glob = (pattern: string) => filterOf({ keyPattern: pattern });

	it('takes the longer of the Prefix and the pattern\'s text, and lists nothing when they part ways', () => {
		expect(glob('logs/2024/*.gz').narrowPrefix('logs/')).toBe('logs/2024/');
		expect(glob('logs/*.gz').narrowPrefix('logs/2024/')).toBe('logs/2024/');
		expect(glob('logs/*.gz').narrowPrefix('images/')).toBeNull();
	});

	it('with a delimiter, never reaches past it, so keys are grouped into folders as before', () => {
		expect(glob('reports/2024-*').narrowPrefix('', '/')).toBe('reports');
		expect(glob('reports/2024-*').narrowPrefix('reports/', '/')).toBe('reports/2024-');
		expect(glob('a--b/*').narrowPrefix('', '--')).toBe('a');
	});
});

describe('dates and ages', () => {
	const at = (iso: string) => object('k', { lastModified: new Date(iso) });

	it('Modified After / Before are exclusive bounds', () => {
		const filter = filterOf({ modifiedAfter: '2025-01-01T00:00:00Z', modifiedBefore: '2025-02-01T00:00:00Z' });
		expect([at('2025-01-01T00:00:00Z'), at('2025-01-15T00:00:00Z'), at('2025-02-01T00:00:00Z')].map(filter.matches)).toEqual([false, true, false]);
	});

	it('Older Than / Newer Than (Days) count 24-hour days back from the run', () => {
		const older = filterOf({ olderThanDays: 30 });
		expect(older.matches(object('k', { lastModified: new Date(NOW - 30 * DAY - 1000) }))).toBe(true);
		expect(older.matches(object('k', { lastModified: new Date(NOW - 29 * DAY) }))).toBe(false);
		const newer = filterOf({ newerThanDays: 0.5 });
		expect(newer.matches(object('k', { lastModified: new Date(NOW - 11 * 3_600_000) }))).toBe(true);
		expect(newer.matches(object('k', { lastModified: new Date(NOW - 13 * 3_600_000) }))).toBe(false);
		// 0 days: anything modified before the run.
		expect(filterOf({ olderThanDays: 0 }).matches(object('k', { lastModified: new Date(NOW - 1000) }))).toBe(true);
	});

	it('a date without a zone is read in the workflow\'s time zone, across daylight saving too', () => {
		expect(new Date(parseDateText('2025-01-15T00:00:00', 'Europe/Berlin')).toISOString()).toBe('2025-01-14T23:00:00.000Z');
		expect(new Date(parseDateText('2025-07-15T00:00:00', 'Europe/Berlin')).toISOString()).toBe('2025-07-14T22:00:00.000Z');
		expect(new Date(parseDateText('2025-07-15', 'America/New_York')).toISOString()).toBe('2025-07-15T04:00:00.000Z');
		expect(new Date(parseDateText('2025-07-15T00:00:00+02:00', 'America/New_York')).toISOString()).toBe('2025-07-14T22:00:00.000Z');
	});

	it('accepts date objects from expressions and refuses text that is no date', () => {
		const luxonLike = { toMillis: () => Date.parse('2025-01-01T00:00:00Z') };
		expect(filterOf({ modifiedAfter: luxonLike }).matches(at('2025-01-02T00:00:00Z'))).toBe(true);
		expect(filterOf({ modifiedBefore: new Date('2025-01-01T00:00:00Z') }).matches(at('2025-01-02T00:00:00Z'))).toBe(false);
		expect(() => filterOf({ modifiedBefore: 'last tuesday' })).toThrow('The filter "Modified Before" of item 0 is "last tuesday", not a date');
		expect(() => filterOf({ olderThanDays: -1 })).toThrow('The filter "Older Than (Days)" of item 0 is -1; it must be a number of 0 or more');
	});

	it('an entry without a date never passes a date filter', () => {
		expect(filterOf({ olderThanDays: 1 }).matches(object('k', { lastModified: undefined }))).toBe(false);
	});
});

describe('size and storage class', () => {
	it('sizes are inclusive bounds in bytes', () => {
		const filter = filterOf({ sizeAtLeast: 10, sizeAtMost: '20' });
		expect([9, 10, 20, 21].map((size) => filter.matches(object('k', { size })))).toEqual([false, true, true, false]);
		expect(filter.matches(object('k', { size: undefined }))).toBe(false);
	});

	it('storage classes match any of the chosen ones; a listing without a class counts as Standard', () => {
		const filter = filterOf({ storageClasses: ['STANDARD', 'GLACIER'] });
		expect(filter.matches(object('k', { storageClass: 'GLACIER' }))).toBe(true);
		expect(filter.matches(object('k', { storageClass: undefined }))).toBe(true);
		expect(filter.matches(object('k', { storageClass: 'STANDARD_IA' }))).toBe(false);
		expect(filterOf({ storageClasses: 'deep_archive' }).matches(object('k', { storageClass: 'DEEP_ARCHIVE' }))).toBe(true);
	});
});

describe('together', () => {
	it('every filter set must match, and folders are left out while any is set', () => {
		const filter = filterOf({ keyPattern: 'logs/**/*.gz', olderThanDays: 30, sizeAtLeast: 1 });
		const old = new Date(NOW - 31 * DAY);
		expect(filter.matches(object('logs/a/x.gz', { lastModified: old }))).toBe(true);
		expect(filter.matches(object('logs/a/x.gz', { lastModified: old, size: 0 }))).toBe(false);
		expect(filter.matches(object('logs/a/x.gz'))).toBe(false);
		expect(filter.matches(object('logs/a/x.txt', { lastModified: old }))).toBe(false);
		expect(filter.keeps({ folder: true, key: 'logs/a/' })).toBe(false);
		expect(filter.keeps({ folder: false, key: 'logs/x.gz', object: { Key: 'logs/x.gz', Size: 5, LastModified: old } })).toBe(true);
	});
});
