/**
 * Reads from and writes to n8n's binary data store, with its failures worded once. n8n's store is
 * not ours, but its limits look like ours: in queue mode n8n keeps binaries in its database by
 * default, which holds each file whole in memory and refuses files above a size. So a failure
 * says that the store failed, in which mode, the limit that applies there, and how to move large
 * files without the store.
 */
import type { Readable } from 'node:stream';

import type { IBinaryData, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

type StoreUser = IExecuteFunctions | IPollFunctions;

/** n8n's own default for N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, in MiB. */
const DEFAULT_DATABASE_LIMIT_MIB = 512;

const WAYS_AROUND =
	'To move large files without n8n\'s binary store, use Object > Upload from URL or Object > Transfer, which stream S3-side, ' +
	'or run every n8n process in filesystem mode on one shared volume (N8N_DEFAULT_BINARY_DATA_MODE=filesystem and the same ' +
	'N8N_BINARY_DATA_STORAGE_PATH on main and every worker).';

/**
 * The mode a binary was stored in (its id starts with it), else the one n8n is configured with:
 * N8N_DEFAULT_BINARY_DATA_MODE, or n8n's default, `database` in queue mode and `filesystem` otherwise.
 */
function storeModeOf(binary?: IBinaryData, error?: unknown): string {
	const fromId = binary?.id?.split(':')[0];
	if (fromId) return fromId.replace(/-v\d+$/, '');
	if (/`database` mode/.test(messageOf(error))) return 'database';
	const configured = process.env.N8N_DEFAULT_BINARY_DATA_MODE;
	if (configured) return configured === 'default' ? 'memory' : configured;
	return process.env.EXECUTIONS_MODE === 'queue' ? 'database' : 'filesystem';
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** What limits a file in this mode, in the words of n8n's own settings. */
function limitOf(mode: string, error: unknown): string {
	switch (mode) {
		case 'database': {
			// The limit n8n enforced is in its message; otherwise the configured one.
			const enforced = /max size limit of ([\d.]+) MB/.exec(messageOf(error))?.[1];
			const configured = process.env.N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE;
			const limit = enforced ?? configured ?? String(DEFAULT_DATABASE_LIMIT_MIB);
			const origin = enforced || configured ? '' : ', n8n\'s default';
			return (
				`In database mode n8n holds each file whole in memory and refuses files larger than ` +
				`N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE (${limit} MiB${origin}; at most 1024); ` +
				'on Postgres, files of a few hundred MiB may not be readable back at all.'
			);
		}
		case 'filesystem':
			return (
				'In filesystem mode files are limited by the free space under N8N_BINARY_DATA_STORAGE_PATH, and in queue mode ' +
				'every process must see that same folder.'
			);
		case 'memory':
			return 'In this mode files are kept inside the execution data, in memory.';
		default:
			return `In ${mode} mode n8n holds each file whole in memory while it is written.`;
	}
}

function storeError(this: StoreUser, what: string, mode: string, error: unknown, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(this.getNode(), `n8n's binary data store (${mode} mode) could not ${what}: ${messageOf(error)}`, {
		itemIndex,
		description: `${limitOf(mode, error)} ${WAYS_AROUND}`,
	});
}

/**
 * Wraps the reads of one input binary through n8n's helpers (getBinaryMetadata,
 * getBinaryDataBuffer, getBinaryStream): a failure becomes the store's error for that file.
 */
export function binaryStoreReader(this: StoreUser, binary: IBinaryData, itemIndex: number) {
	return async <T>(read: () => Promise<T>): Promise<T> => {
		try {
			return await read();
		} catch (error) {
			const name = binary.fileName ? `"${binary.fileName}"` : 'the input file';
			throw storeError.call(this, `read ${name}`, storeModeOf(binary, error), error, itemIndex);
		}
	};
}

/**
 * Saves a body as an n8n binary (prepareBinaryData). A failure of the body itself (the S3
 * download, already worded by the transport as a NodeApiError) is passed on as it is; any other
 * is the store's.
 */
export async function saveToBinaryStore(
	this: StoreUser,
	body: Readable,
	fileName: string,
	mimeType: string | undefined,
	itemIndex?: number,
): Promise<IBinaryData> {
	try {
		return await this.helpers.prepareBinaryData(body, fileName, mimeType);
	} catch (error) {
		body.destroy();
		throw error instanceof NodeApiError ? error : storeError.call(this, `save "${fileName}"`, storeModeOf(undefined, error), error, itemIndex);
	}
}
