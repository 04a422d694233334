/**
 * Node versions: version 2 asks for presigned expiry in seconds and sizes in bytes everywhere;
 * a saved version-1 workflow keeps its minutes and MiB fields and still runs with them. Version 3
 * picks keys and folders from a list; saved version-1 and -2 workflows keep their text keys.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject, INode, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';
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

it('new nodes are version 3; versions 1 and 2 are still known', () => {
	const description = new S3Storage().description;
	expect(description.version).toEqual([1, 2, 3]);
	expect(description.defaultVersion).toBe(3);
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

describe('Keys and folders: text in versions 1 and 2, pickers from version 3', () => {
	const picked = (mode: string, value: string): INodeParameterResourceLocator => ({ __rl: true, mode, value });
	type KeyField = string | INodeParameterResourceLocator;
	const stored = async (key: string) => (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();

	beforeAll(async () => {
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'hello' }));
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/c/d.txt', Body: 'deeper' }));
	});

	const read = (key: KeyField) => ({ resource: 'object', operation: 'read', key });
	const copy = (key: KeyField, destinationKey: string) => ({ resource: 'object', operation: 'copy', key, destinationKey });
	const folderList = (folder: KeyField) => ({ resource: 'folder', operation: 'getMany', folder, returnAll: true });

	it.each([1, 2])('a saved version-%i workflow with text keys still runs Read, Copy and Folder Get Many', async (typeVersion) => {
		const reading = await runAt(typeVersion, read('a/b.txt'));
		expect(reading.error).toBeUndefined();
		expect(reading.items[0].json).toMatchObject({ key: 'a/b.txt', objectData: 'hello' });

		const copying = await runAt(typeVersion, copy('a/b.txt', `copies/v${typeVersion}.txt`));
		expect(copying.error).toBeUndefined();
		expect(copying.items[0].json).toMatchObject({ sourceKey: 'a/b.txt', key: `copies/v${typeVersion}.txt` });
		expect(await stored(`copies/v${typeVersion}.txt`)).toBe('hello');

		const listing = await runAt(typeVersion, folderList('a'));
		expect(listing.error).toBeUndefined();
		expect(listing.items.map((item) => [item.json.type, item.json.key])).toEqual([
			['file', 'a/b.txt'],
			['folder', 'a/c/'],
		]);
	});

	it.each([
		['picked from the list', 'list', 'list'],
		['typed', 'key', 'path'],
	])('version 3 with the key and folder %s runs Read, Copy and Folder Get Many', async (_how, keyMode, folderMode) => {
		const reading = await runAt(3, read(picked(keyMode, 'a/b.txt')));
		expect(reading.error).toBeUndefined();
		expect(reading.items[0].json).toMatchObject({ key: 'a/b.txt', objectData: 'hello' });

		const copying = await runAt(3, copy(picked(keyMode, 'a/b.txt'), `copies/v3-${keyMode}.txt`));
		expect(copying.error).toBeUndefined();
		expect(copying.items[0].json).toMatchObject({ sourceKey: 'a/b.txt', key: `copies/v3-${keyMode}.txt` });
		expect(await stored(`copies/v3-${keyMode}.txt`)).toBe('hello');

		const listing = await runAt(3, folderList(picked(folderMode, 'a/')));
		expect(listing.error).toBeUndefined();
		expect(listing.items.map((item) => [item.json.type, item.json.key])).toEqual([
			['file', 'a/b.txt'],
			['folder', 'a/c/'],
		]);
	});

	it('version 3 takes an expression in the picker, per item', async () => {
		const run = await runSteps(
			[{ name: 'S3', typeVersion: 3, parameters: { bucket: bucketParam(bucket), ...read(picked('key', '={{ $json.path }}')) } }],
			[{ json: { path: 'a/b.txt' } }, { json: { path: 'a/c/d.txt' } }],
		);
		expect(run.nodeError('S3')).toBeUndefined();
		expect(run.output('S3')?.map((item) => item.json.objectData)).toEqual(['hello', 'deeper']);
	});

	it('version 3 also runs with a plain text key (a workflow written by hand or by an agent)', async () => {
		const reading = await runAt(3, read('a/b.txt'));
		expect(reading.error).toBeUndefined();
		expect(reading.items[0].json.objectData).toBe('hello');
	});

	it('version 3 refuses a picker an expression left empty, as version 2 refuses an empty key, naming the field', async () => {
		const { error } = await runAt(3, read(picked('key', '={{ "" }}')));
		expect(error?.message).toBe('No object key given');
		expect(error?.description).toMatch(/Fill in "Key"/);
	});

	it('n8n keeps a saved text key as text in versions 1 and 2, and gives version 3 a picker', () => {
		/** A new node's parameters as the editor fills them in (defaults included). */
		const asNew = (parameters: INodeParameters) => {
			const description = new S3Storage().description;
			const node = { id: 'n', name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 3, position: [0, 0], parameters } as INode;
			return NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description);
		};
		expect(asLoaded(1, read('a/b.txt'))?.key).toBe('a/b.txt');
		expect(asLoaded(2, read('a/b.txt'))?.key).toBe('a/b.txt');
		expect(asLoaded(2, folderList('a'))?.folder).toBe('a');
		expect(asNew({ resource: 'object', operation: 'read' })?.key).toEqual({ __rl: true, mode: 'list', value: '' });
		expect(asNew({ resource: 'folder', operation: 'create' })?.folder).toEqual({ __rl: true, mode: 'path', value: '' });
		expect(asLoaded(3, read(picked('key', 'a/b.txt')))?.key).toEqual(picked('key', 'a/b.txt'));
	});

	it('every picker has a text twin of the same name for versions 1 and 2, alike but for the version', () => {
		const properties = new S3Storage().description.properties;
		const pickers = properties.filter((field) => field.type === 'resourceLocator' && field.name !== 'bucket' && field.name !== 'destinationBucket');
		expect(pickers.length).toBeGreaterThan(15);
		for (const picker of pickers) {
			const { '@version': pickerVersions, ...pickerShow } = picker.displayOptions?.show ?? {};
			expect(pickerVersions).toEqual([{ _cnd: { gte: 3 } }]);
			const twins = properties.filter((field) => {
				const { '@version': versions, ...show } = field.displayOptions?.show ?? {};
				return field.name === picker.name && field.type === 'string' && JSON.stringify(versions) === '[1,2]' && JSON.stringify(show) === JSON.stringify(pickerShow);
			});
			expect(twins).toHaveLength(1);
			expect(twins[0]).toMatchObject({ displayName: picker.displayName, required: picker.required, description: picker.description });
			expect(picker.modes?.map((mode) => mode.name)).toEqual(['list', picker.name === 'key' ? 'key' : 'path']);
		}
	});
});
