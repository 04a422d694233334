/**
 * n8n's "On Error" settings, through the engine: "Continue (using error output)" sends each failed
 * item to the node's error output and the others to its success output; "Continue (using regular
 * output)" keeps every item on the one output; credential settings that cannot work fail every item
 * under either, instead of passing the input items on as if they had succeeded.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { bucketParam, runNode, runSteps, type OnError } from '../support/harness';
import { credentialFor, getTarget, uniqueBucket } from '../support/target';

const target = getTarget();
const bucket = uniqueBucket('onerror');

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	for (const key of ['here-1.txt', 'here-2.txt']) {
		await runNode({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), dataSource: 'text', text: key, key });
	}
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

const getMetadata = { resource: 'object', operation: 'getMetadata', bucket: bucketParam(bucket), key: '={{ $json.key }}' };
const items: INodeExecutionData[] = [{ json: { key: 'here-1.txt' } }, { json: { key: 'missing.txt' } }, { json: { key: 'here-2.txt' } }];

async function run(onError: OnError, input = items, credential?: IDataObject) {
	return await runSteps([{ name: 'S3', onError, parameters: getMetadata }], input, credential ? { credential } : {});
}

describe('Continue (using error output)', () => {
	it('sends the failed item to the error output, with its input fields, the error and how to fix it (details), and the others to the success output', async () => {
		const result = await run('continueErrorOutput');
		expect(result.nodeError('S3')).toBeUndefined();
		const success = result.output('S3')!;
		expect(success.map((item) => [item.json.key, item.pairedItem])).toEqual([
			['here-1.txt', { item: 0 }],
			['here-2.txt', { item: 2 }],
		]);
		expect(success.every((item) => item.json.error === undefined)).toBe(true);
		const failed = result.errorOutput('S3')!;
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].json).toMatchObject({
			key: 'missing.txt',
			error: `Object "missing.txt" not found in bucket "${bucket}" [item 1]`,
			details: expect.stringMatching(/case-sensitive/),
		});
	});

	it('a node after it receives only the successes', async () => {
		const result = await runSteps(
			[
				{ name: 'S3', onError: 'continueErrorOutput', parameters: getMetadata },
				{ name: 'Then', parameters: { resource: 'object', operation: 'getTags', bucket: bucketParam(bucket), key: '={{ $json.key }}' } },
			],
			items,
		);
		expect(result.nodeError('Then')).toBeUndefined();
		expect(result.output('Then')!.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Continue (using regular output)', () => {
	it('keeps every item on the one output, the failed one as { error, description }', async () => {
		const result = await run('continueRegularOutput');
		const output = result.output('S3')!;
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.key).toBe('here-1.txt');
		expect(output[1].json).toEqual({
			error: `Object "missing.txt" not found in bucket "${bucket}" [item 1]`,
			description: expect.stringMatching(/case-sensitive/),
		});
		expect(output[2].json.key).toBe('here-2.txt');
		expect(result.errorOutput('S3')).toEqual([]);
	});

	it('the old "Continue On Fail" switch means the same', async () => {
		const result = await runSteps([{ name: 'S3', continueOnFail: true, parameters: getMetadata }], items);
		expect(result.output('S3')!.map((item) => item.json.error === undefined)).toEqual([true, false, true]);
	});
});

describe('credential settings that cannot work', () => {
	const badSettings: Array<[string, IDataObject, RegExp]> = [
		['a custom CA that is not a certificate', { customCa: 'not a certificate' }, /^"Custom CA Certificate" holds no certificate/],
		['a preset without its endpoint', { provider: 'minio', endpoint: '' }, /^The MinIO preset needs an endpoint/],
	];

	it.each(badSettings)('%s: every item goes to the error output, none passes as a success', async (_label, overrides, message) => {
		const result = await run('continueErrorOutput', items, credentialFor(target, overrides));
		expect(result.nodeError('S3')).toBeUndefined();
		expect(result.output('S3')).toEqual([]);
		const failed = result.errorOutput('S3')!;
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [index, item] of failed.entries()) {
			expect(item.json.key).toBe(items[index].json.key);
			expect(String(item.json.error)).toMatch(message);
			expect(typeof item.json.details).toBe('string');
		}
	});

	it.each(badSettings)('%s: under the regular output each item is an error item, not its input passed on', async (_label, overrides, message) => {
		const result = await run('continueRegularOutput', items, credentialFor(target, overrides));
		const output = result.output('S3')!;
		expect(output).toHaveLength(3);
		for (const item of output) {
			expect(String(item.json.error)).toMatch(message);
			expect(item.json.key).toBeUndefined();
			expect(typeof item.json.description).toBe('string');
		}
	});

	it('without a Continue setting the node stops with the settings error', async () => {
		const result = await run('stopWorkflow', items, credentialFor(target, { customCa: 'not a certificate' }));
		expect(result.nodeError('S3')?.message).toMatch(/^"Custom CA Certificate" holds no certificate/);
		expect(result.nodeError('S3')?.description).toMatch(/-----BEGIN CERTIFICATE-----/);
	});
});
