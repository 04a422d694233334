import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';

import { getClient } from '../../nodes/S3Storage/transport/client';
import { credentialFor, getTarget } from './target';

export interface ListRequest {
	prefix?: string;
	maxKeys?: number;
	/** Keys and folders the server returned. */
	listed: number;
}

/**
 * Records the ListObjectsV2 requests the node sends through its own (cached) client, with what
 * each asked for and how many entries came back. Call `stop()` when done.
 */
export function recordListRequests(): { requests: ListRequest[]; stop: () => void } {
	const requests: ListRequest[] = [];
	const name = `recordListRequests${Math.random()}`;
	const stack = getClient(credentialFor(getTarget())).client.middlewareStack;
	stack.add(
		(next, context) => async (args) => {
			const result = await next(args);
			if (context.commandName === 'ListObjectsV2Command') {
				const input = args.input as ListObjectsV2CommandInput;
				const output = result.output as ListObjectsV2CommandOutput;
				requests.push({
					prefix: input.Prefix,
					maxKeys: input.MaxKeys,
					listed: (output.Contents?.length ?? 0) + (output.CommonPrefixes?.length ?? 0),
				});
			}
			return result;
		},
		{ step: 'initialize', name },
	);
	return { requests, stop: () => void stack.remove(name) };
}
