/** Sizes and limits of S3 itself and this package's defaults, named once. */

export const CREDENTIAL_TYPE = 's3StorageApi';
/** Object > Transfer's second credential: n8n lets a node name each credential type once. */
export const DESTINATION_CREDENTIAL_TYPE = 's3StorageDestinationApi';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** S3 allows at most this many parts in one multipart upload. */
export const MAX_PARTS = 10_000;
/** S3's smallest part (all but the last). */
export const MIN_PART_SIZE = 5 * MiB;
/** The largest object one CopyObject may copy; larger ones are copied part by part. */
export const MAX_COPY_OBJECT_SIZE = 5 * GiB;
/** S3's limit on keys per DeleteObjects request. */
export const DELETE_BATCH_SIZE = 1000;

export const DEFAULT_PART_SIZE = 8 * MiB;
export const DEFAULT_QUEUE_SIZE = 4;
export const DEFAULT_COPY_PART_SIZE = 512 * MiB;
/**
 * Read size for large binaries streamed from n8n's store (`getBinaryStream(id, chunkSize)`). n8n's
 * default, 64 KiB, costs a read and a buffer per 64 KiB; 1 MiB reads cut the CPU spent assembling
 * parts about threefold, which on a small machine is upload throughput. Every read allocates a
 * buffer of this size, so small files must not be streamed with it: see WHOLE_READ_LIMIT.
 */
export const BINARY_READ_CHUNK_SIZE = MiB;
/**
 * Binaries up to this size are read from n8n's store in one go rather than streamed: for a 4 KiB
 * file a stream costs 2-3x the CPU of one read (over 10x with 1 MiB reads), and a body this small
 * goes up in a single PutObject, held in memory whole either way.
 */
export const WHOLE_READ_LIMIT = DEFAULT_PART_SIZE;

/** The part size for `size` bytes: at least the wanted size and S3's minimum, and large enough for 10,000 parts. */
export function partSizeFor(size: number, wanted: number, max = Infinity): number {
	return Math.min(Math.max(wanted, MIN_PART_SIZE, Math.ceil(size / MAX_PARTS)), max);
}
