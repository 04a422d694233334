import { definedOnly, sharedText } from '../../nodes/S3Storage/helpers/listingItems';
import { listingEntries } from '../../nodes/S3Storage/helpers/utils';

describe('listing output items', () => {
	it('keeps an item json as it is when every field is set, and drops undefined fields in order otherwise', () => {
		const full = { key: 'a.txt', size: 1, lastModified: '2026-12-04T10:00:00.000Z', etag: '"x"', storageClass: 'STANDARD' };
		expect(definedOnly(full)).toBe(full);
		const partial = definedOnly({ key: 'a.txt', size: undefined, lastModified: '2026-12-04T10:00:00.000Z', etag: undefined, storageClass: 'STANDARD' });
		expect(Object.keys(partial)).toEqual(['key', 'lastModified', 'storageClass']);
		expect(partial).toEqual({ key: 'a.txt', lastModified: '2026-12-04T10:00:00.000Z', storageClass: 'STANDARD' });
	});

	it('gives back the same storage class text it is given, undefined included', () => {
		expect(sharedText('STANDARD')).toBe('STANDARD');
		expect(sharedText(['STAN', 'DARD'].join(''))).toBe('STANDARD');
		expect(sharedText('GLACIER')).toBe('GLACIER');
		expect(sharedText(undefined)).toBeUndefined();
		// past the shared set's size, values still come back unchanged
		for (let i = 0; i < 100; i++) expect(sharedText(`CLASS_${i}`)).toBe(`CLASS_${i}`);
	});

	it('merges a page of objects and folders in key order, objects first on an equal key', () => {
		const entries = listingEntries({
			Contents: [{ Key: 'a.txt' }, { Key: 'c/' }, { Key: 'd.txt' }],
			CommonPrefixes: [{ Prefix: 'b/' }, { Prefix: 'c/' }],
		});
		expect(entries.map((entry) => `${entry.folder ? 'folder' : 'object'} ${entry.key}`)).toEqual([
			'object a.txt',
			'folder b/',
			'object c/',
			'folder c/',
			'object d.txt',
		]);
	});
});
