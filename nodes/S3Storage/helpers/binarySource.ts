/**
 * How a binary of an input item is read for upload, for Upload and Upload Many alike: its size
 * first (the transport needs it to choose between one PutObject and a multipart upload), its bytes
 * only when its upload starts.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { BINARY_READ_CHUNK_SIZE, LocalFile, WHOLE_READ_LIMIT } from '../transport';
import { inputBinaryField } from './binaryFields';
import { binaryStoreReader } from './binaryStoreError';

export interface BinarySource {
	size: number;
	fileName?: string;
	mimeType?: string;
	/** The bytes, as the transport takes them; call once, when the upload starts. */
	open: () => Promise<Readable | Buffer | LocalFile>;
}

/** The binary's file, when n8n keeps it on this machine's disk (filesystem mode) at the size it reports. */
async function localFileOf(this: IExecuteFunctions, binaryId: string, size: number): Promise<LocalFile | undefined> {
	try {
		const path = this.helpers.getBinaryPath(binaryId);
		const stats = await stat(path);
		return stats.isFile() && stats.size === size ? new LocalFile(path, size) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The binary in `field` of an item (a field name, or the binary itself): refused naming the field
 * when the item has none there. A field name is found under `binary` or, with the workflow setting
 * that keeps binaries in the JSON, under `json._files`. Failures of n8n's store are named as such.
 */
export async function binarySourceOf(this: IExecuteFunctions, itemIndex: number, field: string | IBinaryData): Promise<BinarySource> {
	const located = inputBinaryField(this.getInputData()[itemIndex], field);
	const binary = this.helpers.assertBinaryData(itemIndex, located);
	const described = { fileName: binary.fileName, mimeType: binary.mimeType };
	const fromStore = binaryStoreReader.call(this, binary, itemIndex);
	if (!binary.id) {
		// Kept in the item as base64. Measured by decoding and decoded again when opened, so Upload
		// Many does not hold every file of an item decoded at once.
		const size = (await this.helpers.getBinaryDataBuffer(itemIndex, located)).length;
		return { ...described, size, open: async () => await this.helpers.getBinaryDataBuffer(itemIndex, located) };
	}
	// n8n 2.x records the size on the binary; older binaries need their metadata file for it.
	const id = binary.id;
	const size = typeof binary.bytes === 'number' ? binary.bytes : (await fromStore(async () => await this.helpers.getBinaryMetadata(id))).fileSize;
	return {
		...described,
		size,
		// A small binary is read at once (cheaper than a stream, and it goes up in one PutObject
		// anyway); a large one on this disk (filesystem mode) is read part by part by the transport,
		// otherwise (another binary data backend) streamed in 1 MiB reads.
		open: async () =>
			size <= WHOLE_READ_LIMIT
				? await fromStore(async () => await this.helpers.getBinaryDataBuffer(itemIndex, located))
				: ((await localFileOf.call(this, id, size)) ?? (await fromStore(async () => await this.helpers.getBinaryStream(id, BINARY_READ_CHUNK_SIZE)))),
	};
}
