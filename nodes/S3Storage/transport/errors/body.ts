/**
 * Failures of a download's body after its answer started (download.ts): a body that could not be
 * completed, or whose bytes are not what the server stored. Worded by ./s3 like every other failure.
 */

/** A body that stopped before its end and could not be resumed (or the object changed meanwhile). */
export class IncompleteBodyError extends Error {
	override readonly name = 'IncompleteBodyError';
	constructor(
		readonly received: number,
		readonly expected: number | undefined,
		readonly attempts: number,
		override readonly cause: unknown,
		/** The object was replaced between the cut and the resume (the If-Match failed). */
		readonly changed = false,
	) {
		super(`the body stopped after ${received} of ${expected ?? 'unknown'} bytes`);
	}
}

/** A body whose bytes do not match the MD5 its ETag stands for. */
export class DamagedBodyError extends Error {
	override readonly name = 'DamagedBodyError';
	constructor(
		readonly expectedMd5: string,
		readonly actualMd5: string,
	) {
		super(`the content arrived damaged: its MD5 is ${actualMd5}, the object's ETag says ${expectedMd5}`);
	}
}
