/**
 * The event kinds the trigger offers, the S3 event names each one registers, and the records a
 * server pushes turned into items. The record format is S3's (AWS, Ceph RGW and MinIO all send
 * `{ "Records": [...] }`); only the key's encoding differs, see `keyOf`.
 */
import type { IDataObject } from 'n8n-workflow';

export type EventKind = 'created' | 'removed' | 'restored' | 'tagged';

/** S3 event names registered for each kind. */
export const S3_EVENTS: Record<EventKind, string[]> = {
	created: ['s3:ObjectCreated:*'],
	removed: ['s3:ObjectRemoved:*'],
	restored: ['s3:ObjectRestore:Completed'],
	tagged: ['s3:ObjectTagging:*'],
};

/** The kind of a record's event name ("ObjectCreated:Put", or "s3:ObjectCreated:Put" as MinIO writes it). */
export function kindOf(eventName: string): EventKind | undefined {
	const name = eventName.replace(/^s3:/, '');
	if (name.startsWith('ObjectCreated:')) return 'created';
	if (name.startsWith('ObjectRemoved:')) return 'removed';
	if (name === 'ObjectRestore:Completed') return 'restored';
	if (name.startsWith('ObjectTagging:')) return 'tagged';
	return undefined;
}

export interface S3EventRecord {
	eventName?: string;
	eventTime?: string;
	eventSource?: string;
	opaqueData?: string;
	s3?: {
		configurationId?: string;
		bucket?: { name?: string };
		object?: { key?: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
	};
}

/** The records of a pushed body, or undefined when it is not an S3 event (a test event, anything else). */
export function recordsOf(body: unknown): S3EventRecord[] | undefined {
	const records = (body as { Records?: unknown } | undefined)?.Records;
	if (!Array.isArray(records)) return undefined;
	return records.filter((record): record is S3EventRecord => typeof record === 'object' && record !== null);
}

/**
 * The object key. AWS and MinIO URL-encode it as a form value ("a+b%2Bc.txt" for "a b+c.txt");
 * Ceph RGW 16 sends it as it is (checked against RGW 16.2: a space arrives as a space).
 */
export function keyOf(record: S3EventRecord): string {
	const key = record.s3?.object?.key ?? '';
	if (record.eventSource === 'ceph:s3') return key;
	try {
		return decodeURIComponent(key.replace(/\+/g, ' '));
	} catch {
		return key;
	}
}

export interface EventFilter {
	kinds: readonly EventKind[];
	prefix: string;
	suffix: string;
}

/** One item's JSON for a record, or undefined when the record is outside what the trigger listens to. */
export function itemOf(record: S3EventRecord, filter: EventFilter): IDataObject | undefined {
	const kind = kindOf(record.eventName ?? '');
	if (!kind || !filter.kinds.includes(kind)) return undefined;
	const key = keyOf(record);
	if (!key || !key.startsWith(filter.prefix) || !key.endsWith(filter.suffix)) return undefined;
	const object = record.s3?.object ?? {};
	const json: IDataObject = {
		event: kind,
		eventName: (record.eventName ?? '').replace(/^s3:/, ''),
		bucket: record.s3?.bucket?.name ?? '',
		key,
		size: typeof object.size === 'number' ? object.size : undefined,
		etag: object.eTag || undefined,
		versionId: object.versionId || undefined,
		sequencer: object.sequencer || undefined,
		eventTime: record.eventTime,
		// The secret token is ours, not the workflow's.
		record: { ...record, opaqueData: undefined } as unknown as IDataObject,
	};
	for (const field of Object.keys(json)) if (json[field] === undefined) delete json[field];
	delete (json.record as IDataObject).opaqueData;
	return json;
}
