/**
 * "From List" of the version-3 key and folder pickers, as n8n's editor runs it (a LoadOptionsContext
 * over the node being edited): a level at a time under what was typed, folders before objects,
 * page after page with the continuation token, in the bucket chosen in the node.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { INodeListSearchItems } from 'n8n-workflow';

import { LIST_SEARCH_PAGE_SIZE } from '../../nodes/S3Storage/methods/listSearch';
import { bucketParam, runNode, searchList } from '../support/harness';
import { capabilities, credentialFor, rawClient, uniqueBucket } from '../support/target';

const caps = capabilities();
const client = rawClient();
/** "e/" holds only the folder "e/f/" (s3rver does not list such a folder). */
const folderOfFolders = caps.listsFoldersOfFolders ? ['e/'] : [];
const bucket = uniqueBucket('picker');
/** More than one page of objects in one folder. */
const MANY = LIST_SEARCH_PAGE_SIZE + 20;
const manyKeys = Array.from({ length: MANY }, (_, index) => `many/k${String(index).padStart(4, '0')}.txt`);

beforeAll(async () => {
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
	const keys = ['a.txt', 'z.txt', 'b/', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'd/4.txt', 'e/f/5.txt', ...manyKeys];
	let next = 0;
	await Promise.all(
		Array.from({ length: 16 }, async () => {
			while (next < keys.length) {
				const key = keys[next++];
				await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key.endsWith('/') ? '' : key }));
			}
		}),
	);
}, 120_000);

afterAll(async () => {
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
}, 120_000);

const values = (results: INodeListSearchItems[]) => results.map((item) => item.value);
const readParameters = (bucketValue: object | string = bucketParam(bucket)) => ({ resource: 'object', operation: 'read', bucket: bucketValue });

describe('object keys (searchObjectKeys)', () => {
	it('at the top of the bucket: folders first, then objects, one level deep', async () => {
		const { results, paginationToken } = await searchList('searchObjectKeys', readParameters());
		expect(values(results)).toEqual(['b/', 'd/', ...folderOfFolders, 'many/', 'a.txt', 'z.txt']);
		expect(paginationToken).toBeUndefined();
		expect(results[0]).toMatchObject({ name: 'b/', value: 'b/' });
		expect(results.find((item) => item.value === 'a.txt')).toEqual({ name: 'a.txt', value: 'a.txt' });
	});

	it('typing a folder\'s path browses into it (its own marker object is not listed)', async () => {
		const { results } = await searchList('searchObjectKeys', readParameters(), { filter: 'b/' });
		expect(values(results)).toEqual(['b/c/', 'b/1.txt', 'b/2.txt']);
	});

	it('what is typed narrows by prefix', async () => {
		expect(values((await searchList('searchObjectKeys', readParameters(), { filter: 'b/1' })).results)).toEqual(['b/1.txt']);
		expect(values((await searchList('searchObjectKeys', readParameters(), { filter: 'd' })).results)).toEqual(['d/']);
		expect((await searchList('searchObjectKeys', readParameters(), { filter: 'nothing-here' })).results).toEqual([]);
	});

	it('pages through a long folder with the continuation token, each key once and in order', async () => {
		const first = await searchList('searchObjectKeys', readParameters(), { filter: 'many/' });
		expect(first.results).toHaveLength(LIST_SEARCH_PAGE_SIZE);
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await searchList('searchObjectKeys', readParameters(), { filter: 'many/', paginationToken: first.paginationToken });
		expect(second.paginationToken).toBeUndefined();
		expect([...values(first.results), ...values(second.results)]).toEqual(manyKeys);
	});

	it('uses the bucket chosen from the list, as well as one typed by name', async () => {
		const fromList = await searchList('searchObjectKeys', readParameters({ __rl: true, mode: 'list', value: bucket }), { filter: 'd/' });
		expect(values(fromList.results)).toEqual(['d/4.txt']);
	});

	it('with the bucket left empty, lists the credential\'s default bucket', async () => {
		const { results } = await searchList('searchObjectKeys', readParameters({ __rl: true, mode: 'list', value: '' }), {
			filter: 'd/',
			credential: credentialFor(undefined, { defaultBucket: bucket }),
		});
		expect(values(results)).toEqual(['d/4.txt']);
	});

	it('a bucket given by an expression cannot be listed; the message says what to do', async () => {
		await expect(searchList('searchObjectKeys', readParameters({ __rl: true, mode: 'name', value: '={{ $json.bucket }}' }))).rejects.toThrow(
			'The bucket is an expression, so there is nothing to list yet',
		);
	});

	it('with no bucket at all, says to choose one', async () => {
		await expect(searchList('searchObjectKeys', readParameters({ __rl: true, mode: 'list', value: '' }))).rejects.toThrow('No bucket given');
	});
});

describe('folders (searchFolders)', () => {
	const getManyParameters = { resource: 'folder', operation: 'getMany', bucket: bucketParam(bucket) };

	it('lists only folders, a level at a time under what was typed', async () => {
		expect(values((await searchList('searchFolders', getManyParameters, { path: 'parameters.folder' })).results)).toEqual(['b/', 'd/', ...folderOfFolders, 'many/']);
		expect(values((await searchList('searchFolders', getManyParameters, { filter: 'b/' })).results)).toEqual(['b/c/']);
		expect(values((await searchList('searchFolders', getManyParameters, { filter: 'd' })).results)).toEqual(['d/']);
	});

	(caps.listsFoldersOfFolders ? it : it.skip)('a folder holding only folders is listed, and browsing into it shows them', async () => {
		expect(values((await searchList('searchFolders', getManyParameters, { filter: 'e' })).results)).toEqual(['e/']);
		expect(values((await searchList('searchFolders', getManyParameters, { filter: 'e/' })).results)).toEqual(['e/f/']);
		expect(values((await searchList('searchObjectKeys', readParameters(), { filter: 'e/f/' })).results)).toEqual(['e/f/5.txt']);
	});

	it('a folder holding only objects gives an empty list, not an endless one', async () => {
		const { results, paginationToken } = await searchList('searchFolders', getManyParameters, { filter: 'many/' });
		expect(results).toEqual([]);
		expect(paginationToken).toBeUndefined();
	});
});
