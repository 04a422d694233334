/**
 * Customer-provided encryption keys (SSE-C): the one place a key field becomes S3 request
 * parameters. The client's ssec middleware (@aws-sdk/middleware-ssec) does the rest on every
 * request that carries them: a string that is standard base64 of 32 bytes is sent as it is, any
 * other string is taken as raw UTF-8 and base64-encoded, and the key's MD5 header is computed from
 * the raw bytes. So only the key's shape is checked here, and no message ever repeats the key.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** AES-256, the only algorithm S3 defines for customer keys. */
const ALGORITHM = 'AES256';
const KEY_BYTES = 32;

export interface CustomerKeyParams {
	SSECustomerAlgorithm?: string;
	SSECustomerKey?: string;
}

export interface CopySourceCustomerKeyParams {
	CopySourceSSECustomerAlgorithm?: string;
	CopySourceSSECustomerKey?: string;
}

/**
 * The key as the middleware recognises it: base64 (standard or URL-safe, padding optional) of
 * 32 bytes becomes canonical standard base64; 32 bytes of raw text stay as they are.
 */
export function customerKeyOf(node: INode, value: unknown, field: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') {
		throw new NodeOperationError(node, `The "${field}" of item ${itemIndex} is not text`, {
			itemIndex,
			description: 'Give the key as text: 44 characters of base64 (32 bytes), or exactly 32 characters.',
		});
	}
	const trimmed = value.trim();
	if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
		const bytes = Buffer.from(trimmed, 'base64');
		if (bytes.length === KEY_BYTES) return bytes.toString('base64');
	}
	if (Buffer.byteLength(value, 'utf8') === KEY_BYTES) return value;
	// The message says only the length: the key itself must never appear in an error.
	throw new NodeOperationError(node, `The "${field}" of item ${itemIndex} is not a 256-bit key (${Buffer.byteLength(value, 'utf8')} bytes given)`, {
		itemIndex,
		description:
			'A customer-provided key is 32 bytes: give it as base64 (44 characters, e.g. the output of "openssl rand -base64 32") or as exactly 32 plain ASCII characters.',
	});
}

/** SSECustomer* parameters for a request on an object encrypted (or to be encrypted) with the key; none without one. */
export function customerKeyParams(node: INode, value: unknown, field: string, itemIndex: number): CustomerKeyParams {
	const key = customerKeyOf(node, value, field, itemIndex);
	return key ? { SSECustomerAlgorithm: ALGORITHM, SSECustomerKey: key } : {};
}

/** CopySourceSSECustomer* parameters: the key the source object of a copy is encrypted with. */
export function copySourceCustomerKeyParams(node: INode, value: unknown, field: string, itemIndex: number): CopySourceCustomerKeyParams {
	const key = customerKeyOf(node, value, field, itemIndex);
	return key ? { CopySourceSSECustomerAlgorithm: ALGORITHM, CopySourceSSECustomerKey: key } : {};
}
