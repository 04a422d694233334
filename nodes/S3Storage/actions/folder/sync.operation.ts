import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getDestination, sameStore } from '../../helpers/destination';
import { SyncOrderError, syncFolders, type SyncCompare, type SyncSide } from '../../helpers/folderSync';
import { bucketFieldValue, compact, getBucket, getLocatorText, getText, isKeyTooLong, positiveNumberOf, resolveBucket, updateDisplayOptions } from '../../helpers/utils';
import { DEFAULT_PART_SIZE, MAX_COPY_OBJECT_SIZE, MiB, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';
import { folderPathField, folderPathFields, toFolderPrefix } from './folderPath';

/** Plain identifiers as defaults: n8n's lint rules cannot read an expression there. */
const MULTIPART_THRESHOLD_MIB = MAX_COPY_OBJECT_SIZE / MiB;
const DEFAULT_PARALLEL_COPIES = 8;
/**
 * Parts in flight per object streamed to another credential: with Parallel Copies at its default,
 * at most 8 x 2 x 8 MiB = 128 MiB of parts are held, however large the objects.
 */
const STREAMED_PARTS_PER_COPY = 2;

const properties: INodeProperties[] = [
	{
		...bucketLocator,
		displayName: 'Source Bucket',
		description: 'The bucket to copy from. Leave empty to use the credential\'s default bucket.',
	},
	...folderPathFields({
		displayName: 'Source Folder',
		required: false,
		description: 'The folder whose contents are copied, e.g. "outgoing/". Leave empty for the whole bucket.',
	}),
	{
		displayName: 'Destination Credential',
		name: 'destinationConnection',
		type: 'options',
		default: 'sameCredential',
		description: 'Which credential writes the destination folder',
		options: [
			{
				name: 'Same as Source',
				value: 'sameCredential',
				description: 'The node\'s credential: objects are copied by the server, nothing passes through n8n',
			},
			{
				name: 'Destination Credential',
				value: 'destinationCredential',
				description:
					'A second credential: another account, provider or server. Objects stream through n8n, a few parts at a time (at most Parallel Copies x 2 x 8 MiB in memory); on the same account they are still copied by the server.',
			},
		],
	},
	{
		...bucketLocator,
		displayName: 'Destination Bucket',
		name: 'destinationBucket',
		description: 'The bucket to make match the source. Leave empty for the source bucket (same credential) or the destination credential\'s default bucket.',
	},
	folderPathField({
		displayName: 'Destination Folder',
		name: 'destinationFolder',
		required: false,
		placeholder: 'e.g. mirror/',
		description:
			'The folder that is made to match the source: "outgoing/a/b.txt" becomes "mirror/a/b.txt". Leave empty for the top of the destination bucket. In the same bucket, the two folders must not contain each other.',
	}),
	{
		displayName: 'Compare By',
		name: 'compareBy',
		type: 'options',
		default: 'sizeAndModified',
		description: 'How an object present on both sides is judged changed',
		options: [
			{
				name: 'Size and Last Modified',
				value: 'sizeAndModified',
				description: 'Copy when the sizes differ or the destination is older than the source',
			},
			{
				name: 'ETag',
				value: 'etag',
				description:
					'Copy when the ETags (content hashes) differ. Only used when both sides have a plain MD5 ETag (objects uploaded in one part, without KMS encryption), also across credentials: other ETags are not hashes of the content, so such objects are compared by size alone.',
			},
		],
	},
	{
		displayName: 'Delete Files Only at Destination',
		name: 'deleteExtraneous',
		type: 'boolean',
		default: false,
		description:
			'Whether to permanently delete objects in the destination folder that are not in the source folder. Destructive: anything else kept in the destination folder is lost. Try it with Dry Run first.',
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only report what would be copied and deleted, without changing anything',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'summary',
		options: [
			{ name: 'Summary', value: 'summary', description: 'One item with the counts (copied, skipped, deleted, failed, bytes) and the first errors' },
			{
				name: 'One Item per Object',
				value: 'actions',
				description: 'One item per key with its action (copy, delete, skip) and why. Holds every item in memory: use Summary for very large folders.',
			},
		],
	},
	optionsCollection([
		concurrencyOption,
		{
			displayName: 'Key Pattern',
			name: 'keyPattern',
			type: 'string',
			default: '',
			placeholder: 'e.g. **/*.csv',
			description:
				'Only keys matching this glob, relative to the folders: * within one folder, ** across folders, ? one character, {a,b} either. Without a "/" it is matched against the file name. Keys it excludes are neither copied nor deleted.',
		},
		{
			displayName: 'Minimum Age (Minutes)',
			name: 'minAgeMinutes',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'Leave source objects modified less than this long ago for a later run, e.g. files still being written',
		},
		{
			displayName: 'Modified After',
			name: 'modifiedAfter',
			type: 'dateTime',
			default: '',
			description: 'Only copy source objects last modified after this moment',
		},
		{
			displayName: 'Multipart Copy Above (MiB)',
			name: 'multipartThresholdMiB',
			type: 'number',
			default: MULTIPART_THRESHOLD_MIB,
			typeOptions: { minValue: 5, maxValue: MULTIPART_THRESHOLD_MIB },
			description: 'Objects larger than this are copied in parts instead of one CopyObject. S3 requires it above 5 GiB (5,120 MiB); some stores need less.',
		},
		{
			displayName: 'Parallel Copies',
			name: 'parallelCopies',
			type: 'number',
			default: DEFAULT_PARALLEL_COPIES,
			typeOptions: { minValue: 1, maxValue: 64 },
			description: 'How many objects are copied at the same time',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['folder'], operation: ['sync'] } }, properties);

interface SyncOptionValues {
	keyPattern?: string;
	minAgeMinutes?: number;
	modifiedAfter?: string;
	multipartThresholdMiB?: number;
	parallelCopies?: number;
}

/** A folder field's prefix (may be empty: the top of the bucket). */
function folderOf(this: IExecuteFunctions, itemIndex: number, parameterName: string, field: string): string {
	const prefix = toFolderPrefix(getLocatorText.call(this, parameterName, itemIndex, field));
	if (isKeyTooLong(prefix)) {
		throw new NodeOperationError(this.getNode(), `The "${field}" is longer than 1,024 bytes`, {
			itemIndex,
			description: 'S3 keys are at most 1,024 bytes of UTF-8; shorten the path.',
		});
	}
	return prefix;
}

function dateOf(this: IExecuteFunctions, value: unknown, itemIndex: number): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = new Date(String(value));
	if (Number.isNaN(date.getTime())) {
		throw new NodeOperationError(this.getNode(), `"Modified After" is not a date: ${String(value)}`, {
			itemIndex,
			description: 'Pick a date, or give one as text such as "2024-06-30T12:00:00Z".',
		});
	}
	return date;
}

/**
 * Copies what is missing or changed from the source folder to the destination folder (server-side,
 * or streamed through the node to another credential's account or server), optionally deleting what
 * only the destination has. Listings are merged page by page, so memory
 * stays flat whatever the number of keys (with the Summary output). Single keys that fail are
 * reported in the output; the node fails only when nothing could be done: a folder cannot be
 * listed (missing bucket, no access), or every copy and delete failed.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, connection: S3Connection): Promise<INodeExecutionData[]> {
	const sourceBucket = getBucket.call(this, connection, itemIndex, 'bucket', 'Source Bucket');
	const sourcePrefix = folderOf.call(this, itemIndex, 'folder', 'Source Folder');
	const destinationPrefix = folderOf.call(this, itemIndex, 'destinationFolder', 'Destination Folder');
	const source: SyncSide = { connection, bucket: sourceBucket, prefix: sourcePrefix };
	let destination: SyncSide;
	if (this.getNodeParameter('destinationConnection', itemIndex, 'sameCredential') === 'destinationCredential') {
		const { connection: writer, bucket } = await getDestination.call(this, itemIndex);
		destination = { connection: writer, bucket, prefix: destinationPrefix };
	} else {
		const destinationName = bucketFieldValue(this.getNode(), this.getNodeParameter('destinationBucket', itemIndex, '', { extractValue: true }), 'Destination Bucket', itemIndex);
		const bucket = destinationName ? resolveBucket(this.getNode(), destinationName, '', 'node', itemIndex, 'Destination Bucket') : sourceBucket;
		destination = { connection, bucket, prefix: destinationPrefix };
	}
	const destinationBucket = destination.bucket;

	// On one store a bucket name is one bucket whoever signs in, so the folders must not contain each other.
	if (sameStore(source.connection, destination.connection) && sourceBucket === destinationBucket && (sourcePrefix.startsWith(destinationPrefix) || destinationPrefix.startsWith(sourcePrefix))) {
		throw new NodeOperationError(this.getNode(), `The source folder "${sourcePrefix}" and the destination folder "${destinationPrefix}" overlap in bucket "${sourceBucket}"`, {
			itemIndex,
			description: 'Pick folders that do not contain each other (e.g. "outgoing/" and "mirror/"), or another destination bucket: otherwise copies would be copied again, or deleted as extraneous.',
		});
	}

	const options = this.getNodeParameter('options', itemIndex, {}) as SyncOptionValues;
	const dryRun = this.getNodeParameter('dryRun', itemIndex, false) as boolean;
	const output = this.getNodeParameter('output', itemIndex, 'summary') as string;
	const minAgeMinutes = Number(options.minAgeMinutes ?? 0) || 0;
	const parallelCopies = positiveNumberOf(this.getNode(), options.parallelCopies ?? DEFAULT_PARALLEL_COPIES, 'Parallel Copies', itemIndex, {
		whole: true,
		example: 'how many objects to copy at once, e.g. 8',
	});

	const result = await syncFolders(source, destination, {
		compare: this.getNodeParameter('compareBy', itemIndex, 'sizeAndModified') as SyncCompare,
		deleteExtraneous: this.getNodeParameter('deleteExtraneous', itemIndex, false) as boolean,
		dryRun,
		keyPattern: getText.call(this, 'options.keyPattern', itemIndex, 'Key Pattern'),
		modifiedBefore: minAgeMinutes > 0 ? new Date(Date.now() - minAgeMinutes * 60_000) : undefined,
		modifiedAfter: dateOf.call(this, options.modifiedAfter, itemIndex),
		concurrency: parallelCopies,
		tuning: { multipartThreshold: (options.multipartThresholdMiB ?? MULTIPART_THRESHOLD_MIB) * MiB },
		streamTuning: { partSize: DEFAULT_PART_SIZE, queueSize: STREAMED_PARTS_PER_COPY },
		keepActions: output === 'actions',
		itemIndex,
	}).catch((error: unknown) => {
		if (error instanceof SyncOrderError) {
			throw new NodeOperationError(this.getNode(), error.message, {
				itemIndex,
				description: 'The server does not list keys in UTF-8 binary order, which Sync relies on to compare the folders. Please report which server this is.',
			});
		}
		throw error;
	});

	const attempted = result.copied + result.deleted + result.failed;
	if (result.failed > 0 && attempted === result.failed) throw result.firstError;

	const sides = { sourceBucket, sourceFolder: sourcePrefix, destinationBucket, destinationFolder: destinationPrefix };
	if (output === 'actions') {
		return result.actions.map((action) => ({ json: compact({ ...sides, ...action, dryRun } as IDataObject) }));
	}
	return [
		{
			json: {
				...sides,
				dryRun,
				copied: result.copied,
				skipped: result.skipped,
				deleted: result.deleted,
				failed: result.failed,
				filtered: result.filtered,
				bytes: result.bytes,
				...(result.errors.length ? { errors: result.errors } : {}),
			},
		},
	];
}
