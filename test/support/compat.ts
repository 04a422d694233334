/**
 * Records what the suite has seen work, per server, for the README's compatibility matrix:
 * `tools/compat-matrix.js` builds the table from these records, so it is never typed by hand.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const COMPAT_DIR = join(__dirname, '..', '..', 'test-results', 'compat');

/** `source` is a server name (s3rver, rgw, ...) or "presets" for URL-shape checks. */
export function recordCompat(source: string, feature: string): void {
	mkdirSync(COMPAT_DIR, { recursive: true });
	appendFileSync(join(COMPAT_DIR, `${source}.txt`), `${feature}\n`);
}
