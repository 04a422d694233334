import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DELETE_BATCHES_IN_FLIGHT } from '../../helpers/bulkDelete';
import { parseList } from '../../helpers/objectData';
import { runPool } from '../../transport';
import { compact, getBucket, updateDisplayOptions } from '../../helpers/utils';
import { DELETE_BATCH_SIZE, type ObjectIdentifier, type S3Connection } from '../../transport';
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
			'The objects to permanently delete: a JSON array, one key per line, or an expression returning an array. Entries may also be {"key": "...", "versionId": "..."} to delete one version.',
	},
	optionsCollection([concurrencyOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['deleteMany'] } }, properties);

function identifierOf(this: IExecuteFunctions, entry: unknown, position: number, itemIndex: number): ObjectIdentifier {
	if (typeof entry === 'string' && entry !== '') return { key: entry };
	if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
		const { key, versionId } = entry as { key?: unknown; versionId?: unknown };
		if (typeof key === 'string' && key !== '') {
			return { key, versionId: typeof versionId === 'string' && versionId !== '' ? versionId : undefined };
		}
	}
	throw new NodeOperationError(this.getNode(), `Entry ${position + 1} of "Keys" (item ${itemIndex}) is not a key`, {
		itemIndex,
		description: 'Each entry must be a non-empty key such as "reports/a.csv", or {"key": "reports/a.csv", "versionId": "..."}.',
	});
}

const idOf = (object: ObjectIdentifier) => `${object.key}\u0000${object.versionId ?? ''}`;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const entries = parseList.call(this, this.getNodeParameter('keys', itemIndex, ''), itemIndex, 'Keys', { lines: true });
	// The same key twice is deleted (and reported) once.
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
	const results = await runPool(batches.length, DELETE_BATCHES_IN_FLIGHT, async (index) => await connection.deleteBatch(bucket, batches[index], context));

	// One item per key, in the order given, saying what happened to it.
	const failures = new Map<string, { code: string; message: string }>();
	const failuresByKey = new Map<string, { code: string; message: string }>();
	const deleted = new Set<string>();
	for (const batch of results) {
		for (const error of batch.errors) {
			failures.set(idOf(error), error);
			failuresByKey.set(error.key, error);
		}
		for (const object of batch.deleted) deleted.add(idOf(object));
	}
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
