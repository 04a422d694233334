/**
 * What Get Metadata makes of S3's x-amz-restore header (and ArchiveStatus): a restore in progress,
 * a restored copy and when it expires, nothing for an object that was never archived.
 */
import { parseRestoreHeader, restoreFieldsOf } from '../../nodes/S3Storage/helpers/restore';

describe('the x-amz-restore header', () => {
	it('a restore still running', () => {
		expect(parseRestoreHeader('ongoing-request="true"')).toEqual({ inProgress: true });
	});

	it('a restored copy, with the date it is removed again, as ISO 8601', () => {
		expect(parseRestoreHeader('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"')).toEqual({
			inProgress: false,
			expiresAt: '2012-12-21T00:00:00.000Z',
		});
	});

	it('spacing, case and extra fields do not matter', () => {
		expect(parseRestoreHeader('Ongoing-Request = "FALSE",expiry-date="Wed, 07 Jan 2026 00:00:00 GMT", restore-request-date="Mon, 05 Jan 2026 10:00:00 GMT"')).toEqual({
			inProgress: false,
			expiresAt: '2026-01-07T00:00:00.000Z',
		});
	});

	it('an unreadable expiry date is left out rather than guessed', () => {
		expect(parseRestoreHeader('ongoing-request="false", expiry-date="someday"')).toEqual({ inProgress: false });
	});

	it.each([undefined, '', 'garbage', 'expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"', 'ongoing-request="maybe"'])('%j gives nothing', (header) => {
		expect(parseRestoreHeader(header)).toBeUndefined();
	});
});

describe("Get Metadata's restore fields", () => {
	it('an object that is not archived has neither restore nor archiveStatus', () => {
		expect(restoreFieldsOf({})).toEqual({});
	});

	it('a restored object, and an Intelligent-Tiering object in an archive tier', () => {
		const restored = 'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"';
		expect(restoreFieldsOf({ Restore: restored })).toEqual({
			restore: restored,
			restoreStatus: { inProgress: false, expiresAt: '2012-12-21T00:00:00.000Z' },
		});
		expect(restoreFieldsOf({ Restore: 'ongoing-request="true"', ArchiveStatus: 'DEEP_ARCHIVE_ACCESS' })).toEqual({
			restore: 'ongoing-request="true"',
			restoreStatus: { inProgress: true },
			archiveStatus: 'DEEP_ARCHIVE_ACCESS',
		});
	});

	it('keeps `restore` as the header text earlier versions gave, so saved expressions still read it', () => {
		expect(typeof restoreFieldsOf({ Restore: 'ongoing-request="true"' }).restore).toBe('string');
	});
});
