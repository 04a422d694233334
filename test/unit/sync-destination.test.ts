/**
 * Folder > Sync to another credential, the parts that need no server: when n8n asks for the
 * destination credential (its slot is shown and required only where it is used, so saved syncs keep
 * running with one credential), and when two listed objects count as changed across accounts.
 */
import type { _Object } from '@aws-sdk/client-s3';
import { NodeHelpers, type INode, type INodeParameters } from 'n8n-workflow';

import { changeOf } from '../../nodes/S3Storage/helpers/folderSync';
import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';

const description = new S3Storage().description;
const slot = description.credentials!.find((credential) => credential.name === 's3StorageDestinationApi')!;

/** Whether n8n shows (and requires) the destination credential for parameters saved as `saved`, defaults filled as the engine fills them. */
function asksForDestination(saved: INodeParameters): boolean {
	const node = { typeVersion: 2 } as INode;
	const parameters = NodeHelpers.getNodeParameters(description.properties, saved, true, false, node, description)!;
	return NodeHelpers.displayParameter(parameters, slot, node, description, parameters);
}

describe('the destination credential slot', () => {
	it('is asked for by Object > Transfer', () => {
		expect(asksForDestination({ resource: 'object', operation: 'transfer' })).toBe(true);
	});

	it('is not asked for by a Sync saved before it existed, nor by one set to "Same as Source"', () => {
		expect(asksForDestination({ resource: 'folder', operation: 'sync' })).toBe(false);
		expect(asksForDestination({ resource: 'folder', operation: 'sync', destinationConnection: 'sameCredential' })).toBe(false);
	});

	it('is asked for by a Sync set to "Destination Credential"', () => {
		expect(asksForDestination({ resource: 'folder', operation: 'sync', destinationConnection: 'destinationCredential' })).toBe(true);
	});

	it('is not asked for by any other operation', () => {
		for (const [resource, operation] of [
			['object', 'copy'],
			['folder', 'getMany'],
			['bucket', 'getMany'],
		]) {
			expect(asksForDestination({ resource, operation })).toBe(false);
		}
	});
});

describe('what counts as changed', () => {
	const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
	const object = (etag: string, size: number, modified = at(0)): _Object => ({ ETag: etag, Size: size, LastModified: modified });
	const md5a = '"0cc175b9c0f1b6a831c399e269772661"';
	const md5b = '"92eb5ffee6ae2fec3ad71c777531578f"';

	it('by size and date: a size difference, or a destination older than the source', () => {
		expect(changeOf(object(md5a, 1), object(md5a, 2), 'sizeAndModified')).toBe('size differs');
		expect(changeOf(object(md5a, 1, at(5)), object(md5a, 1, at(1)), 'sizeAndModified')).toBe('source is newer');
		// A copy written later (as every copy to another account is) is up to date.
		expect(changeOf(object(md5a, 1, at(1)), object('"f00-2"', 1, at(5)), 'sizeAndModified')).toBeUndefined();
	});

	it('by ETag only when both are plain MD5 ETags, whatever their case', () => {
		expect(changeOf(object(md5a, 1), object(md5b, 1), 'etag')).toBe('ETag differs');
		expect(changeOf(object(md5a, 1), object(md5a.toUpperCase(), 1), 'etag')).toBeUndefined();
	});

	it('by size alone when either ETag is not a content hash (multipart, or another store\'s form)', () => {
		const multipart = '"d41d8cd98f00b204e9800998ecf8427e-3"';
		expect(changeOf(object(md5a, 10), object(multipart, 10), 'etag')).toBeUndefined();
		expect(changeOf(object(md5a, 10), object(multipart, 11), 'etag')).toBe('size differs');
		expect(changeOf(object('"CKih16GjycICEAE="', 10), object(md5a, 10), 'etag')).toBeUndefined();
	});
});
