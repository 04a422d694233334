/**
 * What a model gets from Read in tool mode: at most TOOL_TEXT_LIMIT characters, and a next range
 * that starts exactly at the first byte not shown, whatever the encoding; errors worded as instructions.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { contentForTool, spanOfAnswer, TOOL_TEXT_LIMIT, toolError } from '../../nodes/S3Storage/helpers/toolMode';

const text = (data: Buffer, encoding: BufferEncoding = 'utf8', start = 0, total?: number) =>
	contentForTool(data, { readAs: 'text', encoding, start, total, canAskRange: true });

/** Reads the whole object the way a model would: call after call with the range it was given. */
function readAll(object: Buffer, encoding: BufferEncoding, readAs: 'text' | 'base64' = 'text'): string[] {
	const pieces: string[] = [];
	let start = 0;
	for (let calls = 0; calls < 50; calls++) {
		const data = object.subarray(start, start + TOOL_TEXT_LIMIT * 3 + 4);
		const result = contentForTool(data, { readAs, encoding, start, total: object.length, canAskRange: true });
		pieces.push(result.content as string);
		if (!result.truncated) return pieces;
		start = Number(/^bytes=(\d+)-$/.exec(result.nextRange!)![1]);
	}
	throw new Error('did not finish');
}

describe('Read content for a model', () => {
	it('gives a short text whole and says it was not cut', () => {
		expect(text(Buffer.from('Grüße ✓'))).toEqual({ content: 'Grüße ✓', range: 'bytes=0-10', truncated: false });
	});

	it(`cuts at ${TOOL_TEXT_LIMIT} characters and names the object's size and the range that reads on`, () => {
		const object = Buffer.from('a'.repeat(25_000));
		const result = text(object.subarray(0, 20_004), 'utf8', 0, object.length);
		expect((result.content as string).length).toBe(TOOL_TEXT_LIMIT);
		expect(result).toMatchObject({ truncated: true, range: 'bytes=0-19999', nextRange: 'bytes=20000-' });
		expect(result.note).toBe(
			'Content cut to 20,000 characters (bytes 0-19999 of an object of 25,000 bytes, 24.4 KiB). To read on, call this tool again with the range "bytes=20000-".',
		);
	});

	it.each<[string, string, BufferEncoding]>([
		['2-byte UTF-8', 'ü'.repeat(45_001), 'utf8'],
		['3-byte UTF-8', '✓'.repeat(30_001), 'utf8'],
		['4-byte UTF-8 (surrogate pairs, never split)', 'a🚀'.repeat(15_001), 'utf8'],
		['UTF-16LE', 'Ωmega '.repeat(8_000), 'utf16le'],
		['Latin-1', 'Grüße '.repeat(9_000), 'latin1'],
	])('%s: the pieces read range by range join to the whole text', (_label, whole, encoding) => {
		const pieces = readAll(Buffer.from(whole, encoding), encoding);
		expect(pieces.length).toBeGreaterThan(1);
		for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(TOOL_TEXT_LIMIT);
		expect(pieces.join('')).toBe(whole);
	});

	it('base64 pieces decode back to the bytes', () => {
		const object = Buffer.from(Array.from({ length: 40_000 }, (_, i) => i % 256));
		const pieces = readAll(object, 'utf8', 'base64');
		expect(Buffer.concat(pieces.map((piece) => Buffer.from(piece, 'base64')))).toEqual(object);
	});

	it('gives JSON too long to give whole as cut text, saying why it is not parsed', () => {
		const json = JSON.stringify({ list: 'x'.repeat(30_000) });
		const result = contentForTool(Buffer.from(json).subarray(0, 20_004), { readAs: 'json', encoding: 'utf8', start: 0, total: json.length, canAskRange: true });
		expect(result.content).toBe(json.slice(0, TOOL_TEXT_LIMIT));
		expect(result.note).toContain('not parsed');
	});

	it('without a range parameter, says the tool cannot read on', () => {
		const result = contentForTool(Buffer.from('a'.repeat(20_004)), { readAs: 'text', encoding: 'utf8', start: 0, total: 30_000, canAskRange: false });
		expect(result.note).toContain('This tool takes no range');
	});

	it('reads the first byte and total size from a ranged or whole answer', () => {
		expect(spanOfAnswer('bytes 20000-25393/25394', 5394)).toEqual({ start: 20000, total: 25394 });
		expect(spanOfAnswer(undefined, 75)).toEqual({ start: 0, total: 75 });
	});
});

describe('errors for a model', () => {
	const node = { name: 'Read object', type: 'n8n-nodes-s3-storage.s3StorageTool', typeVersion: 2, parameters: {} } as unknown as INode;
	const context = { getNode: () => node } as unknown as IExecuteFunctions;
	const apiError = (message: string, description: string, httpCode: string) => {
		const error = new NodeApiError(node, { message }, { message, description, httpCode });
		error.message = message;
		return error;
	};

	it('a missing key: what happened, then what to do, without the item number', () => {
		const error = toolError.call(context, apiError('Object "a.txt" not found in bucket "b" [item 0]', 'Check the key.', '404'));
		expect(error.message).toBe(
			'Object "a.txt" not found in bucket "b". What to do: Check the key: keys are case-sensitive and include the folder prefix. List the objects under the prefix to find the exact key, then call again with it.',
		);
	});

	it('a refused credential: says retrying will not help', () => {
		const error = toolError.call(context, apiError('Access denied: the credential may not read object "a" [item 0]', 'Grant s3:GetObject.', '403'));
		expect(error.message).toMatch(/^Access denied: .*\. What to do: Retrying will not help/);
	});

	it('any other failure keeps its own description as the instruction', () => {
		const error = toolError.call(context, Object.assign(new Error('"x" is not a byte range [item 0]'), { description: 'Give the first and last byte, e.g. "bytes=0-99".' }));
		expect(error.message).toBe('"x" is not a byte range. What to do: Give the first and last byte, e.g. "bytes=0-99".');
	});
});
