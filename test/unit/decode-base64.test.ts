/**
 * decodeBase64 (Upload's and Upload Many's Base64 data): standard and URL-safe base64, data URLs
 * giving the content type, and bad input refused with where it goes wrong.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { decodeBase64 } from '../../nodes/S3Storage/helpers/objectData';

const node = { name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const context = { getNode: () => node } as unknown as IExecuteFunctions;
const decode = (value: unknown, itemIndex = 0) => decodeBase64.call(context, value, itemIndex, 'The base64 data');

function failure(value: unknown): string {
	try {
		decode(value);
	} catch (error) {
		return (error as Error).message;
	}
	throw new Error('expected an error');
}

describe('decodeBase64', () => {
	it('decodes standard base64, with or without padding, ignoring line breaks', () => {
		expect(decode('aGVsbG8gd29ybGQ=').data.toString()).toBe('hello world');
		expect(decode('aGVsbG8gd29ybGQ').data.toString()).toBe('hello world');
		expect(decode('aGVsbG8g\nd29ybGQ=\n').data.toString()).toBe('hello world');
		expect(decode('').data).toHaveLength(0);
	});

	it('decodes URL-safe base64 to the same bytes as standard', () => {
		const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x3e]);
		expect(decode(bytes.toString('base64')).data).toEqual(bytes);
		expect(decode(bytes.toString('base64url')).data).toEqual(bytes);
	});

	it('takes the content type from a data URL and gives none without one', () => {
		expect(decode('data:image/png;base64,iVBORw==')).toEqual({ data: Buffer.from('iVBORw==', 'base64'), mimeType: 'image/png' });
		expect(decode('aGk=').mimeType).toBeUndefined();
	});

	it('refuses characters outside base64, naming the first and its position', () => {
		expect(failure('aGVs*G8=')).toBe('The base64 data of item 0 is not valid base64: character "*" at position 5 is not a base64 character');
	});

	it('refuses mixed alphabets, padding in the middle, truncated text and padding that does not fit', () => {
		expect(failure('ab+/cd-_')).toBe('The base64 data of item 0 is not valid base64: it mixes the standard (+/) and URL-safe (-_) alphabets');
		expect(failure('aG=VsbG8')).toBe('The base64 data of item 0 is not valid base64: "=" padding may only appear at the end, at most twice');
		expect(failure('aGVsb')).toBe('The base64 data of item 0 is not valid base64: its length is not a valid base64 length (it looks truncated)');
		expect(failure('aGVsbA=')).toBe('The base64 data of item 0 is not valid base64: the padding does not match the length');
	});

	it('refuses a value that is not text, naming its type', () => {
		expect(failure(42)).toBe('The base64 data of item 0 is not base64 text (it is a number)');
		expect(failure({ data: 'aGk=' })).toBe('The base64 data of item 0 is not base64 text (it is an object)');
	});
});
