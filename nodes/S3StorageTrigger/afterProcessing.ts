/**
 * What the trigger does with an object once it has handed it on: move it, delete it or tag it.
 *
 * A poll trigger gets no word back from n8n after `poll()` returns, so the action waits for the
 * next poll: the objects a poll emitted are saved with its static data, which n8n stores only
 * when it takes the items; finding them there at the next poll proves they were handed on. Each
 * object is checked first (HeadObject): one that is gone is taken as done, one written again since
 * (another ETag) is left alone, so an unprocessed version is never moved or deleted. A move is the
 * node's server-side copy, and the source is deleted only after the copy succeeded.
 */
import {
	DeleteObjectCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	PutObjectTaggingCommand,
	type Tag,
} from '@aws-sdk/client-s3';
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPool, type S3Connection } from '../S3Storage/transport';

export type AfterProcessingAction = 'keep' | 'delete' | 'move' | 'tag';

export interface AfterProcessing {
	action: AfterProcessingAction;
	/** The watched bucket and prefix. */
	bucket: string;
	prefix: string;
	/** Move: where to; the watched prefix of each key is replaced by `moveToPrefix`. */
	moveToBucket: string;
	moveToPrefix: string;
	/** Tag: the tag set on the object (its other tags are kept). */
	tagKey: string;
	tagValue: string;
}

/** An emitted object waiting for its action: key and the ETag it was emitted with. */
export type EmittedObject = [key: string, etag: string];

export interface PendingActions {
	/** Fingerprint of bucket, prefix and filters (the tracker's): a change drops the list. */
	config: string;
	objects: EmittedObject[];
}

/** Most objects a poll may emit while an action is set: their keys wait in the static data. */
export const MAX_PENDING_ACTIONS = 10_000;
const ACTION_CONCURRENCY = 8;
/** S3 allows 10 tags per object. */
const MAX_TAGS = 10;

export function isPendingActions(value: unknown): value is PendingActions {
	const pending = value as PendingActions | undefined;
	return (
		typeof pending === 'object' &&
		pending !== null &&
		typeof pending.config === 'string' &&
		Array.isArray(pending.objects) &&
		pending.objects.every((object) => Array.isArray(object) && typeof object[0] === 'string' && typeof object[1] === 'string')
	);
}

export function destinationOf(settings: AfterProcessing, key: string): { bucket: string; key: string } {
	const relative = settings.prefix && key.startsWith(settings.prefix) ? key.slice(settings.prefix.length) : key;
	return { bucket: settings.moveToBucket || settings.bucket, key: settings.moveToPrefix + relative };
}

/**
 * Refuses a move that would put the object back where the trigger watches (it would be emitted
 * again at the next poll, and moved again, forever), before anything is emitted.
 */
export function checkDestination(node: INode, settings: AfterProcessing, key: string, watched: (key: string) => boolean): void {
	if (settings.action !== 'move') return;
	const destination = destinationOf(settings, key);
	if (destination.bucket !== settings.bucket || !destination.key.startsWith(settings.prefix) || !watched(destination.key)) return;
	throw new NodeOperationError(node, `Moving "${key}" to "${destination.key}" would put it back where the trigger watches`, {
		description: 'Choose a "Move to Prefix" outside the watched prefix, or another bucket, so a moved object is not emitted again.',
	});
}

/**
 * Does the action for the objects emitted at the previous poll. Returns the keys it finished
 * (moved, deleted, tagged, or already gone), so this poll does not report them as deleted or updated.
 * The first failure is thrown after the running actions settle; the list is then kept as it was, and
 * the next poll tries again (done ones are found gone or tagged already).
 */
export async function finishEmitted(connection: S3Connection, settings: AfterProcessing, objects: EmittedObject[]): Promise<Set<string>> {
	const finished = new Set<string>();
	const { bucket } = settings;
	await runPool(objects.length, ACTION_CONCURRENCY, async (index) => {
		const [key, etag] = objects[index];
		try {
			const head = await connection.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { action: 'check the processed', bucket, key }, { tolerate: [404] });
			if (!head) {
				finished.add(key);
				return;
			}
			// Written again since it was emitted: this version has not been processed.
			if (etag && head.ETag && head.ETag !== etag) return;
			if (settings.action === 'delete') {
				await connection.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { action: 'delete the processed', bucket, key });
			} else if (settings.action === 'move') {
				const destination = destinationOf(settings, key);
				const versionId = head.VersionId && head.VersionId !== 'null' ? head.VersionId : undefined;
				// Metadata and tags come along with the copy; the storage class has to be asked for.
				await connection.copyObject(
					{
						sourceBucket: bucket,
						sourceKey: key,
						sourceVersionId: versionId,
						bucket: destination.bucket,
						key: destination.key,
						replaceMetadata: false,
						settings: { StorageClass: head.StorageClass },
					},
					{},
				);
				// Reached only after the copy succeeded: a failed copy leaves the object where it was.
				await connection.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { action: 'delete the moved', bucket, key });
			} else if (settings.action === 'tag') {
				await tag(connection, settings, key);
			}
			finished.add(key);
		} catch (error) {
			const failure = error as Error & { description?: string };
			failure.description = [
				`The trigger ${verbOf(settings.action)} the objects it emitted at the previous poll, here "${key}". It tries again at every poll and emits nothing new until this succeeds; the object stays where it is.`,
				failure.description,
			]
				.filter(Boolean)
				.join(' ');
			throw failure;
		}
	});
	return finished;
}

function verbOf(action: AfterProcessingAction): string {
	return action === 'move' ? 'moves' : action === 'delete' ? 'deletes' : 'tags';
}

async function tag(connection: S3Connection, settings: AfterProcessing, key: string): Promise<void> {
	const { bucket } = settings;
	const current = await connection.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }), { action: 'read the tags of the processed', bucket, key });
	const tags: Tag[] = (current.TagSet ?? []).filter((existing) => existing.Key !== settings.tagKey);
	if ((current.TagSet ?? []).some((existing) => existing.Key === settings.tagKey && existing.Value === settings.tagValue)) return;
	tags.push({ Key: settings.tagKey, Value: settings.tagValue });
	if (tags.length > MAX_TAGS) {
		throw new NodeOperationError(connection.node, `Cannot tag the processed object "${key}": it already has ${MAX_TAGS} tags`, {
			description: 'S3 allows 10 tags per object. Remove a tag from the object, or choose a tag key it already has.',
		});
	}
	await connection.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: tags } }), { action: 'tag the processed', bucket, key });
}
