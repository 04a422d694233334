import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DELETE_BATCHES_IN_FLIGHT } from '../../helpers/bulkDelete';
import { parseList } from '../../helpers/objectData';
import { requestFailureOf, type RequestFailure } from '../../helpers/requestFailure';
import { compact, describeType, getBucket, updateDisplayOptions } from '../../helpers/utils';
import { DELETE_BATCH_SIZE, runPool, type BatchDeleteResult, type ObjectIdentifier, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Keys',
		name: 'keys',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		placeholder: 'e.g. ["reports/a.csv", "reports/b.csv"] or {{ $json.keys }}',
		description:
			'The objects to permanently delete: a JSON array, one key per line, or an expression returning an array. Entries may also be {"key": "...", "versionId": "..."} to delete one version. The output has one item per key: deleted: true, or deleted: false with errorCode and errorMessage when the server refused the key or its request failed after retries; the node goes on either way. Only when every request failed, so nothing was deleted, does the item fail.',
	},
	optionsCollection([concurrencyOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['deleteMany'] } }, properties);

/** A short, single-line view of a refused entry for the error message. */
function preview(entry: unknown): string {
	let text: string;
	try {
		text = JSON.stringify(entry) ?? String(entry);
	} catch {
		text = String(entry);
	}
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A key or version ID as given: text, or a number converted; anything else is not one. */
function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/**
 * One entry of "Keys" as the object it names. Entries that are not keys (objects without a key,
 * lists, empty text, booleans, null) are refused before anything is deleted: as text they would
 * name "[object Object]" or "true", not the object meant.
 */
function identifierOf(this: IExecuteFunctions, entry: unknown, position: number, itemIndex: number): ObjectIdentifier {
	let problem: string;
	const key = textOf(entry);
	if (key !== undefined) {
		if (key !== '') return { key };
		problem = 'it is empty';
	} else if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
		const fields = entry as { key?: unknown; versionId?: unknown };
		const objectKey = textOf(fields.key);
		const versionId = fields.versionId === undefined || fields.versionId === null ? '' : textOf(fields.versionId);
		if (objectKey === undefined || objectKey === '') {
			problem = fields.key === undefined ? 'it is an object without a "key"' : `its "key" is ${objectKey === '' ? 'empty' : describeType(fields.key)}`;
		} else if (versionId === undefined) {
			problem = `its "versionId" is ${describeType(fields.versionId)}`;
		} else {
			return { key: objectKey, versionId: versionId || undefined };
		}
	} else {
		problem = `it is ${describeType(entry)}`;
	}
	throw new NodeOperationError(
		this.getNode(),
		`Entry ${position + 1} of "Keys" (item ${itemIndex}) is not a key: ${problem} (${preview(entry)})`,
		{
			itemIndex,
			description:
				'Each entry must be a non-empty key such as "reports/a.csv", or {"key": "reports/a.csv", "versionId": "..."}. Nothing was deleted. If an expression builds the list, map it to keys, e.g. {{ $json.files.map(f => f.key) }}.',
		},
	);
}

const idOf = (object: ObjectIdentifier) => `${object.key}\u0000${object.versionId ?? ''}`;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const entries = parseList.call(this, this.getNodeParameter('keys', itemIndex, ''), itemIndex, 'Keys', { lines: true });
	// Every entry is checked before anything is deleted. The same key twice is deleted (and reported) once.
	const unique = new Map<string, ObjectIdentifier>();
	entries.forEach((entry, position) => {
		const object = identifierOf.call(this, entry, position, itemIndex);
		unique.set(idOf(object), object);
	});
	const objects = [...unique.values()];
	if (objects.length === 0) return [];

	const batches: ObjectIdentifier[][] = [];
	for (let start = 0; start < objects.length; start += DELETE_BATCH_SIZE) {
		batches.push(objects.slice(start, start + DELETE_BATCH_SIZE));
	}
	const context = { action: 'delete objects in', bucket, itemIndex };
	const cancelled = () => this.getExecutionCancelSignal?.()?.aborted === true;
	// A batch that fails for good is kept as its error, so the keys the other batches deleted are still reported.
	const outcomes = await runPool<BatchDeleteResult | { error: unknown }>(batches.length, DELETE_BATCHES_IN_FLIGHT, async (index) => {
		try {
			return await connection.deleteBatch(bucket, batches[index], context);
		} catch (error) {
			return { error };
		}
	});
	const failedBatches = outcomes.filter((outcome): outcome is { error: unknown } => 'error' in outcome);
	// Nothing was deleted (e.g. the bucket does not exist, or the credential may not delete), or the
	// execution was cancelled: the item fails.
	if (failedBatches.length > 0 && (failedBatches.length === batches.length || cancelled())) throw failedBatches[0].error;

	// One item per key, in the order given, saying what happened to it.
	const failures = new Map<string, RequestFailure>();
	const failuresByKey = new Map<string, RequestFailure>();
	const deleted = new Set<string>();
	outcomes.forEach((outcome, index) => {
		if ('error' in outcome) {
			const failure = requestFailureOf(outcome.error);
			for (const object of batches[index]) failures.set(idOf(object), failure);
			return;
		}
		for (const error of outcome.errors) {
			failures.set(idOf(error), error);
			failuresByKey.set(error.key, error);
		}
		for (const object of outcome.deleted) deleted.add(idOf(object));
	});
	return objects.map((object) => {
		const failure = failures.get(idOf(object)) ?? (deleted.has(idOf(object)) ? undefined : failuresByKey.get(object.key));
		return {
			json: compact(
				failure
					? { bucket, key: object.key, versionId: object.versionId, deleted: false, errorCode: failure.code, errorMessage: failure.message }
					: { bucket, key: object.key, versionId: object.versionId, deleted: true },
			),
		};
	});
}
