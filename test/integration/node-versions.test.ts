/**
 * Node versions: version 2 asks for presigned expiry in seconds and sizes in bytes everywhere;
 * a saved version-1 workflow keeps its minutes and MiB fields and still runs with them.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import { bucketParam, runNode, runSteps } from '../support/harness';
import { rawClient, uniqueBucket } from '../support/target';

const bucket = uniqueBucket('versions');
const client = rawClient();
const content = 'x'.repeat(20_000);

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'twenty-kb.txt', Body: content }));
});

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

/** Runs one S3 Storage node saved at this version; returns its output or its error. */
async function runAt(typeVersion: number, parameters: IDataObject) {
	const run = await runSteps([{ name: 'S3', typeVersion, parameters: { bucket: bucketParam(bucket), ...parameters } }]);
	return { items: run.output('S3') ?? [], error: run.nodeError('S3') };
}

/** The parameters n8n keeps when it loads a saved node of this version (it drops fields the version does not have). */
function asLoaded(typeVersion: number, parameters: INodeParameters) {
	const description = new S3Storage().description;
	const node = { id: 'n', name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion, position: [0, 0], parameters } as INode;
	return NodeHelpers.getNodeParameters(description.properties, parameters, false, false, node, description);
}

function expectExpiry(item: IDataObject, before: number, seconds: number) {
	expect(item.presignedUrl).toMatch(new RegExp(`X-Amz-Expires=${seconds}(&|$)`));
	const expiresAt = Date.parse(item.presignedUrlExpiresAt as string);
	expect(expiresAt - before).toBeGreaterThanOrEqual(seconds * 1000 - 1000);
	expect(expiresAt - before).toBeLessThan(seconds * 1000 + 5000);
}

it('new nodes are version 2; version 1 is still known', () => {
	const description = new S3Storage().description;
	expect(description.version).toEqual([1, 2]);
	expect(description.defaultVersion).toBe(2);
});

describe('Object > Get Many presigned expiry', () => {
	const listing = (options: IDataObject) => ({ resource: 'object', operation: 'getMany', returnAll: true, options: { includePresignedUrl: true, ...options } });

	it('a saved version-1 workflow still reads its expiry in minutes', async () => {
		const before = Date.now();
		const { items, error } = await runAt(1, listing({ presignExpiryMinutes: 15 }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expectExpiry(items[0].json, before, 15 * 60);
	});

	it('version 2 takes the expiry in seconds, like Get Presigned URL, and the link works', async () => {
		const before = Date.now();
		const { items, error } = await runAt(2, listing({ presignedUrlExpiresIn: 90 }));
		expect(error).toBeUndefined();
		expectExpiry(items[0].json, before, 90);
		const response = await fetch(items[0].json.presignedUrl as string);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe(content);
	});

	it('version 2 defaults to one hour', async () => {
		const before = Date.now();
		const { items } = await runAt(2, listing({}));
		expectExpiry(items[0].json, before, 3600);
	});

	it('version 2 refuses a fraction of a second, naming the field', async () => {
		const { error } = await runAt(2, listing({ presignedUrlExpiresIn: 0.5 }));
		expect(error?.message).toMatch(/"Presigned URL Expires In \(Seconds\)".*0\.5/);
	});

	it('n8n keeps each version\'s own expiry field when it loads a saved workflow', () => {
		const saved = { resource: 'object', operation: 'getMany', options: { includePresignedUrl: true, presignExpiryMinutes: 15, presignedUrlExpiresIn: 900 } };
		expect(asLoaded(1, saved)?.options).toEqual({ includePresignedUrl: true, presignExpiryMinutes: 15 });
		expect(asLoaded(2, saved)?.options).toEqual({ includePresignedUrl: true, presignedUrlExpiresIn: 900 });
	});
});

describe('Object > Read max size', () => {
	const reading = (options: IDataObject) => ({ resource: 'object', operation: 'read', key: 'twenty-kb.txt', options });

	it('a saved version-1 workflow still reads Max Size in MiB', async () => {
		// 0.01 MiB = 10,485 bytes: less than the 20,000-byte object.
		const refused = await runAt(1, reading({ maxSizeMiB: 0.01 }));
		expect(refused.error?.message).toMatch(/^Object "twenty-kb.txt" is .*, more than the .* Read allows$/);
		const read = await runAt(1, reading({ maxSizeMiB: 0.02 }));
		expect(read.error).toBeUndefined();
		expect(read.items[0].json.objectData).toBe(content);
	});

	it('version 2 takes Max Size in bytes, exact to the byte', async () => {
		const refused = await runAt(2, reading({ maxSize: 19_999 }));
		expect(refused.error?.message).toBe('Object "twenty-kb.txt" is 20,000 bytes, more than the 19,999 bytes Read allows');
		const read = await runAt(2, reading({ maxSize: 20_000 }));
		expect(read.error).toBeUndefined();
		expect(read.items[0].json).toMatchObject({ size: 20_000, objectData: content });
	});

	it('n8n keeps each version\'s own Max Size when it loads a saved workflow', () => {
		const saved = { resource: 'object', operation: 'read', key: 'k', options: { maxSizeMiB: 1, maxSize: 1000 } };
		expect(asLoaded(1, saved)?.options).toEqual({ maxSizeMiB: 1 });
		expect(asLoaded(2, saved)?.options).toEqual({ maxSize: 1000 });
	});
});

it('Copy\'s Keep/Replace choice is "Metadata Handling", apart from the name/value "New Metadata"; its saved name is unchanged', () => {
	const fields = new S3Storage().description.properties.filter((field) => field.displayOptions?.show?.operation?.includes('copy'));
	const handling = fields.find((field) => field.name === 'metadataDirective');
	expect(handling?.displayName).toBe('Metadata Handling');
	expect(fields.filter((field) => field.displayName === 'Metadata')).toEqual([]);
	const saved = { resource: 'object', operation: 'copy', metadataDirective: 'replace' };
	expect(asLoaded(1, saved)?.metadataDirective).toBe('replace');
	expect(asLoaded(2, saved)?.metadataDirective).toBe('replace');
});
