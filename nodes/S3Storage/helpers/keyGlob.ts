/**
 * The one glob for S3 keys (listing filters, Folder > Sync, the trigger): `*` any characters but
 * "/", `**` across folders, `?`, `{a,b}`, `[abc]`, a leading `!`. A pattern without "/" names files
 * in any folder and is matched against the last part of the key; one with "/" against the whole
 * key. Case-sensitive as keys are; dot files are ordinary keys; "\" escapes, never separates.
 */
import picomatch from 'picomatch';

export type KeyMatcher = (key: string) => boolean;

export function keyGlob(pattern: string): KeyMatcher {
	const glob = picomatch(pattern, { dot: true, windows: false });
	if (pattern.includes('/')) return (key) => glob(key);
	return (key) => glob(key.slice(key.lastIndexOf('/') + 1));
}
