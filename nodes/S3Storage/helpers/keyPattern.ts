/**
 * Key patterns beyond the glob (helpers/keyGlob.ts, the package's one glob): a regular expression
 * tested against the whole key. Unanchored, as JavaScript's `test` is: "^" and "$" pin it to the
 * start and end of the key. Case-sensitive unless the pattern is written as /.../i.
 */
import type { KeyMatcher } from './keyGlob';

/** Only the flags that make sense for matching one key. */
const ALLOWED_FLAGS = /^[isu]*$/;

/** `pattern`, or `/pattern/flags`, as source and flags. */
function parts(pattern: string): { source: string; flags: string } {
	const literal = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
	return literal ? { source: literal[1], flags: literal[2] } : { source: pattern, flags: '' };
}

/** Why `pattern` is not a usable key regular expression, or undefined when it is. */
export function keyRegexProblem(pattern: string): string | undefined {
	const { source, flags } = parts(pattern);
	if (!ALLOWED_FLAGS.test(flags)) return `only the flags i, s and u can be used, not "${flags}"`;
	try {
		new RegExp(source, flags);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/** A matcher for a pattern keyRegexProblem() accepts. */
export function keyRegex(pattern: string): KeyMatcher {
	const { source, flags } = parts(pattern);
	const regex = new RegExp(source, flags);
	return (key) => regex.test(key);
}
