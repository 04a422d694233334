/**
 * The trigger's key filter: suffixes, globs matched against the file name (no "/") or the
 * whole key (with "/"), and regular expressions tested against the whole key; case-sensitive,
 * as S3 keys are.
 */
import { keyRegexProblem } from '../../nodes/S3Storage/helpers/keyPattern';
import { compileKeyFilter } from '../../nodes/S3StorageTrigger/keyFilter';

const matching = (endsWith: string | undefined, pattern: string | undefined, keys: string[], regex?: string) =>
	keys.filter(compileKeyFilter(endsWith, pattern, regex));

describe('trigger key filter', () => {
	const keys = ['a.pdf', 'docs/b.pdf', 'docs/2024/c.PDF', 'docs/2024/d.csv', 'e.txt'];

	it('reports every key without a filter', () => {
		expect(matching(undefined, undefined, keys)).toEqual(keys);
		expect(matching('', '  ', keys)).toEqual(keys);
	});

	it('reports keys ending with any of comma-separated suffixes, case-sensitively', () => {
		expect(matching('.pdf', undefined, keys)).toEqual(['a.pdf', 'docs/b.pdf']);
		expect(matching(' .csv , .txt ', undefined, keys)).toEqual(['docs/2024/d.csv', 'e.txt']);
	});

	it('matches a pattern without "/" against the file name, in any folder', () => {
		expect(matching(undefined, '*.pdf', keys)).toEqual(['a.pdf', 'docs/b.pdf']);
		expect(matching(undefined, '?.{csv,txt}', keys)).toEqual(['docs/2024/d.csv', 'e.txt']);
	});

	it('matches a pattern with "/" against the whole key: "*" stays in one folder, "**" crosses folders', () => {
		expect(matching(undefined, 'docs/*', keys)).toEqual(['docs/b.pdf']);
		expect(matching(undefined, 'docs/**', keys)).toEqual(['docs/b.pdf', 'docs/2024/c.PDF', 'docs/2024/d.csv']);
		expect(matching(undefined, '**/*.pdf', keys)).toEqual(['a.pdf', 'docs/b.pdf']);
	});

	it('needs both the suffix and the pattern to match when both are given', () => {
		expect(matching('.csv', 'docs/**', keys)).toEqual(['docs/2024/d.csv']);
	});

	it('treats regular-expression characters in a pattern literally', () => {
		expect(matching(undefined, 'a+b(1).txt', ['a+b(1).txt', 'aab1.txt', 'dir/a+b(1).txt'])).toEqual(['a+b(1).txt', 'dir/a+b(1).txt']);
	});

	it('tests a regular expression against the whole key, unanchored unless "^" and "$" say so', () => {
		expect(matching(undefined, undefined, keys, 'pdf')).toEqual(['a.pdf', 'docs/b.pdf']);
		expect(matching(undefined, undefined, keys, '^docs/\\d{4}/')).toEqual(['docs/2024/c.PDF', 'docs/2024/d.csv']);
		expect(matching(undefined, undefined, keys, '^[^/]+$')).toEqual(['a.pdf', 'e.txt']);
	});

	it('ignores case in a regular expression written /.../i, and needs every filter given to match', () => {
		expect(matching(undefined, undefined, keys, '/\\.pdf$/i')).toEqual(['a.pdf', 'docs/b.pdf', 'docs/2024/c.PDF']);
		expect(matching(undefined, 'docs/**', keys, '/\\.pdf$/i')).toEqual(['docs/b.pdf', 'docs/2024/c.PDF']);
		expect(matching('.PDF', 'docs/**', keys, '/\\.pdf$/i')).toEqual(['docs/2024/c.PDF']);
	});

	it('says why a regular expression cannot be used', () => {
		expect(keyRegexProblem('^docs/(\\d+')).toMatch(/Unterminated group/);
		expect(keyRegexProblem('/x/g')).toBe('only the flags i, s and u can be used, not "g"');
		expect(keyRegexProblem('/^a.+/iu')).toBeUndefined();
		expect(keyRegexProblem('a/b')).toBeUndefined();
	});
});
