/** A failure in words: what happened (message) and how to fix it (description), free of secrets. */
export interface DescribedError {
	code: string;
	httpStatus?: number;
	message: string;
	description: string;
}

/** What the AWS SDK's errors (S3, STS, credential providers) may carry; every field is optional. */
export interface SdkErrorShape {
	name?: string;
	message?: string;
	code?: string;
	Code?: string;
	$metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
	$fault?: string;
	/** Hidden field of the SDK's errors: the raw answer (status, headers). */
	$response?: { statusCode?: number; headers?: Record<string, string | undefined> };
	cause?: unknown;
}
