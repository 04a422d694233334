/**
 * The router, without a server: the operation handlers and the connection are stand-ins, so what is
 * checked is only what the router adds: input order, the concurrency bound, pairedItem, Continue On
 * Fail items in both shapes, and which failure stops the node.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { router } from '../../nodes/S3Storage/actions/router';

type Execute = (this: IExecuteFunctions, itemIndex: number, connection: unknown) => Promise<INodeExecutionData[]>;

let mockExecute: Execute;
const mockConnection = { stub: 'connection' };
let mockConnectionFailure: Error | undefined;

jest.mock('../../nodes/S3Storage/transport', () => ({
	getConnection: async () => {
		if (mockConnectionFailure) throw mockConnectionFailure;
		return mockConnection;
	},
}));
jest.mock('../../nodes/S3Storage/actions/object/Object.resource', () => ({
	upload: {
		execute(this: IExecuteFunctions, itemIndex: number, connection: unknown) {
			return mockExecute.call(this, itemIndex, connection);
		},
	},
}));
jest.mock('../../nodes/S3Storage/actions/bucket/Bucket.resource', () => ({}));
jest.mock('../../nodes/S3Storage/actions/folder/Folder.resource', () => ({}));

type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

/** The part of IExecuteFunctions the router reads. */
function context(itemCount: number, options: { concurrency?: number; onError?: OnError; operation?: string } = {}): IExecuteFunctions {
	const onError = options.onError ?? 'stopWorkflow';
	const parameters: IDataObject = {
		resource: 'object',
		operation: options.operation ?? 'upload',
		...(options.concurrency === undefined ? {} : { 'options.concurrency': options.concurrency }),
	};
	const node = { id: 'n1', name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {}, onError };
	return {
		getInputData: () => Array.from({ length: itemCount }, (_, index) => ({ json: { index } })),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => parameters[name] ?? fallback,
		continueOnFail: () => onError !== 'stopWorkflow',
		getNode: () => node,
	} as unknown as IExecuteFunctions;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
	mockConnectionFailure = undefined;
	mockExecute = async (itemIndex) => [{ json: { item: itemIndex } }];
});

it('returns the outputs in input order while later items finish first, each paired to its item', async () => {
	mockExecute = async (itemIndex) => {
		await wait((12 - itemIndex) * 3);
		// Item 4 yields two entries (e.g. a listing); both belong to item 4.
		return itemIndex === 4 ? [{ json: { item: 4, part: 'a' } }, { json: { item: 4, part: 'b' } }] : [{ json: { item: itemIndex } }];
	};
	const [output] = await router.call(context(12, { concurrency: 4 }));
	expect(output.map((entry) => entry.json.item)).toEqual([0, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11]);
	expect(output.map((entry) => entry.pairedItem)).toEqual(output.map((entry) => ({ item: entry.json.item })));
});

it('hands every handler the one connection and the item index', async () => {
	const seen: Array<[number, unknown]> = [];
	mockExecute = async (itemIndex, connection) => {
		seen.push([itemIndex, connection]);
		return [];
	};
	const [output] = await router.call(context(3));
	expect(output).toEqual([]);
	expect(seen.sort()).toEqual([
		[0, mockConnection],
		[1, mockConnection],
		[2, mockConnection],
	]);
});

it.each([
	[3, 3],
	[1, 1],
	[undefined, 16], // the default
])('keeps at most `concurrency` items in flight (concurrency %s -> %s)', async (concurrency, expected) => {
	let running = 0;
	let peak = 0;
	mockExecute = async (itemIndex) => {
		running++;
		peak = Math.max(peak, running);
		await wait(5 + (itemIndex % 3) * 4);
		running--;
		return [{ json: { item: itemIndex } }];
	};
	const [output] = await router.call(context(20, { concurrency }));
	expect(output).toHaveLength(20);
	expect(peak).toBe(expected);
});

const failing = (failures: number[]): Execute =>
	async (itemIndex) => {
		await wait(5);
		if (failures.includes(itemIndex)) {
			throw Object.assign(new Error(`Object "k${itemIndex}" not found`), { description: 'Check the key and the bucket.' });
		}
		return [{ json: { item: itemIndex } }];
	};

it('Continue (using regular output): a failed item is { error, description } in its place, paired to its input', async () => {
	mockExecute = failing([1, 3]);
	const [output] = await router.call(context(5, { concurrency: 2, onError: 'continueRegularOutput' }));
	expect(output).toEqual([
		{ json: { item: 0 }, pairedItem: { item: 0 } },
		{ json: { error: 'Object "k1" not found', description: 'Check the key and the bucket.' }, pairedItem: { item: 1 } },
		{ json: { item: 2 }, pairedItem: { item: 2 } },
		{ json: { error: 'Object "k3" not found', description: 'Check the key and the bucket.' }, pairedItem: { item: 3 } },
		{ json: { item: 4 }, pairedItem: { item: 4 } },
	]);
});

it('Continue (using error output): a failed item is { error, details }, the shape n8n moves to the error output', async () => {
	mockExecute = failing([2]);
	const [output] = await router.call(context(3, { onError: 'continueErrorOutput' }));
	expect(output[2]).toEqual({ json: { error: 'Object "k2" not found', details: 'Check the key and the bucket.' }, pairedItem: { item: 2 } });
	expect(output[0]).toEqual({ json: { item: 0 }, pairedItem: { item: 0 } });
});

it('a failure without a description is { error } alone', async () => {
	mockExecute = async () => {
		throw new Error('boom');
	};
	const [output] = await router.call(context(1, { onError: 'continueRegularOutput' }));
	expect(output).toEqual([{ json: { error: 'boom' }, pairedItem: { item: 0 } }]);
});

it('under Continue On Fail, an unusable credential fails every item and none passes as a success', async () => {
	mockConnectionFailure = new Error('The endpoint is not a URL');
	let called = 0;
	mockExecute = async () => {
		called++;
		return [{ json: {} }];
	};
	const [output] = await router.call(context(3, { onError: 'continueRegularOutput' }));
	expect(called).toBe(0);
	expect(output).toEqual([0, 1, 2].map((item) => ({ json: { error: 'The endpoint is not a URL' }, pairedItem: { item } })));
});

it('otherwise the first failure in input order stops the node, with its item index, even when a later one failed first', async () => {
	const started: number[] = [];
	mockExecute = async (itemIndex) => {
		started.push(itemIndex);
		// Item 2 fails fast, item 0 fails slowly: item 0's failure is the one reported.
		await wait(itemIndex === 0 ? 40 : 5);
		if (itemIndex === 0 || itemIndex === 2) throw new Error(`item ${itemIndex} failed`);
		return [{ json: { item: itemIndex } }];
	};
	const error = await router.call(context(10, { concurrency: 3 })).then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as NodeOperationError).message).toBe('item 0 failed');
	expect((error as NodeOperationError).context.itemIndex).toBe(0);
	// No new item starts after the failure was seen.
	expect(Math.max(...started)).toBeLessThan(9);
});

it('a NodeOperationError from a handler is thrown as it is', async () => {
	const original = new NodeOperationError(context(1).getNode(), 'Bucket is required', { itemIndex: 0 });
	mockExecute = async () => {
		throw original;
	};
	await expect(router.call(context(2))).rejects.toBe(original);
});

it('an unknown operation is refused by name', async () => {
	await expect(router.call(context(1, { operation: 'explode' }))).rejects.toThrow('The operation "explode" is not known for resource "object"');
});
