/**
 * The only layer that talks to S3. Operations describe what they want through an S3Connection;
 * this folder owns the client, deadlines and retries, paging, multipart transfers, resumable
 * downloads, integrity checks, and turning every failure into a NodeApiError.
 *   connection.ts  send (with tolerated statuses), listing, batch delete, getConnection
 *   upload.ts / copy.ts / download.ts / multipart.ts / presign.ts / transfer.ts   one kind of transfer each
 *   httpSource.ts  outside HTTP(S) sources (Upload from URL)
 *   custom.ts      Custom API Call: any request the user describes, through the same client (xmlAnswer.ts: XML as JSON)
 *   requestSigning.ts  the credential's `authenticate` (SigV4 for n8n's HTTP Request node)
 *   client.ts / retries.ts / integrity.ts / providers.ts / auth   how requests are made and signed
 *   errors         one vocabulary for failures;  pool.ts  the one bounded-concurrency loop
 */
export * from './constants';
export { getConnection, S3Connection, type BatchDeleteResult, type ObjectIdentifier, type SendOptions, type ToleratedStatus } from './connection';
export { copySourceOf, type CopyDestinationSettings, type CopySourceEncryption, type CopyParams, type CopyResult, type CopyTuning } from './copy';
export { type ObjectDownload } from './download';
export { CustomerKeyIgnoredError, DamagedBodyError, describeS3Error, HttpSourceError, IncompleteBodyError, RESTORE_ACTION, toNodeApiError, type S3ErrorContext } from './errors';
export {
	DEFAULT_MAX_REDIRECTS,
	DEFAULT_SOURCE_IDLE_TIMEOUT_MS,
	httpUrlOf,
	readWhole,
	redactUrl,
	type HttpSource,
	type HttpSourceAuth,
	type HttpSourceRequest,
} from './httpSource';
export { quotedEtag } from './integrity';
export { runPool } from './pool';
export { LocalFile, type UploadParams, type UploadResult, type UploadTuning } from './upload';
export { canCopyServerSide, transferObject, type TransferParams, type TransferResult, type TransferTuning } from './transfer';
export * as notifications from './notifications';
export {
	answerKindOf,
	CUSTOM_ANSWER_MEMORY_LIMIT,
	readCustomAnswer,
	sendCustomRequest,
	xmlToJson,
	type AnswerKind,
	type CustomAnswer,
	type CustomBody,
	type CustomMethod,
	type CustomRequest,
} from './custom';
