/**
 * Folder > Sync: makes a destination prefix match a source prefix, with memory bounded whatever the
 * number of keys. Both listings come back sorted (ListObjectsV2 returns keys in UTF-8 binary order),
 * so the two sides are merged page by page like two sorted files: at any moment one listing page
 * per side and one batch of planned actions are held, never a whole side. Copies are server-side
 * when both sides are the same account on the same endpoint, else streamed through the node
 * (transport/transfer.ts), so the destination may be another account, provider or server.
 *
 * Failures of single keys (a copy or delete refused) are counted and reported, not thrown; a
 * failing listing (no such bucket, no access) stops the sync, since then nothing can be compared.
 */
import type { _Object } from '@aws-sdk/client-s3';

import { keyGlob, type KeyMatcher } from './keyGlob';
import { canCopyServerSide, DELETE_BATCH_SIZE, runPool, transferObject, type CopyTuning, type S3Connection, type TransferTuning } from '../transport';
import { isKeyTooLong } from './utils';

/** One side of a sync. Each side has its own connection: the destination may be another credential's. */
export interface SyncSide {
	connection: S3Connection;
	bucket: string;
	/** A folder prefix ("reports/", or "" for the whole bucket). */
	prefix: string;
}

export type SyncCompare = 'sizeAndModified' | 'etag';

export interface SyncOptions {
	compare: SyncCompare;
	deleteExtraneous: boolean;
	dryRun: boolean;
	/** Glob on the key relative to the folder (trigger's syntax); keys it excludes are neither copied nor deleted. */
	keyPattern?: string;
	/** Source objects modified after this instant are left for a later run (still being written). */
	modifiedBefore?: Date;
	/** Only source objects modified after this instant are copied. */
	modifiedAfter?: Date;
	/** Copies running at once. */
	concurrency: number;
	/** Server-side copies (both sides the same account on the same endpoint). */
	tuning: CopyTuning;
	/** Copies streamed through the node (the destination is another account or server). */
	streamTuning: TransferTuning;
	/** Keep every action for the output (one item per action); otherwise only counts are kept. */
	keepActions: boolean;
	itemIndex: number;
}

export type SyncActionKind = 'copy' | 'delete' | 'skip';

export interface SyncAction {
	/** The key relative to both folders. */
	key: string;
	sourceKey?: string;
	destinationKey: string;
	action: SyncActionKind;
	reason: string;
	size?: number;
	error?: string;
}

export interface SyncResult {
	copied: number;
	deleted: number;
	skipped: number;
	/** Keys left alone because the filter excluded them (also counted in `skipped`). */
	filtered: number;
	failed: number;
	/** Bytes copied (or, in a dry run, that would be copied). */
	bytes: number;
	/** The first few failures. */
	errors: Array<{ key: string; action: SyncActionKind; message: string }>;
	/** The first failure as thrown, for when nothing at all succeeded. */
	firstError?: unknown;
	/** Every action in key order, when `keepActions` is set. */
	actions: SyncAction[];
}

/** How many failures the summary lists. */
const ERRORS_KEPT = 10;
/** Planned actions per batch: bounded memory, and at most one DeleteObjects request per batch. */
const BATCH_SIZE = DELETE_BATCH_SIZE;

/**
 * Compares keys in UTF-8 binary order (the listing order of S3), which is code point order. JS's `<`
 * compares UTF-16 units and disagrees for characters above U+FFFF versus U+E000-U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
	if (a === b) return 0;
	const length = Math.min(a.length, b.length);
	for (let index = 0; index < length; index++) {
		const x = a.charCodeAt(index);
		const y = b.charCodeAt(index);
		if (x !== y) return (a.codePointAt(index) ?? x) - (b.codePointAt(index) ?? y);
	}
	return a.length - b.length;
}

interface Listed {
	/** The key minus the side's prefix. */
	relative: string;
	object: _Object;
}

/**
 * A side's objects one at a time, one listing page held. The folder's own marker ("prefix/") is
 * left out: it is the folder itself, not content. Keys that arrive out of order stop the sync, since
 * a merge over them could mistake present keys for missing ones (and delete them).
 */
async function* objectsOf(side: SyncSide, what: 'source' | 'destination', itemIndex: number): AsyncGenerator<Listed> {
	const { connection, bucket, prefix } = side;
	let previous: string | undefined;
	for await (const page of connection.listObjectPages(
		{ Bucket: bucket, Prefix: prefix || undefined },
		{ action: `list the ${what} folder in`, bucket, itemIndex },
	)) {
		for (const object of page.Contents ?? []) {
			const key = object.Key ?? '';
			if (!key.startsWith(prefix) || key === prefix) continue;
			if (previous !== undefined && compareKeys(previous, key) >= 0) {
				throw new SyncOrderError(bucket, previous, key);
			}
			previous = key;
			yield { relative: key.slice(prefix.length), object };
		}
	}
}

/** The server listed keys out of UTF-8 binary order; merging would give wrong answers. */
export class SyncOrderError extends Error {
	constructor(
		readonly bucket: string,
		readonly previous: string,
		readonly next: string,
	) {
		super(`Bucket "${bucket}" listed "${next}" after "${previous}", out of order; the sync was stopped before changing anything more`);
		this.name = 'SyncOrderError';
	}
}

/** An ETag that is the MD5 of the content: 32 hex digits (a multipart ETag ends in "-N"; other stores use other forms). */
const PLAIN_MD5_ETAG = /^"?[0-9a-f]{32}"?$/i;

/** Why a source object needs copying over the destination's, or undefined when they match. */
export function changeOf(source: _Object, destination: _Object, compare: SyncCompare): string | undefined {
	// Only two plain MD5 ETags compare content (also across accounts and servers); multipart ETags
	// ("...-3") are not content hashes, so such keys are compared by size instead.
	const etags = compare === 'etag' && PLAIN_MD5_ETAG.test(source.ETag ?? '') && PLAIN_MD5_ETAG.test(destination.ETag ?? '');
	if (etags) return source.ETag?.toLowerCase() === destination.ETag?.toLowerCase() ? undefined : 'ETag differs';
	if ((source.Size ?? 0) !== (destination.Size ?? 0)) return 'size differs';
	if (compare === 'etag') return undefined;
	const sourceTime = source.LastModified?.getTime() ?? 0;
	const destinationTime = destination.LastModified?.getTime() ?? 0;
	return destinationTime < sourceTime ? 'source is newer' : undefined;
}

interface Planned extends SyncAction {
	/** Whether this action still has to be carried out (copies and deletes outside a dry run). */
	pending: boolean;
}

export async function syncFolders(source: SyncSide, destination: SyncSide, options: SyncOptions): Promise<SyncResult> {
	const result: SyncResult = { copied: 0, deleted: 0, skipped: 0, filtered: 0, failed: 0, bytes: 0, errors: [], actions: [] };
	const matchesPattern: KeyMatcher = options.keyPattern?.trim() ? keyGlob(options.keyPattern.trim()) : () => true;
	const inAgeRange = (object: _Object) => {
		const modified = object.LastModified?.getTime();
		if (modified === undefined) return true;
		if (options.modifiedBefore && modified > options.modifiedBefore.getTime()) return false;
		if (options.modifiedAfter && modified <= options.modifiedAfter.getTime()) return false;
		return true;
	};
	let batch: Planned[] = [];

	const plan = (relative: string, sourceObject: _Object | undefined, destinationObject: _Object | undefined) => {
		const base = {
			key: relative,
			sourceKey: sourceObject ? sourceObject.Key : undefined,
			destinationKey: destination.prefix + relative,
		};
		let action: Planned;
		if (!matchesPattern(relative) || (sourceObject && !inAgeRange(sourceObject))) {
			result.filtered += 1;
			action = { ...base, action: 'skip', reason: 'excluded by the filter', size: (sourceObject ?? destinationObject)?.Size, pending: false };
		} else if (sourceObject) {
			const reason = destinationObject ? changeOf(sourceObject, destinationObject, options.compare) : 'missing at the destination';
			action = reason
				? { ...base, action: 'copy', reason, size: sourceObject.Size ?? 0, pending: !options.dryRun }
				: { ...base, action: 'skip', reason: 'unchanged', size: sourceObject.Size, pending: false };
		} else if (options.deleteExtraneous) {
			action = { ...base, action: 'delete', reason: 'only at the destination', size: destinationObject?.Size, pending: !options.dryRun };
		} else {
			action = { ...base, action: 'skip', reason: 'only at the destination', size: destinationObject?.Size, pending: false };
		}
		batch.push(action);
	};

	const fail = (action: Planned, message: string, error?: unknown) => {
		action.error = message;
		result.firstError ??= error ?? new Error(message);
		result.failed += 1;
		if (result.errors.length < ERRORS_KEPT) result.errors.push({ key: action.key, action: action.action, message });
	};

	// The same account on the same endpoint: the server copies. Otherwise the bytes pass through the node.
	const serverSide = canCopyServerSide(source.connection, destination.connection);
	const copy = async (action: Planned) => {
		if (serverSide) {
			const params = { sourceBucket: source.bucket, sourceKey: action.sourceKey ?? '', bucket: destination.bucket, key: action.destinationKey, knownSize: action.size, replaceMetadata: false, settings: {} };
			return await source.connection.copyObject(params, options.tuning, options.itemIndex);
		}
		const params = { sourceBucket: source.bucket, sourceKey: action.sourceKey ?? '', bucket: destination.bucket, key: action.destinationKey, keepMetadata: true, placement: {}, doNotOverwrite: false, size: action.size };
		return await transferObject(source.connection, destination.connection, params, options.streamTuning, options.itemIndex);
	};

	const copyOne = async (action: Planned) => {
		if (isKeyTooLong(action.destinationKey)) return fail(action, 'The destination key would be longer than 1,024 bytes');
		const failure = await copy(action).then(
			() => undefined,
			(error: unknown) => ({ error }),
		);
		if (!failure) {
			action.pending = false;
			return;
		}
		// A cancelled execution stops the sync instead of counting every remaining key as failed.
		if (source.connection.cancelled) throw failure.error;
		fail(action, (failure.error as Error).message, failure.error);
	};

	const deleteAll = async (actions: Planned[]) => {
		if (actions.length === 0) return;
		const outcome = await destination.connection
			.deleteBatch(
				destination.bucket,
				actions.map((action) => ({ key: action.destinationKey })),
				{ action: 'delete objects only at the destination in', bucket: destination.bucket, itemIndex: options.itemIndex },
			)
			.catch((error: unknown) => ({ error }));
		if ('error' in outcome) {
			if (destination.connection.cancelled) throw outcome.error;
			for (const action of actions) fail(action, (outcome.error as Error).message, outcome.error);
			return;
		}
		const refused = new Map(outcome.errors.map((error) => [error.key, error.message]));
		for (const action of actions) {
			const message = refused.get(action.destinationKey);
			if (message === undefined) action.pending = false;
			else fail(action, message);
		}
	};

	const flush = async () => {
		const copies = batch.filter((action) => action.action === 'copy' && action.pending);
		const deletes = batch.filter((action) => action.action === 'delete' && action.pending);
		await Promise.all([runPool(copies.length, options.concurrency, async (index) => await copyOne(copies[index])), deleteAll(deletes)]);
		for (const action of batch) {
			if (action.error === undefined) {
				if (action.action === 'copy') {
					result.copied += 1;
					result.bytes += action.size ?? 0;
				} else if (action.action === 'delete') {
					result.deleted += 1;
				} else {
					result.skipped += 1;
				}
			}
			if (options.keepActions) {
				const { pending: _pending, ...kept } = action;
				result.actions.push(kept);
			}
		}
		batch = [];
	};

	const sources = objectsOf(source, 'source', options.itemIndex);
	const destinations = objectsOf(destination, 'destination', options.itemIndex);
	try {
		let left = await sources.next();
		let right = await destinations.next();
		while (!left.done || !right.done) {
			const order = left.done ? 1 : right.done ? -1 : compareKeys(left.value.relative, right.value.relative);
			if (order < 0 && !left.done) {
				plan(left.value.relative, left.value.object, undefined);
				left = await sources.next();
			} else if (order > 0 && !right.done) {
				plan(right.value.relative, undefined, right.value.object);
				right = await destinations.next();
			} else if (!left.done && !right.done) {
				plan(left.value.relative, left.value.object, right.value.object);
				[left, right] = await Promise.all([sources.next(), destinations.next()]);
			}
			if (batch.length >= BATCH_SIZE) await flush();
		}
		await flush();
	} finally {
		await Promise.allSettled([sources.return(undefined), destinations.return(undefined)]);
	}
	return result;
}
