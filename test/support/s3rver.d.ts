/** Types for s3rver.js (plain JavaScript so tools/demo.js, the benchmark and globalSetup run it with node). */
export interface S3rverInstance {
	endpoint: string;
	region: string;
	accessKeyId: string;
	secretAccessKey: string;
	forcePathStyle: true;
	/** Its name in the compatibility records (S3_TEST_SERVER). */
	server: 's3rver';
	pid: number | undefined;
	directory: string;
	/** Stops the server and removes its directory. */
	stop(): Promise<void>;
}

export function startS3rver(options?: { silent?: boolean }): Promise<S3rverInstance>;
