import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withToolErrors } from '../helpers/toolMode';
import { getConnection, type S3Connection } from '../transport';
import * as bucket from './bucket/Bucket.resource';
import { DEFAULT_CONCURRENCY } from './common.descriptions';
import * as customApiCall from './custom/CustomApiCall.resource';
import * as folder from './folder/Folder.resource';
import type { S3StorageMap, S3StorageResource } from './node.type';
import * as object from './object/Object.resource';

type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
) => Promise<INodeExecutionData[]>;

/** Every resource/operation pair has a handler; a missing one is a compile error. */
const handlers: { [R in S3StorageResource]: Record<S3StorageMap[R], { execute: OperationExecute }> } = {
	bucket,
	customApiCall,
	folder,
	object,
};

/**
 * A failed item under "Continue On Fail": `{ error, description }` in its json. With "Continue (using
 * error output)" the description is called `details`: n8n-core moves an item to the error output when
 * its json holds only error, message and details, and there adds the input item's fields to it (an
 * `error` set on the item would route it too, but n8n then cuts its json down to the message alone).
 */
function failedItem(this: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const message = error instanceof Error ? error.message : String(error);
	const description = (error as { description?: string }).description;
	const errorOutput = this.getNode().onError === 'continueErrorOutput';
	const explanation = description ? { [errorOutput ? 'details' : 'description']: description } : {};
	return { json: { error: message, ...explanation }, pairedItem: { item: itemIndex } };
}

/**
 * Runs the chosen operation for every item, several at a time, and returns the outputs in
 * input order, each paired to its item. A failing item becomes an error item under
 * "Continue On Fail"; otherwise the first failure (in input order) stops the node.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as S3StorageResource;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = (handlers[resource] as Record<string, { execute: OperationExecute }> | undefined)?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for resource "${resource}"`);
	}

	const continueOnFail = this.continueOnFail();
	// Unusable credential settings fail every item: under Continue On Fail each item says so, none passes as a success.
	const connection = continueOnFail
		? await getConnection.call(this).catch((error: unknown) => ({ failed: error }))
		: await getConnection.call(this);
	if ('failed' in connection) return [items.map((_item, itemIndex) => failedItem.call(this, connection.failed, itemIndex))];
	// As an AI agent's tool, failures are worded as what the model should do next (helpers/toolMode.ts).
	const execute = withToolErrors(handler.execute);
	const concurrency = Math.max(1, Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)) || 1);
	const results: Array<INodeExecutionData[] | undefined> = new Array(items.length);
	let firstFailure: { index: number; error: unknown } | undefined;
	let next = 0;

	const runItem = async (itemIndex: number) => {
		try {
			const output = await execute.call(this, itemIndex, connection);
			// Set in place, not copied: a listing's 100,000 items are then held once, not twice. One
			// pairing object for all of an input's outputs, as n8n's constructExecutionMetaData does.
			const pairedItem = { item: itemIndex };
			for (const entry of output) entry.pairedItem = pairedItem;
			results[itemIndex] = output;
		} catch (error) {
			if (continueOnFail) {
				results[itemIndex] = [failedItem.call(this, error, itemIndex)];
			} else if (!firstFailure || itemIndex < firstFailure.index) {
				firstFailure = { index: itemIndex, error };
			}
		}
	};

	const worker = async () => {
		while (next < items.length && !(firstFailure && !continueOnFail)) {
			await runItem(next++);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

	if (firstFailure) {
		const { error, index } = firstFailure;
		if (error instanceof NodeOperationError || (error as { name?: string }).name === 'NodeApiError') throw error;
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: index });
	}
	return [results.length === 1 ? (results[0] ?? []) : results.flatMap((entry) => entry ?? [])];
}
