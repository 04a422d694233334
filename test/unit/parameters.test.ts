/**
 * The per-execution parameter reader (helpers/parameters.ts), without a server: which saved values
 * count as constant, that a constant is resolved once and an expression per item, and that what is
 * handed out is what getNodeParameter gave. The context is a stand-in that resolves "={{ item }}".
 */
import { NodeHelpers, NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeParameters } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import { holdsExpression, parametersOf } from '../../nodes/S3Storage/helpers/parameters';

/** A context whose getNodeParameter reads the saved parameters, turning "={{ item }}" into the item's number. */
function context(parameters: IDataObject) {
	const node = { id: 'n1', name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 2, position: [0, 0], parameters } as INode;
	const calls: string[] = [];
	const resolve = (value: unknown, itemIndex: number): unknown => {
		if (value === '={{ item }}') return itemIndex;
		if (Array.isArray(value)) return value.map((entry) => resolve(entry, itemIndex));
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, itemIndex)]));
		return value;
	};
	const execute = {
		getNode: () => structuredClone(node),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			calls.push(name);
			let value = name.split('.').reduce<unknown>((at, step) => (at as IDataObject | undefined)?.[step], parameters) ?? fallback;
			if (value === 'fail') throw new NodeOperationError(node, `bad value in item ${itemIndex}`, { itemIndex });
			value = resolve(value, itemIndex);
			return options?.extractValue && value && typeof value === 'object' && '__rl' in value ? (value as IDataObject).value : value;
		},
	} as unknown as IExecuteFunctions;
	return { execute, reads: (name: string) => calls.filter((called) => called === name).length };
}

describe('holdsExpression', () => {
	it('finds an expression at any depth, and only a string starting with "="', () => {
		expect(holdsExpression('={{ $json.key }}')).toBe(true);
		expect(holdsExpression({ __rl: true, mode: 'name', value: '={{ $json.bucket }}' })).toBe(true);
		expect(holdsExpression({ metadata: { entries: [{ name: 'a', value: '={{ 1 }}' }] } })).toBe(true);
		expect(holdsExpression('a = b')).toBe(false);
		expect(holdsExpression({ folder: 'x', concurrency: 16, tags: { tags: [] }, on: true, none: null })).toBe(false);
		expect(holdsExpression(undefined)).toBe(false);
	});
});

describe('parametersOf', () => {
	it('resolves a constant once for every item and an expression per item', () => {
		const { execute, reads } = context({ bucket: { __rl: true, mode: 'name', value: 'my-bucket' }, key: '={{ item }}', options: { folder: 'in' } });
		const parameters = parametersOf(execute);
		const buckets = [0, 1, 2].map((item) => parameters.get('bucket', item, '', { extractValue: true }));
		const keys = [0, 1, 2].map((item) => parameters.get('key', item));
		expect(buckets).toEqual(['my-bucket', 'my-bucket', 'my-bucket']);
		expect(keys).toEqual([0, 1, 2]);
		expect(reads('bucket')).toBe(1);
		expect(reads('key')).toBe(3);
		// the same context is the same execution, however it is asked
		expect(parametersOf(execute).get('options.folder', 5)).toBe('in');
		expect(parametersOf(execute).get('options.folder', 6)).toBe('in');
		expect(reads('options.folder')).toBe(1);
	});

	it('keeps the locator and its value apart, and each fallback for a parameter that is not saved', () => {
		const { execute } = context({ bucket: { __rl: true, mode: 'name', value: 'my-bucket' } });
		const parameters = parametersOf(execute);
		expect(parameters.get('bucket', 0, '', { extractValue: true })).toBe('my-bucket');
		expect(parameters.get('bucket', 0)).toEqual({ __rl: true, mode: 'name', value: 'my-bucket' });
		expect(parameters.get('options.concurrency', 0, 8)).toBe(8);
		expect(parameters.get('options.concurrency', 0, 16)).toBe(16);
	});

	it('reads "options" per item when one option holds an expression, and the other options once', () => {
		const { execute, reads } = context({ options: { folder: 'in', metadata: { entries: [{ name: 'n', value: '={{ item }}' }] } } });
		const parameters = parametersOf(execute);
		const entries = [0, 1].map((item) => parameters.get<IDataObject>('options', item).metadata);
		expect(entries).toEqual([{ entries: [{ name: 'n', value: 0 }] }, { entries: [{ name: 'n', value: 1 }] }]);
		[0, 1].forEach((item) => parameters.text('options.folder', item, 'Folder'));
		expect(reads('options')).toBe(2);
		expect(reads('options.folder')).toBe(1);
	});

	it('hands out a shared value that no item can change for the next', () => {
		const { execute } = context({ options: { metadata: { entries: [{ name: 'a', value: 'b' }] } } });
		const options = parametersOf(execute).get<{ metadata: { entries: IDataObject[] } }>('options', 0);
		expect(() => {
			options.metadata.entries[0].value = 'changed';
		}).toThrow(TypeError);
		expect(parametersOf(execute).get('options', 1)).toEqual({ metadata: { entries: [{ name: 'a', value: 'b' }] } });
	});

	it('lets every item meet a failing constant under its own item number', () => {
		const { execute, reads } = context({ binaryPropertyName: 'fail' });
		const parameters = parametersOf(execute);
		expect(() => parameters.get('binaryPropertyName', 0)).toThrow('bad value in item 0');
		expect(() => parameters.get('binaryPropertyName', 1)).toThrow('bad value in item 1');
		expect(reads('binaryPropertyName')).toBe(2);
	});

	it('words a missing or too long key and a bad bucket as the per-item readers do', () => {
		const { execute } = context({ key: '', other: 'k'.repeat(1025), bucket: { __rl: true, mode: 'name', value: 'Bad_Bucket' } });
		const parameters = parametersOf(execute);
		expect(() => parameters.key(3)).toThrow('No object key given');
		expect(() => parameters.key(3, 'other')).toThrow('longer than 1,024 bytes');
		const connection = { defaultBucket: 'fallback-bucket' } as never;
		expect(() => parameters.bucket(connection, 0)).toThrow('"Bad_Bucket" is not a valid bucket name');
		expect(parametersOf(context({}).execute).bucket(connection, 0)).toBe('fallback-bucket');
	});
});

describe('the Concurrency option in saved workflows', () => {
	const description = new S3Storage().description;
	const node = { id: 'n1', name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 2, position: [0, 0], parameters: {} } as unknown as INode;
	const saved = (options: IDataObject) =>
		NodeHelpers.getNodeParameters(description.properties, { resource: 'object', operation: 'upload', options } as INodeParameters, false, false, node, description);

	it('is saved when the user added it, even at a value that was the default before (8)', () => {
		expect(saved({ concurrency: 8 })?.options).toEqual({ concurrency: 8 });
	});

	it('is not saved when the user did not add it, so such workflows get the new default (16)', () => {
		expect(saved({})?.options).toEqual({});
		const concurrency = description.properties.find((p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('upload'))?.options;
		expect(concurrency?.find((option) => option.name === 'concurrency')).toMatchObject({ default: 16 });
	});
});
