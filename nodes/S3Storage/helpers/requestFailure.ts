/** A request that failed for good, as one entry of a per-key or per-upload result. */
export interface RequestFailure {
	code: string;
	message: string;
}

/**
 * What a failed request says about each thing it was for: the S3 error code the transport put on
 * its NodeApiError (or "RequestFailed"), and its message without the item suffix, which belongs
 * to the node error rather than to one key's result.
 */
export function requestFailureOf(error: unknown): RequestFailure {
	const response = (error as { errorResponse?: { s3ErrorCode?: unknown } } | undefined)?.errorResponse;
	const code = typeof response?.s3ErrorCode === 'string' && response.s3ErrorCode ? response.s3ErrorCode : 'RequestFailed';
	const message = (error instanceof Error ? error.message : String(error)).replace(/ \[item \d+\]$/, '');
	return { code, message };
}
