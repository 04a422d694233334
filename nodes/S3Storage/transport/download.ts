/**
 * GetObject whose body survives a cut: when the connection drops or stalls mid-body, the rest is
 * fetched again from the byte it stopped at, with If-Match on the first answer's ETag so a changed
 * object fails instead of mixing versions. Bodies whose ETag is their MD5 are verified as they pass.
 * A body that cannot be completed or verified ends in an error, never as a shorter success.
 */
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { GetObjectCommand, type GetObjectCommandInput, type GetObjectCommandOutput } from '@aws-sdk/client-s3';

import type { S3Connection } from './connection';
import { DamagedBodyError, IncompleteBodyError, type S3ErrorContext } from './errors';
import { Md5Check, md5OfEtag, quotedEtag } from './integrity';
import { backoffDelay } from './retries';

export type ObjectDownload = Omit<GetObjectCommandOutput, 'Body'> & { Body: Readable };

export async function getObject(
	connection: S3Connection,
	input: GetObjectCommandInput,
	context: S3ErrorContext,
	options: { tolerateNotFound?: boolean } = {},
): Promise<ObjectDownload | undefined> {
	const first = await connection.send(new GetObjectCommand(input), context, { tolerate: options.tolerateNotFound ? [404] : [] });
	if (!first) return undefined;
	const span = spanOf(first);
	const md5 = span.whole ? md5OfEtag(first.ETag, first, connection.resolved.isAws) : undefined;
	const body = Readable.from(resumingBody(connection, input, context, first, span, md5), { objectMode: false });
	return { ...first, ETag: quotedEtag(first.ETag), Body: body };
}

interface Span {
	/** First byte of the object this answer starts at. */
	start: number;
	/** Bytes expected in all (undefined: unknown). */
	length: number | undefined;
	/** The answer is the whole object. */
	whole: boolean;
}

function spanOf(output: GetObjectCommandOutput): Span {
	const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(output.ContentRange ?? '');
	if (range) {
		const [start, end, total] = [Number(range[1]), Number(range[2]), range[3]];
		return { start, length: end - start + 1, whole: start === 0 && total !== '*' && end + 1 === Number(total) };
	}
	return { start: 0, length: output.ContentLength, whole: true };
}

async function* resumingBody(
	connection: S3Connection,
	input: GetObjectCommandInput,
	context: S3ErrorContext,
	first: GetObjectCommandOutput,
	span: Span,
	expectedMd5: string | undefined,
): AsyncGenerator<Uint8Array> {
	const check = expectedMd5 ? new Md5Check(expectedMd5) : undefined;
	let body = first.Body as Readable | undefined;
	let received = 0;
	let failures = 0;
	for (;;) {
		const before = received;
		try {
			for await (const chunk of body ?? []) {
				received += (chunk as Uint8Array).length;
				check?.update(chunk as Uint8Array);
				yield chunk as Uint8Array;
			}
			if (span.length === undefined || received >= span.length) break;
			throw new Error('the body ended early');
		} catch (error) {
			body?.destroy();
			if (connection.cancelled) connection.fail(error, context);
			if (received > before) failures = 0;
			failures += 1;
			if (failures >= connection.maxAttempts || !first.ETag) {
				connection.fail(new IncompleteBodyError(received, span.length, failures, error), context);
			}
			await sleep(backoffDelay(failures + 1));
			const end = span.length === undefined ? '' : String(span.start + span.length - 1);
			const rest = await connection.send(
				new GetObjectCommand({ ...input, Range: `bytes=${span.start + received}-${end}`, IfMatch: first.ETag, PartNumber: undefined }),
				context,
				{ tolerate: [412] },
			);
			if (!rest) connection.fail(new IncompleteBodyError(received, span.length, failures, error, true), context);
			body = rest.Body as Readable | undefined;
		}
	}
	const actual = check?.mismatch();
	if (check && actual) connection.fail(new DamagedBodyError(check.expected, actual), context);
}
