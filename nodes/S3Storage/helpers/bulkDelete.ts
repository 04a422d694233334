import type { ObjectIdentifier, S3Connection } from '../transport';

/** DeleteObjects requests of one item in flight at once (emptying a prefix, Delete Many). */
export const DELETE_BATCHES_IN_FLIGHT = 4;

export interface EmptyPrefixResult {
	deleted: number;
	errors: Array<ObjectIdentifier & { code: string; message: string }>;
}

/**
 * Deletes everything under a prefix page by page: each listing page (at most 1,000 keys) becomes
 * one DeleteObjects request, with a few in flight, so nothing is listed into memory first.
 */
export async function emptyPrefix(
	connection: S3Connection,
	bucket: string,
	prefix: string,
	itemIndex: number,
	options: { allVersions?: boolean } = {},
): Promise<EmptyPrefixResult> {
	const result: EmptyPrefixResult = { deleted: 0, errors: [] };
	const inFlight = new Set<Promise<void>>();
	const context = { action: 'delete objects in', bucket, itemIndex };

	const submit = async (objects: ObjectIdentifier[]) => {
		const task = connection.deleteBatch(bucket, objects, context).then((batch) => {
			result.deleted += batch.deleted.length;
			result.errors.push(...batch.errors);
		});
		const tracked = task.finally(() => inFlight.delete(tracked));
		inFlight.add(tracked);
		if (inFlight.size >= DELETE_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
	};

	try {
		for await (const page of connection.listObjectPages({ Bucket: bucket, Prefix: prefix || undefined }, context)) {
			await submit((page.Contents ?? []).map((object) => ({ key: object.Key ?? '' })));
		}
		await Promise.all(inFlight);
		if (options.allVersions) {
			// A versioned bucket still holds old versions and delete markers after the pass above.
			for await (const page of connection.listVersionPages({ Bucket: bucket, Prefix: prefix || undefined }, context, {
				unsupportedMeansNone: true,
			})) {
				const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
					// "null" is a real version ID: objects written before versioning was enabled, or while it was suspended.
					.filter((version) => version.VersionId)
					.map((version) => ({ key: version.Key ?? '', versionId: version.VersionId }));
				await submit(objects);
			}
		}
	} finally {
		await Promise.allSettled(inFlight);
	}
	return result;
}
