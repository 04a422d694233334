/**
 * Write options (Upload, Upload Many, Copy, Move) read into S3 request parameters: metadata names
 * and values S3 can carry as headers, tags within S3's limits, encryption settings that belong together.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { metadataOf, placementParams, tagSetOf, tagsToObject, writeParams } from '../../nodes/S3Storage/helpers/writeOptions';

const node = { name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const context = { getNode: () => node } as unknown as IExecuteFunctions;

function failure(run: () => unknown): { message: string; description?: string } {
	try {
		run();
	} catch (error) {
		return error as { message: string; description?: string };
	}
	throw new Error('expected an error');
}

describe('metadataOf', () => {
	it('gives no metadata when no entry is given', () => {
		expect(metadataOf.call(context, 0, undefined)).toBeUndefined();
		expect(metadataOf.call(context, 0, { entries: [] })).toBeUndefined();
	});

	it('lowercases names, trims names and values', () => {
		expect(metadataOf.call(context, 0, { entries: [{ name: ' Customer-Id ', value: ' 4711 ' }, { name: 'origin', value: 'bench' }] })).toEqual({
			'customer-id': '4711',
			origin: 'bench',
		});
	});

	it('refuses a name that is not an HTTP header token', () => {
		expect(failure(() => metadataOf.call(context, 2, { entries: [{ name: 'my name', value: 'x' }] })).message).toBe('Metadata name "my name" cannot be used');
		expect(failure(() => metadataOf.call(context, 0, { entries: [{ name: '', value: 'x' }] })).message).toBe('Metadata name "" cannot be used');
	});

	it('refuses a value that is not printable ASCII, suggesting how to encode it', () => {
		const error = failure(() => metadataOf.call(context, 0, { entries: [{ name: 'city', value: 'München' }] }));
		expect(error.message).toBe('The value of metadata "city" contains characters S3 cannot store in a header');
		expect(error.description).toContain('encodeURIComponent');
	});

	it('refuses a name given twice in different case, since S3 lowercases names', () => {
		expect(failure(() => metadataOf.call(context, 0, { entries: [{ name: 'Origin', value: 'a' }, { name: 'origin', value: 'b' }] })).message).toBe(
			'Metadata "origin" is given twice',
		);
	});
});

describe('tagSetOf', () => {
	it('keeps tags as a tag set, in the order given', () => {
		expect(tagSetOf.call(context, 0, { tags: [{ key: 'project', value: 'apollo 11' }, { key: 'empty', value: '' }] })).toEqual([
			{ Key: 'project', Value: 'apollo 11' },
			{ Key: 'empty', Value: '' },
		]);
		expect(tagSetOf.call(context, 0, undefined)).toEqual([]);
	});

	it('refuses a tag without key, too long a key or value, and a key given twice', () => {
		expect(failure(() => tagSetOf.call(context, 0, { tags: [{ key: '', value: 'x' }] })).message).toBe('A tag has no key');
		expect(failure(() => tagSetOf.call(context, 0, { tags: [{ key: 'k'.repeat(129), value: '' }] })).message).toBe(`Tag "${'k'.repeat(129)}" is too long`);
		expect(failure(() => tagSetOf.call(context, 0, { tags: [{ key: 'k', value: 'v'.repeat(257) }] })).message).toBe('Tag "k" is too long');
		expect(tagSetOf.call(context, 0, { tags: [{ key: 'k'.repeat(128), value: 'v'.repeat(256) }] })).toHaveLength(1);
		expect(failure(() => tagSetOf.call(context, 0, { tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] })).message).toBe('Tag "a" is given twice');
	});

	it('allows 10 tags and refuses 11', () => {
		const tags = (count: number) => ({ tags: Array.from({ length: count }, (_, index) => ({ key: `t${index}`, value: '' })) });
		expect(tagSetOf.call(context, 0, tags(10))).toHaveLength(10);
		expect(failure(() => tagSetOf.call(context, 0, tags(11))).message).toBe('11 tags given; an object can have at most 10');
	});

	it('turns a tag set back into a plain object for output items', () => {
		expect(tagsToObject([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }])).toEqual({ a: '1', b: '' });
		expect(tagsToObject(undefined)).toEqual({});
	});
});

describe('writeParams', () => {
	it('sends nothing for options left empty', () => {
		expect(writeParams.call(context, 0, {})).toEqual({
			ACL: undefined,
			StorageClass: undefined,
			ServerSideEncryption: undefined,
			SSEKMSKeyId: undefined,
			CacheControl: undefined,
			ContentDisposition: undefined,
			Metadata: undefined,
			tags: [],
			IfNoneMatch: undefined,
		});
	});

	it('reads every option: headers trimmed, tags as a tag set, Do Not Overwrite as If-None-Match: *', () => {
		expect(
			writeParams.call(context, 0, {
				acl: 'public-read',
				storageClass: 'STANDARD_IA',
				cacheControl: ' max-age=60 ',
				contentDisposition: 'attachment',
				metadata: { entries: [{ name: 'a', value: '1' }] },
				tags: { tags: [{ key: 't', value: 'v' }] },
				doNotOverwrite: true,
			}),
		).toEqual({
			ACL: 'public-read',
			StorageClass: 'STANDARD_IA',
			ServerSideEncryption: undefined,
			SSEKMSKeyId: undefined,
			CacheControl: 'max-age=60',
			ContentDisposition: 'attachment',
			Metadata: { a: '1' },
			tags: [{ Key: 't', Value: 'v' }],
			IfNoneMatch: '*',
		});
	});

	it('sends a KMS key only with KMS encryption (a leftover key ID with SSE-S3 is ignored)', () => {
		expect(placementParams({ serverSideEncryption: 'aws:kms', kmsKeyId: ' arn:key ' })).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:key' });
		expect(placementParams({ serverSideEncryption: 'aws:kms:dsse', kmsKeyId: '' })).toMatchObject({ ServerSideEncryption: 'aws:kms:dsse', SSEKMSKeyId: undefined });
		expect(placementParams({ serverSideEncryption: 'AES256', kmsKeyId: 'arn:key' })).toMatchObject({ ServerSideEncryption: 'AES256', SSEKMSKeyId: undefined });
	});

	it('fails on bad metadata or tags before any request', () => {
		expect(failure(() => writeParams.call(context, 3, { tags: { tags: [{ key: '', value: '' }] } })).message).toBe('A tag has no key');
	});
});
