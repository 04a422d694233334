/**
 * Which keys the trigger reports: ones ending with any of some suffixes, and/or matching a glob
 * (the package's one key glob, helpers/keyGlob.ts), and/or a regular expression (helpers/keyPattern.ts).
 */
import { keyGlob } from '../S3Storage/helpers/keyGlob';
import { keyRegex } from '../S3Storage/helpers/keyPattern';

export type KeyFilter = (key: string) => boolean;

/** Every filter given must match. Check a regular expression with keyRegexProblem() first. */
export function compileKeyFilter(endsWith: string | undefined, pattern: string | undefined, regex?: string): KeyFilter {
	const suffixes = (endsWith ?? '')
		.split(',')
		.map((suffix) => suffix.trim())
		.filter(Boolean);
	const glob = pattern?.trim() ? keyGlob(pattern.trim()) : undefined;
	const expression = regex?.trim() ? keyRegex(regex.trim()) : undefined;
	return (key) => {
		if (suffixes.length > 0 && !suffixes.some((suffix) => key.endsWith(suffix))) return false;
		if (glob && !glob(key)) return false;
		return !expression || expression(key);
	};
}
