import type { Readable } from 'node:stream';

import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { binaryOutputField, bucketLocator } from '../S3Storage/actions/common.descriptions';
import { saveToBinaryStore } from '../S3Storage/helpers/binaryStoreError';
import { runPool } from '../S3Storage/transport';
import { compact, fileNameOfKey, resolveBucket } from '../S3Storage/helpers/utils';
import { s3StorageApiTest } from '../S3Storage/methods/credentialTest';
import { searchBuckets } from '../S3Storage/methods/listSearch';
import { getConnection, type S3Connection } from '../S3Storage/transport';
import { compileKeyFilter } from './keyFilter';
import {
	type Change,
	configFingerprint,
	isTrackerState,
	type ListedObject,
	PollScan,
	sameState,
} from './tracker';

type TriggerEvent = 'objectCreated' | 'objectCreatedOrUpdated';

interface TriggerOptions {
	keyEndsWith?: string;
	keyPattern?: string;
	lateArrivalMinutes?: number;
}

/** Downloads run this many at a time. */
const DOWNLOAD_CONCURRENCY = 8;
const DEFAULT_LATE_ARRIVAL_MINUTES = 60;

export class S3StorageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'S3 Storage Trigger',
		name: 's3StorageTrigger',
		icon: { light: 'file:s3storage.svg', dark: 'file:s3storage.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "objectCreated" ? "Object created" : "Object created or updated"}}',
		description: 'Starts the workflow when objects are created or updated in an S3 or S3-compatible bucket',
		defaults: { name: 'S3 Storage Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 's3StorageApi', required: true, testedBy: 's3StorageApiTest' }],
		properties: [
			{
				displayName: 'Trigger On',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				required: true,
				options: [
					{
						name: 'Object Created',
						value: 'objectCreated',
						description: 'A key that was not there at the previous poll',
					},
					{
						name: 'Object Created or Updated',
						value: 'objectCreatedOrUpdated',
						description: 'A new key, or an existing key written again (new ETag or Last Modified time)',
					},
				],
				default: 'objectCreated',
			},
			bucketLocator,
			{
				displayName: 'Prefix',
				name: 'prefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. incoming/',
				description:
					'Only watch keys that start with this. Every poll lists all keys under it, so a narrower prefix makes polls cheaper.',
			},
			{
				displayName: 'Download Objects',
				name: 'download',
				type: 'boolean',
				default: false,
				description: 'Whether to download each object into a binary field',
			},
			{ ...binaryOutputField, displayOptions: { show: { download: [true] } } },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Key Ends With',
						name: 'keyEndsWith',
						type: 'string',
						default: '',
						placeholder: 'e.g. .csv, .tsv',
						description: 'Only keys ending with one of these (comma-separated, case-sensitive)',
					},
					{
						displayName: 'Key Pattern',
						name: 'keyPattern',
						type: 'string',
						default: '',
						placeholder: 'e.g. *.{jpg,png} or invoices/**/2024-*.pdf',
						description:
							'Only keys matching this glob: * within one folder, ** across folders, ? one character, {a,b} either. Without a "/" it is matched against the file name, with one against the whole key.',
					},
					{
						displayName: 'Late Arrival Window (Minutes)',
						name: 'lateArrivalMinutes',
						type: 'number',
						default: DEFAULT_LATE_ARRIVAL_MINUTES,
						typeOptions: { minValue: 1 },
						description:
							'How far an object\'s Last Modified time may lag behind the newest one seen and still be noticed. Multipart uploads carry the time they started: raise this if uploads take longer.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchBuckets },
		credentialTest: { s3StorageApiTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'objectCreated') as TriggerEvent;
		const prefix = this.getNodeParameter('prefix', '') as string;
		const download = this.getNodeParameter('download', false) as boolean;
		const binaryPropertyName = download ? (this.getNodeParameter('binaryPropertyName', 'data') as string) : '';
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const keyMatches = compileKeyFilter(options.keyEndsWith, options.keyPattern);
		const windowMs = Math.max(1, options.lateArrivalMinutes ?? DEFAULT_LATE_ARRIVAL_MINUTES) * 60_000;

		const connection = await getConnection.call(this);
		const bucket = resolveBucket(this.getNode(), this.getNodeParameter('bucket', '', { extractValue: true }), connection.defaultBucket, 'trigger');
		const listing = connection.listObjectPages(
			{ Bucket: bucket, Prefix: prefix || undefined },
			{ action: 'list objects in', bucket },
		);

		if (this.getMode() === 'manual') {
			// A test run shows the newest matching object; the saved state is left alone.
			let newest: ListedObject | undefined;
			for await (const page of listing) {
				for (const object of page.Contents ?? []) {
					const listed = toListed(object);
					if (!listed || !keyMatches(listed.key)) continue;
					if (!newest || listed.lastModified > newest.lastModified || (listed.lastModified === newest.lastModified && listed.key > newest.key)) {
						newest = listed;
					}
				}
			}
			if (!newest) {
				throw new NodeOperationError(this.getNode(), `No object in bucket "${bucket}"${prefix ? ` under "${prefix}"` : ''} matches the trigger's filters`, {
					description: 'Upload an object that matches, or widen the prefix and key filters, then fetch a test event again.',
				});
			}
			const items = await toItems.call(this, connection, bucket, [{ object: newest, change: 'created' }], binaryPropertyName);
			return items.length ? [items] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		const config = configFingerprint([bucket, prefix, options.keyEndsWith ?? '', options.keyPattern ?? '']);
		const previous = isTrackerState(staticData.state) && staticData.state.config === config ? staticData.state : undefined;
		const scan = new PollScan(previous, windowMs);
		const changes: Array<{ object: ListedObject; change: Change }> = [];
		const startedAt = Date.now();
		for await (const page of listing) {
			for (const object of page.Contents ?? []) {
				const listed = toListed(object);
				if (!listed || !keyMatches(listed.key)) continue;
				const change = scan.consider(listed);
				if (change === 'created' || (change === 'updated' && event === 'objectCreatedOrUpdated')) {
					changes.push({ object: listed, change });
				}
			}
		}
		const next = scan.finish(config, Date.now() - startedAt);

		// Oldest first, as they happened; the state is saved only once every item is ready,
		// so a failed download makes the next poll try the same objects again.
		changes.sort((a, b) => a.object.lastModified - b.object.lastModified || (a.object.key < b.object.key ? -1 : 1));
		const items = await toItems.call(this, connection, bucket, changes, binaryPropertyName);
		if (!sameState(staticData.state, next)) staticData.state = next as unknown as IDataObject;
		// The first activation records what is there and reports nothing.
		if (!previous || items.length === 0) return null;
		return [items];
	}
}

/** A listed object the trigger can report; folder markers ("photos/") are not objects to report. */
function toListed(object: { Key?: string; ETag?: string; LastModified?: Date; Size?: number; StorageClass?: string }): ListedObject | undefined {
	if (!object.Key || object.Key.endsWith('/') || !object.LastModified) return undefined;
	return {
		key: object.Key,
		etag: object.ETag ?? '',
		lastModified: object.LastModified.getTime(),
		size: object.Size,
		storageClass: object.StorageClass,
	};
}

async function toItems(
	this: IPollFunctions,
	connection: S3Connection,
	bucket: string,
	changes: Array<{ object: ListedObject; change: Change }>,
	binaryPropertyName: string,
): Promise<INodeExecutionData[]> {
	const items = await runPool(changes.length, DOWNLOAD_CONCURRENCY, async (index): Promise<INodeExecutionData | undefined> => {
		const { object, change } = changes[index];
		const json = compact({
			event: change,
			bucket,
			key: object.key,
			size: object.size,
			lastModified: new Date(object.lastModified).toISOString(),
			etag: object.etag || undefined,
			storageClass: object.storageClass,
		});
		if (!binaryPropertyName) return { json };
		const response = await connection.getObject({ Bucket: bucket, Key: object.key },
			{ action: 'download', bucket, key: object.key }, { tolerateNotFound: true },);
		// Deleted between the listing and the download: nothing left to report.
		if (!response) return undefined;
		const binary = await saveToBinaryStore.call(
			this,
			response.Body as Readable,
			fileNameOfKey(object.key),
			response.ContentType || undefined,
		);
		return {
			json: { ...json, ...compact({ etag: response.ETag, size: response.ContentLength, contentType: response.ContentType }) },
			binary: { [binaryPropertyName]: binary },
		};
	});
	return items.filter((item): item is INodeExecutionData => item !== undefined);
}
