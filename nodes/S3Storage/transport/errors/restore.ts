/** Object > Restore's refusals in words: an object that is not archived, a server without archives. */

/** The `action` of a Restore request's context. */
export const RESTORE_ACTION = 'restore';

/**
 * Refusals of Object > Restore: an object that is not archived (S3: 403 InvalidObjectState) and a
 * server without archive storage classes (Ceph RGW 16 answers 501 NotImplemented, for any key).
 */
export function describeRestoreRefusal(code: string, httpStatus: number | undefined, subject: string): { message: string; description: string } | undefined {
	if (code === 'InvalidObjectState') {
		return {
			message: `Could not restore ${subject}: this object is not in an archive storage class; it can be read directly (${code}, HTTP ${httpStatus ?? 403})`,
			description:
				'Only objects in archive storage classes (on Amazon S3: GLACIER, DEEP_ARCHIVE, and the archive tiers of INTELLIGENT_TIERING) need a restore. Read or download this object as it is; Object > Get Metadata shows its storage class.',
		};
	}
	if (code === 'NotImplemented' || code === 'MethodNotAllowed' || httpStatus === 501 || httpStatus === 405) {
		return {
			message: `Could not restore ${subject}: this server does not support restoring archived objects (${code}, HTTP ${httpStatus ?? 501})`,
			description:
				'Restore is for objects in archive storage classes, such as Amazon S3\'s Glacier classes. This server has no such class (Ceph RGW before version 18, for example, answers every restore this way), so its objects need no restore: read or download them directly.',
		};
	}
	return undefined;
}
