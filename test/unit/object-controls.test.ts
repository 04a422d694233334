/**
 * Object controls without a server: reading an ACL's grants from JSON (what Get ACL outputs fits),
 * the retain-until date check, and the shape of an ACL in output items.
 */
import type { INode } from 'n8n-workflow';

import { aclToJson, grantsOf, retainUntilOf } from '../../nodes/S3Storage/helpers/objectControls';

const node = { name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const FIELD = 'Grants (JSON)';
const allUsersRead = { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' };

describe('grants', () => {
	it('a list of grants, as text or as a list from an expression, is read as S3 grants', () => {
		const owner = { Grantee: { Type: 'CanonicalUser', ID: 'abc', DisplayName: 'Me' }, Permission: 'FULL_CONTROL' };
		const expected = [
			{ Grantee: { Type: 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' },
			allUsersRead,
		];
		expect(grantsOf(node, JSON.stringify([owner, allUsersRead]), FIELD, 0)).toEqual(expected);
		expect(grantsOf(node, [owner, allUsersRead], FIELD, 0)).toEqual(expected);
	});

	it('Get ACL\'s whole output item fits: its grants are taken', () => {
		const item = aclToJson({ ID: 'abc', DisplayName: 'Me' }, [allUsersRead as never]);
		expect(grantsOf(node, { bucket: 'b', key: 'k', ...item }, FIELD, 0)).toEqual([allUsersRead]);
	});

	it('an empty list is allowed (no grants at all)', () => {
		expect(grantsOf(node, '[]', FIELD, 0)).toEqual([]);
	});

	it.each([
		['{', /^The "Grants \(JSON\)" of item 2 is not valid JSON/],
		['', 'The "Grants (JSON)" of item 2 is empty'],
		['"READ"', 'The "Grants (JSON)" of item 2 is a string, not a list of grants'],
		['[1]', 'Grant 1 in "Grants (JSON)" of item 2 has no "Grantee" object'],
		['[{"Grantee":{"Type":"Group","URI":"u"},"Permission":"read"}]', 'Grant 1 in "Grants (JSON)" of item 2 has the permission "read"'],
		['[{"Grantee":{"Type":"User","ID":"x"},"Permission":"READ"}]', 'Grant 1 in "Grants (JSON)" of item 2 has the grantee type "User"'],
		['[{"Grantee":{"Type":"Group"},"Permission":"READ"}]', 'Grant 1 in "Grants (JSON)" of item 2 has no "URI" for its Group grantee'],
		['[{"Grantee":{"Type":"AmazonCustomerByEmail","EmailAddress":" "},"Permission":"READ"}]', 'Grant 1 in "Grants (JSON)" of item 2 has no "EmailAddress" for its AmazonCustomerByEmail grantee'],
	])('%s is refused naming the field and the item', (value, message) => {
		expect(() => grantsOf(node, value, FIELD, 2)).toThrow(message);
	});
});

describe('retain until', () => {
	const now = Date.parse('2026-12-04T12:00:00Z');

	it('a future date as text, a Date or a Luxon-like DateTime is taken', () => {
		expect(retainUntilOf(node, '2027-01-01T00:00:00Z', 'Retain Until', 0, now).toISOString()).toBe('2027-01-01T00:00:00.000Z');
		expect(retainUntilOf(node, new Date('2027-01-01T00:00:00Z'), 'Retain Until', 0, now).toISOString()).toBe('2027-01-01T00:00:00.000Z');
		expect(retainUntilOf(node, { toISO: () => '2027-01-01T00:00:00.000Z' }, 'Retain Until', 0, now).toISOString()).toBe('2027-01-01T00:00:00.000Z');
	});

	it.each([
		['2026-12-04T12:00:00Z', 'The "Retain Until" of item 1 (2026-12-04T12:00:00.000Z) is not in the future'],
		['soon', 'The "Retain Until" of item 1 is "soon", not a date'],
		['', 'The "Retain Until" of item 1 is "", not a date'],
		[42, 'The "Retain Until" of item 1 is a number, not a date'],
	])('%p is refused naming the field', (value, message) => {
		expect(() => retainUntilOf(node, value, 'Retain Until', 1, now)).toThrow(message);
	});
});

describe('ACL output', () => {
	it('owner and grants, without the empty fields servers add', () => {
		expect(
			aclToJson({ ID: 'abc', DisplayName: '' }, [{ Grantee: { Type: 'CanonicalUser', ID: 'abc', DisplayName: undefined, URI: '' }, Permission: 'FULL_CONTROL' }]),
		).toEqual({ owner: { ID: 'abc' }, grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' }] });
		expect(aclToJson(undefined, undefined)).toEqual({ owner: null, grants: [] });
	});
});
