/**
 * Restoring archived objects: what S3's `x-amz-restore` header says about a restore, and the one
 * refusal of a Restore request that is a result rather than a failure.
 */
import type { IDataObject } from 'n8n-workflow';

import { requestFailureOf } from './requestFailure';

/** A restore as Get Metadata shows it. */
export interface RestoreStatus {
	/** True while the archive is being read; false once the temporary copy is there. */
	inProgress: boolean;
	/** When the temporary copy is removed again (ISO 8601); only once it is there. */
	expiresAt?: string;
}

/**
 * Reads the `x-amz-restore` header: `ongoing-request="true"` while a restore runs,
 * `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"` once the copy is readable.
 * Undefined when the header is absent or does not say whether a restore is ongoing.
 */
export function parseRestoreHeader(header: string | undefined): RestoreStatus | undefined {
	if (!header) return undefined;
	const fields = new Map<string, string>();
	for (const match of header.matchAll(/([A-Za-z-]+)\s*=\s*"([^"]*)"/g)) fields.set(match[1].toLowerCase(), match[2]);
	const ongoing = fields.get('ongoing-request')?.toLowerCase();
	if (ongoing !== 'true' && ongoing !== 'false') return undefined;
	const expiry = fields.get('expiry-date');
	const expiresAt = expiry && !Number.isNaN(Date.parse(expiry)) ? new Date(expiry).toISOString() : undefined;
	return { inProgress: ongoing === 'true', ...(expiresAt ? { expiresAt } : {}) };
}

/**
 * Get Metadata's restore fields when the object was ever asked to be restored: `restore`, S3's
 * header text as earlier versions gave it (saved workflows may read it), and `restoreStatus`, the
 * same read out; `archiveStatus` (Intelligent-Tiering's archive tiers). Nothing for an object that
 * is not archived.
 */
export function restoreFieldsOf(head: { Restore?: string; ArchiveStatus?: string }): IDataObject {
	const status = parseRestoreHeader(head.Restore);
	return {
		...(head.Restore ? { restore: head.Restore } : {}),
		...(status ? { restoreStatus: { ...status } } : {}),
		...(head.ArchiveStatus ? { archiveStatus: head.ArchiveStatus } : {}),
	};
}

/** The code with which S3 answers a Restore while an earlier one for the same object still runs (HTTP 409). */
const RESTORE_IN_PROGRESS = 'RestoreAlreadyInProgress';

/**
 * Runs a Restore request whose "already in progress" answer is a result: resolves to 'inProgress'
 * for it; every other failure stays an error.
 */
export async function unlessRestoreInProgress<T>(request: Promise<T>): Promise<T | 'inProgress'> {
	// The failure is the transport's NodeApiError already; it is passed on as it is.
	return await request.catch(async (error: unknown) =>
		requestFailureOf(error).code === RESTORE_IN_PROGRESS ? ('inProgress' as const) : await Promise.reject(error),
	);
}
