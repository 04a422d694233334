/**
 * The polling trigger's fields: what to watch (event, bucket, prefix, filters), what to emit
 * (download), and what to do with each object once emitted (after processing).
 */
import type { INodeProperties } from 'n8n-workflow';

import { binaryOutputField, bucketLocator } from '../S3Storage/actions/common.descriptions';
import { MAX_PENDING_ACTIONS } from './afterProcessing';
import { MAX_NAMES } from './tracker';

export const DEFAULT_LATE_ARRIVAL_MINUTES = 60;

export const triggerProperties: INodeProperties[] = [
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
];
