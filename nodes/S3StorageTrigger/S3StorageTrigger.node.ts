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
import { assertBucketName, bucketFieldValue, compact, fileNameOfKey, resolveBucket } from '../S3Storage/helpers/utils';
import { s3StorageApiTest } from '../S3Storage/methods/credentialTest';
import { searchBuckets } from '../S3Storage/methods/listSearch';
import { getConnection, type S3Connection } from '../S3Storage/transport';
import { keyRegexProblem } from '../S3Storage/helpers/keyPattern';
import {
	type AfterProcessing,
	type AfterProcessingAction,
	checkDestination,
	finishEmitted,
	isPendingActions,
	MAX_PENDING_ACTIONS,
	type PendingActions,
} from './afterProcessing';
import { compileKeyFilter, type KeyFilter } from './keyFilter';
import {
	configFingerprint,
	isTrackerState,
	type ListedObject,
	MAX_NAMES,
	PollScan,
	type Report,
	sameState,
} from './tracker';

type TriggerEvent = 'objectCreated' | 'objectCreatedOrUpdated' | 'objectDeleted';

interface TriggerOptions {
	keyEndsWith?: string;
	keyPattern?: string;
	keyRegex?: string;
	lateArrivalMinutes?: number;
	maxObjectsPerPoll?: number;
	minAgeSeconds?: number;
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
		subtitle:
			'={{$parameter["event"] === "objectCreated" ? "Object created" : $parameter["event"] === "objectDeleted" ? "Object deleted" : "Object created or updated"}}',
		description: 'Starts the workflow when objects are created, updated or deleted in an S3 or S3-compatible bucket',
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
					{
						name: 'Object Deleted',
						value: 'objectDeleted',
						description: `A key that was there at the previous poll and is gone. The trigger remembers the newest ${MAX_NAMES.toLocaleString('en-US')} keys for this; a deleted older one goes unnoticed.`,
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
				displayName: 'After Processing',
				name: 'afterProcessing',
				type: 'options',
				noDataExpression: true,
				default: 'keep',
				displayOptions: { hide: { event: ['objectDeleted'] } },
				description:
					'What happens to each emitted object. It is done at the next poll, once n8n has taken the items (a poll trigger hears nothing back sooner), whether the workflow succeeded or not: turn on Download Objects if the workflow needs the content, since a workflow still running at the next poll would find it gone. An object written again since it was emitted is left alone. If the action fails, the poll fails with the reason and tries again at every poll, emitting nothing new until it succeeds. A manual test run never moves, deletes or tags.',
				options: [
					{ name: 'Keep', value: 'keep', description: 'Leave the object where it is' },
					{ name: 'Delete', value: 'delete', description: 'Delete the object' },
					{
						name: 'Move',
						value: 'move',
						description: 'Copy the object, with its content type, metadata and tags, to another prefix or bucket, then delete it',
					},
					{ name: 'Tag', value: 'tag', description: 'Add a tag to the object (its other tags stay)' },
				],
			},
			{
				...bucketLocator,
				displayName: 'Move to Bucket',
				name: 'moveToBucket',
				description: 'The bucket to move processed objects to. Leave empty for the watched bucket.',
				displayOptions: { show: { afterProcessing: ['move'] } },
			},
			{
				displayName: 'Move to Prefix',
				name: 'moveToPrefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. processed/',
				description:
					'Replaces the watched prefix in each key: with Prefix "inbox/", "inbox/2024/a.csv" moves to "processed/2024/a.csv". An object already there is replaced.',
				displayOptions: { show: { afterProcessing: ['move'] } },
			},
			{
				displayName: 'Tag Key',
				name: 'tagKey',
				type: 'string',
				default: 'processed',
				displayOptions: { show: { afterProcessing: ['tag'] } },
			},
			{
				displayName: 'Tag Value',
				name: 'tagValue',
				type: 'string',
				default: 'true',
				displayOptions: { show: { afterProcessing: ['tag'] } },
			},
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
						displayName: 'Key Regular Expression',
						name: 'keyRegex',
						type: 'string',
						default: '',
						placeholder: 'e.g. ^invoices/\\d{4}/.+\\.pdf$',
						description:
							'Only keys this regular expression finds a match in, tested against the whole key: use ^ and $ to anchor it. Case-sensitive; write /.../i to ignore case. Applies together with the other filters.',
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
					{
						displayName: 'Max Objects per Poll',
						name: 'maxObjectsPerPoll',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						description: `Emit at most this many objects per poll, the oldest first; the rest follow at the next polls. 0: no limit (with an After Processing action, at most ${MAX_PENDING_ACTIONS.toLocaleString('en-US')}).`,
					},
					{
						displayName: 'Minimum Age (Seconds)',
						name: 'minAgeSeconds',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						description:
							'Skip objects modified less than this long ago and emit them at a later poll, so objects still being written are not picked up. Measured against this machine\'s clock: allow for a difference with the server\'s.',
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
		const keyMatches = keyFilterOf(this, options);
		const windowMs = Math.max(1, options.lateArrivalMinutes ?? DEFAULT_LATE_ARRIVAL_MINUTES) * 60_000;

		const connection = await getConnection.call(this);
		const bucket = resolveBucket(this.getNode(), this.getNodeParameter('bucket', '', { extractValue: true }), connection.defaultBucket, 'trigger');
		const listing = connection.listObjectPages(
			{ Bucket: bucket, Prefix: prefix || undefined },
			{ action: 'list objects in', bucket },
		);

		if (this.getMode() === 'manual') {
			// A test run shows the newest matching object; the saved state is left alone, nothing is moved.
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
			// Under Object Deleted the test event shows the shape of a deletion, with the newest key.
			const report: Report = event === 'objectDeleted' ? { change: 'deleted', key: newest.key } : { change: 'created', object: newest };
			const items = await toItems.call(this, connection, bucket, [report], binaryPropertyName);
			return items.length ? [items] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		// New filters join the fingerprint only when set, so saved workflows keep their state.
		const config = configFingerprint([bucket, prefix, options.keyEndsWith ?? '', options.keyPattern ?? '', ...(options.keyRegex?.trim() ? [options.keyRegex] : [])]);
		const previous = isTrackerState(staticData.state) && staticData.state.config === config ? staticData.state : undefined;

		// After processing: first finish the objects the previous poll handed on, with today's settings
		// (a changed bucket, prefix or filter starts over and leaves them where they are).
		const after = afterProcessingOf(this, event, bucket, prefix);
		const pending = after && isPendingActions(staticData.afterProcessing) && staticData.afterProcessing.config === config ? staticData.afterProcessing.objects : [];
		const ownKeys = after && pending.length > 0 ? await finishEmitted(connection, after, pending) : new Set<string>();

		const maxPerPoll = Math.max(0, Math.floor(options.maxObjectsPerPoll ?? 0)) || Infinity;
		const minAgeMs = Math.max(0, options.minAgeSeconds ?? 0) * 1000;
		const scan = new PollScan(previous, windowMs, undefined, {
			reports: (change) => (change === 'created' && event !== 'objectDeleted') || (change === 'updated' && event === 'objectCreatedOrUpdated'),
			deletions: event === 'objectDeleted',
			youngAfter: minAgeMs > 0 ? Date.now() - minAgeMs : undefined,
			maxReports: after ? Math.min(maxPerPoll, MAX_PENDING_ACTIONS) : maxPerPoll,
			ownKeys,
		});
		const startedAt = Date.now();
		for await (const page of listing) {
			for (const object of page.Contents ?? []) {
				const listed = toListed(object);
				if (listed && keyMatches(listed.key)) scan.consider(listed);
			}
		}
		const next = scan.finish(config, Date.now() - startedAt);
		// The first activation records what is there and reports nothing.
		const reports = previous ? scan.reports : [];
		if (after) for (const report of reports) if (report.change !== 'deleted') checkDestination(this.getNode(), after, report.object.key, keyMatches);

		// Oldest first, as they happened; the state is saved only once every item is ready,
		// so a failed download makes the next poll try the same objects again.
		const items = await toItems.call(this, connection, bucket, reports, binaryPropertyName);
		if (!sameState(staticData.state, next)) staticData.state = next as unknown as IDataObject;
		savePending(staticData, after ? { config, objects: items.filter((item) => item.json.event !== 'deleted').map((item) => [String(item.json.key), String(item.json.etag ?? '')]) } : undefined);
		if (items.length === 0) return null;
		return [items];
	}
}

function keyFilterOf(context: IPollFunctions, options: TriggerOptions): KeyFilter {
	const problem = options.keyRegex?.trim() ? keyRegexProblem(options.keyRegex.trim()) : undefined;
	if (problem) {
		throw new NodeOperationError(context.getNode(), `The key regular expression "${options.keyRegex}" is not valid: ${problem}`, {
			description: 'Correct the "Key Regular Expression" option, e.g. ^incoming/.+\\.csv$ (a "." meant literally is written "\\.").',
		});
	}
	return compileKeyFilter(options.keyEndsWith, options.keyPattern, options.keyRegex);
}

function afterProcessingOf(context: IPollFunctions, event: TriggerEvent, bucket: string, prefix: string): AfterProcessing | undefined {
	const action = context.getNodeParameter('afterProcessing', 'keep') as AfterProcessingAction;
	if (action === 'keep' || event === 'objectDeleted') return undefined;
	const node = context.getNode();
	const moveToBucket = action === 'move' ? bucketFieldValue(node, context.getNodeParameter('moveToBucket', '', { extractValue: true }), 'Move to Bucket') : '';
	if (moveToBucket) assertBucketName(node, moveToBucket);
	const settings: AfterProcessing = {
		action,
		bucket,
		prefix,
		moveToBucket,
		moveToPrefix: action === 'move' ? (context.getNodeParameter('moveToPrefix', '') as string) : '',
		tagKey: action === 'tag' ? (context.getNodeParameter('tagKey', 'processed') as string).trim() : '',
		tagValue: action === 'tag' ? (context.getNodeParameter('tagValue', 'true') as string) : '',
	};
	if (action === 'tag' && !settings.tagKey) {
		throw new NodeOperationError(node, 'No tag key given', { description: 'Fill in "Tag Key", e.g. "processed".' });
	}
	return settings;
}

/** Saves the objects waiting for their action (only when they differ, so an idle poll saves nothing). */
function savePending(staticData: IDataObject, pending: PendingActions | undefined): void {
	const wanted = pending && pending.objects.length > 0 ? pending : undefined;
	if (JSON.stringify(staticData.afterProcessing ?? null) === JSON.stringify(wanted ?? null)) return;
	if (wanted) staticData.afterProcessing = wanted as unknown as IDataObject;
	else delete staticData.afterProcessing;
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
	reports: Report[],
	binaryPropertyName: string,
): Promise<INodeExecutionData[]> {
	const items = await runPool(reports.length, DOWNLOAD_CONCURRENCY, async (index): Promise<INodeExecutionData | undefined> => {
		const report = reports[index];
		// A deleted key has nothing left to describe or download.
		if (report.change === 'deleted') return { json: { event: 'deleted', bucket, key: report.key } };
		const { object, change } = report;
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
