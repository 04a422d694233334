/** Pieces shared by the operations that read one object: byte ranges, bounded reads. */
import type { Readable } from 'node:stream';

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A Range header from "bytes=0-99", "0-99", "500-" or "-100"; undefined when empty. */
export function byteRangeOf(this: IExecuteFunctions, value: string | undefined, itemIndex: number): string | undefined {
	const text = (value ?? '').replace(/\s+/g, '');
	if (text === '') return undefined;
	const match = /^(?:bytes=)?(\d+-\d*|-\d+)$/i.exec(text);
	const [start, end] = match ? match[1].split('-') : [];
	if (!match || (start !== '' && end !== '' && Number(end) < Number(start))) {
		throw new NodeOperationError(this.getNode(), `"${value}" is not a byte range`, {
			itemIndex,
			description: 'Give the first and last byte (counting from 0), e.g. "bytes=0-99" or "0-99"; "500-" reads from byte 500 to the end, "-100" the last 100 bytes.',
		});
	}
	return `bytes=${match[1]}`;
}

/** Reads a response body into memory, but never more than `maxBytes` (then `undefined`). */
export async function readAtMost(body: Readable, maxBytes: number): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of body) {
		total += (chunk as Buffer).length;
		if (total > maxBytes) {
			body.destroy();
			return undefined;
		}
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** "12.3 MiB"-style sizes for messages. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	const units = ['KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = -1;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${Number(value.toFixed(value < 10 ? 2 : 1))} ${units[unit]}`;
}
