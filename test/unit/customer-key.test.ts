/**
 * Customer-provided keys (SSE-C) without a server: the shapes the key field takes, and how the
 * error vocabulary words the answers servers give to a missing or wrong key (Ceph RGW's and Amazon
 * S3's wordings, and a HEAD's bare 400), a copy refused with keys, and an ignored key.
 */
import type { INode } from 'n8n-workflow';

import { copySourceCustomerKeyParams, customerKeyOf, customerKeyParams } from '../../nodes/S3Storage/helpers/customerKey';
import { CustomerKeyIgnoredError, describeS3Error, type S3ErrorContext } from '../../nodes/S3Storage/transport/errors';

const node = { name: 'S3', type: 's3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const RAW = 'abcdefghijklmnopqrstuvwxyz012345';
const BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));

describe('the key field', () => {
	it('takes 32 raw characters as they are, and base64 of 32 bytes in canonical standard base64', () => {
		expect(customerKeyOf(node, RAW, 'Customer Key', 0)).toBe(RAW);
		expect(customerKeyOf(node, BYTES.toString('base64'), 'Customer Key', 0)).toBe(BYTES.toString('base64'));
		expect(customerKeyOf(node, ` ${BYTES.toString('base64url')}\n`, 'Customer Key', 0)).toBe(BYTES.toString('base64'));
		expect(customerKeyOf(node, '', 'Customer Key', 0)).toBeUndefined();
		expect(customerKeyOf(node, undefined, 'Customer Key', 0)).toBeUndefined();
	});

	it('refuses other lengths and types, naming the byte count but never the key', () => {
		for (const bad of ['short', `${RAW}x`, BYTES.subarray(0, 31).toString('base64'), 'ü'.repeat(16) + 'x']) {
			let error: Error | undefined;
			try {
				customerKeyOf(node, bad, 'Customer Key', 2);
			} catch (caught) {
				error = caught as Error;
			}
			expect(error?.message).toMatch(/^The "Customer Key" of item 2 is not a 256-bit key \(\d+ bytes given\)$/);
			expect(`${error?.message} ${(error as { description?: string }).description}`).not.toContain(bad);
		}
		expect(() => customerKeyOf(node, 42, 'Customer Key', 0)).toThrow(/is not text/);
	});

	it('gives SSECustomer* for the object and CopySourceSSECustomer* for a copy\'s source; nothing without a key', () => {
		expect(customerKeyParams(node, RAW, 'Customer Key', 0)).toEqual({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: RAW });
		expect(copySourceCustomerKeyParams(node, RAW, 'Source Customer Key', 0)).toEqual({ CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: RAW });
		expect(customerKeyParams(node, '', 'Customer Key', 0)).toEqual({});
	});
});

function answer(name: string, status: number, message = 'UnknownError', code: string | undefined = name) {
	return Object.assign(new Error(message), { name, Code: code, $metadata: { httpStatusCode: status, requestId: 'tx1' } });
}

const read = (customerKey: boolean | undefined): S3ErrorContext => ({ action: 'read', bucket: 'b', key: 'k', customerKey });

describe('wording', () => {
	const rgwMissing = answer('InvalidArgument', 400, 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.');
	const rgwWrong = answer('InvalidArgument', 400, 'The calculated MD5 hash of the key did not match the hash that was provided.');
	const awsMissing = answer('InvalidRequest', 400, 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
	const bareHead = answer('Unknown', 400, 'UnknownError', undefined);

	it.each([
		['Ceph RGW, no key', rgwMissing, false, 'CustomerKeyRequired'],
		['Amazon S3, no key', awsMissing, false, 'CustomerKeyRequired'],
		['a HEAD, no key', bareHead, false, 'CustomerKeyRequired'],
		['Ceph RGW, wrong key', rgwWrong, true, 'CustomerKeyMismatch'],
		['a HEAD, wrong key', bareHead, true, 'CustomerKeyMismatch'],
	])('%s', (_label, error, given, code) => {
		const described = describeS3Error(error, read(given));
		expect(described.code).toBe(code);
		expect(described.message).toMatch(
			code === 'CustomerKeyRequired'
				? /^Object "k" in bucket "b" is encrypted with a customer-provided key \(SSE-C\): give the same key in Options > Customer Key$/
				: /^The customer key given does not open object "k" in bucket "b"/,
		);
	});

	it('leaves other failures alone, and operations without a key field keep their old words', () => {
		expect(describeS3Error(answer('NoSuchKey', 404), read(true)).code).toBe('NoSuchKey');
		expect(describeS3Error(answer('InvalidArgument', 400, 'Invalid storage class'), read(false)).code).toBe('InvalidArgument');
		expect(describeS3Error(bareHead, read(undefined)).code).not.toMatch(/CustomerKey/);
	});

	it('a copy refused with keys, and a key the server ignored', () => {
		const copy = describeS3Error(answer('NotImplemented', 501), { action: 'copy to', bucket: 'b', key: 'k', customerKey: true });
		expect(copy.message).toMatch(/cannot copy objects encrypted with a customer-provided key \(SSE-C\), or into one \(NotImplemented, HTTP 501\)/);
		expect(describeS3Error(answer('NotImplemented', 501), { action: 'copy to', bucket: 'b', key: 'k' }).message).not.toMatch(/customer/);
		const ignored = describeS3Error(new CustomerKeyIgnoredError(), { action: 'upload', bucket: 'b', key: 'k' });
		expect(ignored.code).toBe('CustomerKeyIgnored');
		expect(ignored.message).toMatch(/probably not encrypted with it/);
	});

	it('a 412 after If-Match says the object changed since that ETag; without it, the overwrite wording stays', () => {
		const changed = describeS3Error(answer('PreconditionFailed', 412), { action: 'upload', bucket: 'b', key: 'k', ifMatch: '"e1"' });
		expect(changed.message).toBe('Object "k" in bucket "b" changed since ETag "e1" was read (or was deleted): nothing was written');
		expect(describeS3Error(answer('PreconditionFailed', 412), { action: 'upload', bucket: 'b', key: 'k' }).message).toMatch(/already exists/);
	});
});
