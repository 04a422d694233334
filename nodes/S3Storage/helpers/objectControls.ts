/**
 * Object controls (ACL, retention, legal hold): reading what a field holds, checking it before any
 * request so bad input is refused naming the field, and giving the server's answer back in the
 * shape the matching Set operation accepts.
 */
import type { Grant, Owner, Permission, Type } from '@aws-sdk/client-s3';
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jsonFieldValue } from './bucketConfiguration';
import { requestFailureOf } from './requestFailure';
import { describeType } from './utils';

/** The error codes with which servers say "this object has no retention / legal hold" (S3; Ceph RGW). */
const NO_LOCK_CONFIGURATION = ['NoSuchObjectLockConfiguration', 'ObjectLockConfigurationNotFoundError'];

/**
 * Runs a Get Retention / Get Legal Hold request whose "none set" answer is a result: resolves to
 * undefined for it; every other failure (no such object, access denied) stays an error.
 */
export async function unlessNoLock<T>(request: Promise<T>): Promise<T | undefined> {
	// The failure is the transport's NodeApiError already; it is passed on as it is.
	return await request.catch(async (error: unknown) =>
		NO_LOCK_CONFIGURATION.includes(requestFailureOf(error).code) ? undefined : await Promise.reject(error),
	);
}

export const GRANT_PERMISSIONS = ['FULL_CONTROL', 'READ', 'READ_ACP', 'WRITE', 'WRITE_ACP'] as const;
const GRANTEE_TYPES = ['CanonicalUser', 'Group', 'AmazonCustomerByEmail'] as const;
export const GRANTS_EXAMPLE =
	'[{ "Grantee": { "Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers" }, "Permission": "READ" }]';

function refuse(node: INode, itemIndex: number, message: string, description: string): never {
	throw new NodeOperationError(node, message, { itemIndex, description });
}

const isPlainObject = (value: unknown): value is IDataObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A grants list as Get ACL outputs it; each grant checked, so a typo is refused naming the field and the grant. */
export function grantsOf(node: INode, value: unknown, field: string, itemIndex: number): Grant[] {
	const parsed = jsonFieldValue(node, value, field, itemIndex, GRANTS_EXAMPLE);
	const list = isPlainObject(parsed) && Array.isArray(parsed.grants) ? parsed.grants : parsed;
	const fix = `Give a list of grants, e.g. ${GRANTS_EXAMPLE}. The "grants" of Get ACL fit here.`;
	if (!Array.isArray(list)) {
		refuse(node, itemIndex, `The "${field}" of item ${itemIndex} is ${describeType(list)}, not a list of grants`, fix);
	}
	return list.map((grant: unknown, index) => {
		const where = `Grant ${index + 1} in "${field}" of item ${itemIndex}`;
		if (!isPlainObject(grant) || !isPlainObject(grant.Grantee)) {
			refuse(node, itemIndex, `${where} has no "Grantee" object`, fix);
		}
		const permission = String(grant.Permission ?? '');
		if (!(GRANT_PERMISSIONS as readonly string[]).includes(permission)) {
			refuse(node, itemIndex, `${where} has the permission "${permission}"`, `"Permission" is one of ${GRANT_PERMISSIONS.join(', ')}.`);
		}
		const grantee = grant.Grantee;
		const type = String(grantee.Type ?? '');
		if (!(GRANTEE_TYPES as readonly string[]).includes(type)) {
			refuse(node, itemIndex, `${where} has the grantee type "${type}"`, `"Grantee"."Type" is one of ${GRANTEE_TYPES.join(', ')}.`);
		}
		const needs = type === 'CanonicalUser' ? 'ID' : type === 'Group' ? 'URI' : 'EmailAddress';
		if (typeof grantee[needs] !== 'string' || (grantee[needs] as string).trim() === '') {
			refuse(node, itemIndex, `${where} has no "${needs}" for its ${type} grantee`, fix);
		}
		return {
			Grantee: { Type: type as Type, [needs]: grantee[needs] as string },
			Permission: permission as Permission,
		};
	});
}

/** An ACL for output: owner and grants, keyed as Set ACL's grants field takes them. */
export function aclToJson(owner: Owner | undefined, grants: Grant[] | undefined): IDataObject {
	return {
		owner: owner ? ({ ...(owner.ID ? { ID: owner.ID } : {}), ...(owner.DisplayName ? { DisplayName: owner.DisplayName } : {}) } as IDataObject) : null,
		grants: (grants ?? []).map((grant) => {
			const grantee = Object.fromEntries(Object.entries(grant.Grantee ?? {}).filter(([, value]) => value !== undefined && value !== ''));
			return { Grantee: grantee, Permission: grant.Permission ?? '' } as IDataObject;
		}),
	};
}

/**
 * A retain-until date from a date field (text or a date an expression gives), refused naming the
 * field when it is not a date or not in the future: S3 refuses a past date, and a lock is not undone.
 */
export function retainUntilOf(node: INode, value: unknown, field: string, itemIndex: number, now = Date.now()): Date {
	const date =
		value instanceof Date
			? value
			: typeof value === 'string' && value.trim() !== ''
				? new Date(value.trim())
				: typeof (value as { toISO?: unknown })?.toISO === 'function'
					? new Date((value as { toISO: () => string }).toISO())
					: undefined;
	if (!date || Number.isNaN(date.getTime())) {
		const shown = typeof value === 'string' ? `"${value}"` : describeType(value);
		refuse(node, itemIndex, `The "${field}" of item ${itemIndex} is ${shown}, not a date`, `Set "${field}" to a date and time, e.g. 2030-01-31T00:00:00Z.`);
	}
	if (date.getTime() <= now) {
		refuse(
			node,
			itemIndex,
			`The "${field}" of item ${itemIndex} (${date.toISOString()}) is not in the future`,
			`Retention keeps an object until a later date; set "${field}" after now.`,
		);
	}
	return date;
}
