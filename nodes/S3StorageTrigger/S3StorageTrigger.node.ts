import type { Readable } from 'node:stream';

import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

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
import { DEFAULT_LATE_ARRIVAL_MINUTES, triggerProperties } from './S3StorageTrigger.description';
import {
	configFingerprint,
	isTrackerState,
	type ListedObject,
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
		properties: triggerProperties,
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
