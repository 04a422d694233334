/**
 * Reading and refusing webhook requests: only messages the trigger can authenticate start the
 * workflow, and secrets are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** The request's JSON: n8n keeps the raw body (SNS sends JSON as text/plain, which is not parsed). */
export function bodyOf(context: IWebhookFunctions): unknown {
	const raw = (context.getRequestObject() as { rawBody?: Buffer }).rawBody;
	if (raw && raw.length > 0) {
		try {
			return JSON.parse(raw.toString('utf8'));
		} catch {
			return undefined;
		}
	}
	return context.getBodyData();
}

export function refuse(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).send(message).end();
	return { noWebhookResponse: true };
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value).digest();
}

export function sameSecret(given: unknown, expected: string | undefined): boolean {
	return typeof given === 'string' && !!expected && timingSafeEqual(digest(given), digest(expected));
}

/** MinIO sends the target's token as "Bearer TOKEN" (or as it is, when the token has a scheme). */
export function targetTokenMatches(header: string | undefined, token: string): boolean {
	if (!token || !header) return false;
	return sameSecret(header, `Bearer ${token}`) || sameSecret(header, token);
}
