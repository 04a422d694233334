import { createHash } from 'node:crypto';

import { md5OfEtag, Md5Check, quotedEtag } from '../../nodes/S3Storage/transport/integrity';
import { backoffDelay, retryStrategy } from '../../nodes/S3Storage/transport/retries';

describe('retries', () => {
	it('wait 0.5 s doubling up to 20 s, half of it jittered', () => {
		const ceilings = [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000];
		ceilings.forEach((ceiling, index) => {
			for (let sample = 0; sample < 50; sample++) {
				const delay = backoffDelay(index + 2);
				expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
				expect(delay).toBeLessThanOrEqual(ceiling);
			}
		});
	});

	it('retry a damaged body (BadDigest, HTTP 400) like a dropped connection, but not a refusal', async () => {
		const strategy = retryStrategy(3);
		const token = await strategy.acquireInitialRetryToken('s3');
		const badDigest = Object.assign(new Error('BadDigest'), { name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
		const retried = await strategy.refreshRetryTokenForRetry(token, { errorType: 'CLIENT_ERROR', error: badDigest } as never);
		expect(retried.getRetryCount()).toBe(1);
		const denied = Object.assign(new Error('AccessDenied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
		await expect(strategy.refreshRetryTokenForRetry(retried, { errorType: 'CLIENT_ERROR', error: denied } as never)).rejects.toThrow(
			/No retry token/,
		);
	});

	it('stop after Max Attempts', async () => {
		const strategy = retryStrategy(2);
		const token = await strategy.acquireInitialRetryToken('s3');
		const slowDown = { errorType: 'THROTTLING', error: Object.assign(new Error('SlowDown'), { name: 'SlowDown' }) } as never;
		const second = await strategy.refreshRetryTokenForRetry(token, slowDown);
		await expect(strategy.refreshRetryTokenForRetry(second, slowDown)).rejects.toThrow(/No retry token/);
	});
});

describe('integrity', () => {
	const md5 = createHash('md5').update('hello').digest('hex');

	it('takes an ETag for an MD5 only where it is one', () => {
		expect(md5OfEtag(`"${md5}"`, {}, false)).toBe(md5);
		expect(md5OfEtag(`"${md5}-3"`, {}, false)).toBeUndefined(); // multipart
		expect(md5OfEtag(`"${md5}"`, { ServerSideEncryption: 'aws:kms' }, true)).toBeUndefined();
		expect(md5OfEtag(`"${md5}"`, { SSECustomerAlgorithm: 'AES256' }, true)).toBeUndefined();
		expect(md5OfEtag(`"${md5}"`, { ServerSideEncryption: 'AES256' }, true)).toBe(md5); // AWS SSE-S3 keeps the MD5
		expect(md5OfEtag(`"${md5}"`, { ServerSideEncryption: 'AES256' }, false)).toBeUndefined(); // others may not
		expect(md5OfEtag(undefined, {}, false)).toBeUndefined();
	});

	it('notices a flipped byte', () => {
		const intact = new Md5Check(md5);
		intact.update(Buffer.from('hel'));
		intact.update(Buffer.from('lo'));
		expect(intact.mismatch()).toBeUndefined();
		const damaged = new Md5Check(md5);
		damaged.update(Buffer.from('hellp'));
		expect(damaged.mismatch()).toMatch(/^[0-9a-f]{32}$/);
	});

	it('writes ETags one way: quoted, and none for an empty one', () => {
		expect(quotedEtag('abc')).toBe('"abc"');
		expect(quotedEtag('"abc"')).toBe('"abc"');
		expect(quotedEtag('')).toBeUndefined();
		expect(quotedEtag('""')).toBeUndefined();
		expect(quotedEtag(undefined)).toBeUndefined();
	});
});
