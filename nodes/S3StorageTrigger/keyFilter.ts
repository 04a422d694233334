/**
 * Which keys the trigger reports: ones ending with any of some suffixes, and/or matching a glob.
 * Glob: `*` any characters except "/", `**` any characters including "/", `?` one character
 * except "/", `{a,b}` either. A pattern without "/" is matched against the file name (the last
 * part of the key), one with "/" against the whole key. Matching is case-sensitive, as S3 keys are.
 */
export type KeyFilter = (key: string) => boolean;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function globToRegExp(pattern: string): RegExp {
	let source = '';
	let braceDepth = 0;
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index];
		if (char === '*') {
			if (pattern[index + 1] === '*') {
				index += 1;
				// "**/" also matches no folder at all
				if (pattern[index + 1] === '/') {
					index += 1;
					source += '(?:.*/)?';
				} else {
					source += '.*';
				}
			} else {
				source += '[^/]*';
			}
		} else if (char === '?') {
			source += '[^/]';
		} else if (char === '{') {
			braceDepth += 1;
			source += '(?:';
		} else if (char === '}' && braceDepth > 0) {
			braceDepth -= 1;
			source += ')';
		} else if (char === ',' && braceDepth > 0) {
			source += '|';
		} else {
			source += escapeRegExp(char);
		}
	}
	source += ')'.repeat(braceDepth);
	return new RegExp(`^${source}$`, 's');
}

export function compileKeyFilter(endsWith: string | undefined, pattern: string | undefined): KeyFilter {
	const suffixes = (endsWith ?? '')
		.split(',')
		.map((suffix) => suffix.trim())
		.filter(Boolean);
	const glob = pattern?.trim() ? globToRegExp(pattern.trim()) : undefined;
	const matchWholeKey = pattern?.includes('/') ?? false;
	return (key) => {
		if (suffixes.length > 0 && !suffixes.some((suffix) => key.endsWith(suffix))) return false;
		if (glob) {
			const subject = matchWholeKey ? key : key.slice(key.lastIndexOf('/') + 1);
			if (!glob.test(subject)) return false;
		}
		return true;
	};
}
