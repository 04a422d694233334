/**
 * Which keys the trigger reports: ones ending with any of some suffixes, and/or matching a glob
 * (the package's one key glob, helpers/keyGlob.ts).
 */
import { keyGlob } from '../S3Storage/helpers/keyGlob';

export type KeyFilter = (key: string) => boolean;

export function compileKeyFilter(endsWith: string | undefined, pattern: string | undefined): KeyFilter {
	const suffixes = (endsWith ?? '')
		.split(',')
		.map((suffix) => suffix.trim())
		.filter(Boolean);
	const glob = pattern?.trim() ? keyGlob(pattern.trim()) : undefined;
	return (key) => {
		if (suffixes.length > 0 && !suffixes.some((suffix) => key.endsWith(suffix))) return false;
		return !glob || glob(key);
	};
}
