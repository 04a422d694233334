/**
 * The trigger's key filter: suffixes, and globs matched against the file name (no "/") or the
 * whole key (with "/"); case-sensitive, as S3 keys are.
 */
import { compileKeyFilter } from '../../nodes/S3StorageTrigger/keyFilter';

const matching = (endsWith: string | undefined, pattern: string | undefined, keys: string[]) => keys.filter(compileKeyFilter(endsWith, pattern));

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
});
