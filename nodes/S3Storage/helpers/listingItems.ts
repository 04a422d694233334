import type { IDataObject } from 'n8n-workflow';

import { compact } from './utils';

/*
 * Output items of the listing operations, which may return 100,000 items at once (n8n's execute
 * hands back every item together, so they are all held until the node returns). Each item costs
 * what its objects and strings cost: these helpers keep that to the fields shown.
 */

/**
 * `json` without its undefined fields, as `compact` gives, but the same object when nothing is
 * undefined (the usual case): an object literal keeps its fields inside the object, where a copy
 * built field by field needs a second allocation for the fields past the fourth.
 */
export function definedOnly(json: IDataObject): IDataObject {
	for (const key in json) {
		if (json[key] === undefined) return compact(json);
	}
	return json;
}

const shared = new Map<string, string>();
/** Enough for every storage class S3 and the compatible servers name; past that, values are kept as they come. */
const MAX_SHARED = 64;

/**
 * One string for a short value that repeats across a listing (the storage class): every parsed
 * response has its own copy of "STANDARD", and equal strings are not merged by the engine.
 */
export function sharedText(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	const known = shared.get(value);
	if (known !== undefined) return known;
	if (shared.size < MAX_SHARED) shared.set(value, value);
	return value;
}
