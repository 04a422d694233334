import type { ObjectIdentifier, S3Connection } from '../transport';
import { listedEntryOf, type ListedEntry } from './listingFilter';

/** DeleteObjects requests of one item in flight at once (emptying a prefix, Delete Many). */
export const DELETE_BATCHES_IN_FLIGHT = 4;

/** How many deleted keys a filtered delete names in its output; the counts cover the rest. */
export const DELETED_KEYS_REPORTED = 1000;

export interface EmptyPrefixResult {
	/** Stored entries deleted: objects, or with `allVersions` each version and delete marker once. */
	deleted: number;
	errors: Array<ObjectIdentifier & { code: string; message: string }>;
	/** With `only`: entries listed but left in place because they did not match. */
	skipped: number;
	/** With `only`: the first DELETED_KEYS_REPORTED distinct keys deleted, so memory stays bounded. */
	deletedKeys: string[];
	/** With `only`: whether more keys were deleted than `deletedKeys` names. */
	deletedKeysTruncated: boolean;
}

export interface EmptyPrefixOptions {
	allVersions?: boolean;
	/** Delete only the listed entries (objects, or versions and delete markers) this accepts. */
	only?: (entry: ListedEntry) => boolean;
}

/**
 * Deletes everything under a prefix page by page: each listing page (at most 1,000 entries) becomes
 * one DeleteObjects request, with a few in flight, so nothing is listed into memory first.
 *
 * With `allVersions`, every version and delete marker is deleted by its version ID, in one pass over
 * ListObjectVersions. Current objects are never deleted by key first: on a versioned bucket that
 * would add a delete marker per object, only to delete it again (and count it twice).
 * A server without versioning (it answers ListObjectVersions with 405/501) is emptied by key.
 */
export async function emptyPrefix(
	connection: S3Connection,
	bucket: string,
	prefix: string,
	itemIndex: number,
	options: EmptyPrefixOptions = {},
): Promise<EmptyPrefixResult> {
	const result: EmptyPrefixResult = { deleted: 0, errors: [], skipped: 0, deletedKeys: [], deletedKeysTruncated: false };
	const reported = new Set<string>();
	const { only } = options;
	/** The entries of a page to delete; the others are counted and left alone. */
	const chosen = <T extends { Key?: string; Size?: number; LastModified?: Date; StorageClass?: string }>(entries: T[]): T[] => {
		if (!only) return entries;
		const kept = entries.filter((entry) => only(listedEntryOf(entry)));
		result.skipped += entries.length - kept.length;
		return kept;
	};
	const inFlight = new Set<Promise<void>>();
	const context = { action: 'delete objects in', bucket, itemIndex };

	const submit = async (objects: ObjectIdentifier[]) => {
		const task = connection.deleteBatch(bucket, objects, context).then((batch) => {
			result.deleted += batch.deleted.length;
			result.errors.push(...batch.errors);
			if (!only) return;
			for (const { key } of batch.deleted) {
				if (reported.has(key)) continue;
				if (reported.size >= DELETED_KEYS_REPORTED) {
					result.deletedKeysTruncated = true;
					break;
				}
				reported.add(key);
			}
		});
		const tracked = task.finally(() => inFlight.delete(tracked));
		inFlight.add(tracked);
		if (inFlight.size >= DELETE_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
	};

	try {
		// A server that lists versions yields at least one page, even for an empty prefix.
		let versionsListed = false;
		if (options.allVersions) {
			for await (const page of connection.listVersionPages({ Bucket: bucket, Prefix: prefix || undefined }, context, {
				unsupportedMeansNone: true,
			})) {
				versionsListed = true;
				const objects = [...chosen(page.Versions ?? []), ...chosen(page.DeleteMarkers ?? [])].map((version) => ({
					key: version.Key ?? '',
					// "null" is a real version ID: objects written before versioning was enabled, or while it was suspended.
					versionId: version.VersionId || undefined,
				}));
				await submit(objects);
			}
		}
		if (!versionsListed) {
			for await (const page of connection.listObjectPages({ Bucket: bucket, Prefix: prefix || undefined }, context)) {
				await submit(chosen(page.Contents ?? []).map((object) => ({ key: object.Key ?? '' })));
			}
		}
		await Promise.all(inFlight);
	} finally {
		await Promise.allSettled(inFlight);
	}
	result.deletedKeys = [...reported].sort();
	return result;
}
