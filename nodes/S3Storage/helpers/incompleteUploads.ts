/**
 * Incomplete multipart uploads: uploads that were started and never completed or aborted. Their
 * parts are stored (and billed) but belong to no object and show in no object listing.
 */
import {
	AbortMultipartUploadCommand,
	ListMultipartUploadsCommand,
} from '@aws-sdk/client-s3';
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { S3Connection } from '../transport';
import { describeType } from './utils';

export interface IncompleteUpload {
	key: string;
	uploadId: string;
	/** When the upload was started; undefined if the server did not say. */
	initiated?: Date;
	/** Hours since it was started, four decimals (about a second). */
	ageHours?: number;
	storageClass?: string;
}

export interface UploadSelection {
	/** Only uploads of keys starting with this ('' for the whole bucket). */
	prefix: string;
	/** Only uploads started at least this many hours ago (0: any age). */
	olderThanHours: number;
}

const HOUR_MS = 3_600_000;

/** "Older Than (Hours)" as a number of hours, 0 or more; anything else is refused naming the item. */
export function olderThanHoursOf(node: INode, value: unknown, itemIndex: number): number {
	const hours = typeof value === 'string' && value.trim() !== '' ? Number(value) : value === undefined || value === '' ? 0 : value;
	if (typeof hours === 'number' && Number.isFinite(hours) && hours >= 0) return hours;
	const shown = typeof value === 'string' ? `"${value}"` : typeof value === 'number' ? String(value) : describeType(value);
	throw new NodeOperationError(node, `The "Older Than (Hours)" of item ${itemIndex} is ${shown}; it must be a number of hours, 0 or more`, {
		itemIndex,
		description: 'Set "Older Than (Hours)" to how old an upload must be, e.g. 24 for a day, or 0 for any age.',
	});
}

/**
 * Pages through ListMultipartUploads (KeyMarker / UploadIdMarker) and yields, page by page, the
 * uploads the selection takes. An upload without a start time is taken only when any age is.
 */
export async function* incompleteUploadPages(
	connection: S3Connection,
	bucket: string,
	selection: UploadSelection,
	itemIndex: number,
): AsyncGenerator<IncompleteUpload[]> {
	const context = { action: 'list the incomplete uploads of', bucket, itemIndex };
	let keyMarker: string | undefined;
	let uploadIdMarker: string | undefined;
	for (;;) {
		const page = await connection.send(
			new ListMultipartUploadsCommand({
				Bucket: bucket,
				Prefix: selection.prefix || undefined,
				KeyMarker: keyMarker,
				UploadIdMarker: uploadIdMarker,
			}),
			context, { tolerate: [501] },);
		if (!page) {
			throw new NodeOperationError(connection.node, `This server cannot list incomplete multipart uploads (bucket "${bucket}")`, {
				itemIndex,
				description:
					'It answered ListMultipartUploads with "not implemented". Clean up incomplete uploads with the server\'s own tools, or with a bucket lifecycle rule (AbortIncompleteMultipartUpload) where the server supports one.',
			});
		}
		const now = Date.now();
		const uploads: IncompleteUpload[] = [];
		for (const upload of page.Uploads ?? []) {
			const initiated = upload.Initiated;
			const ageMs = initiated ? now - initiated.getTime() : undefined;
			const taken = selection.olderThanHours === 0 || (ageMs !== undefined && ageMs >= selection.olderThanHours * HOUR_MS);
			if (!taken || !upload.Key || !upload.UploadId) continue;
			uploads.push({
				key: upload.Key,
				uploadId: upload.UploadId,
				initiated,
				ageHours: ageMs === undefined ? undefined : Math.round((ageMs / HOUR_MS) * 10_000) / 10_000,
				storageClass: upload.StorageClass,
			});
		}
		yield uploads;
		if (!page.IsTruncated) return;
		// Some servers leave out the next markers; the last upload listed is where the next page starts.
		const last = page.Uploads?.[page.Uploads.length - 1];
		const nextKey = page.NextKeyMarker || last?.Key;
		const nextUploadId = page.NextUploadIdMarker || last?.UploadId;
		if (!nextKey || (nextKey === keyMarker && nextUploadId === uploadIdMarker)) {
			throw new NodeOperationError(connection.node, `The server's listing of incomplete uploads in bucket "${bucket}" does not move on`, {
				itemIndex,
				description: 'It said more uploads follow but gave no new place to continue from. Try again, or narrow the prefix.',
			});
		}
		keyMarker = nextKey;
		uploadIdMarker = nextUploadId;
	}
}

/** Aborts one upload, deleting its stored parts. One already gone (completed or aborted meanwhile) counts as done. */
export async function abortIncompleteUpload(
	connection: S3Connection,
	bucket: string,
	upload: IncompleteUpload,
	itemIndex: number,
): Promise<void> {
	await connection.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }), {
		action: `abort upload ID "${upload.uploadId}" of`,
		bucket,
		key: upload.key,
		itemIndex,
	}, { tolerate: [404] });
}
