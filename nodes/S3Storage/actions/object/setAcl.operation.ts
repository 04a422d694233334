import { GetObjectAclCommand, PutObjectAclCommand, type ObjectCannedACL } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { aclToJson, GRANTS_EXAMPLE, grantsOf } from '../../helpers/objectControls';
import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const GRANTS_FIELD = 'Grants (JSON)';
const CANNED_ACLS = [
	'authenticated-read',
	'aws-exec-read',
	'bucket-owner-full-control',
	'bucket-owner-read',
	'private',
	'public-read',
	'public-read-write',
] as const;

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	{
		displayName: 'ACL',
		name: 'acl',
		type: 'options',
		default: 'private',
		description: 'Who may access the object. Replaces the object\'s whole ACL. Many stores (and new AWS buckets) only allow Private.',
		options: [
			{ name: 'Authenticated Read', value: 'authenticated-read', description: 'The owner may do anything; any signed-in user may read' },
			{ name: 'Bucket Owner Full Control', value: 'bucket-owner-full-control', description: 'The object owner and the bucket owner may do anything' },
			{ name: 'Bucket Owner Read', value: 'bucket-owner-read', description: 'The owner may do anything; the bucket owner may read' },
			{ name: 'Custom Grants', value: 'grants', description: 'Exactly the grants given as JSON' },
			{ name: 'Exec Read', value: 'aws-exec-read', description: 'The owner may do anything; the provider\'s virtual machine service may read (machine image bundles)' },
			{ name: 'Private', value: 'private', description: 'Only the owner may access it' },
			{ name: 'Public Read', value: 'public-read', description: 'Anyone, without credentials, may read it' },
			{ name: 'Public Read Write', value: 'public-read-write', description: 'Anyone may read and write it' },
		],
	},
	{
		displayName: GRANTS_FIELD,
		name: 'grants',
		type: 'json',
		default: '[]',
		required: true,
		displayOptions: { show: { acl: ['grants'] } },
		description: `The object's grants, replacing all it has; the owner stays. The "grants" of Get ACL fit here. Example: ${GRANTS_EXAMPLE}`,
	},
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['setAcl'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const acl = this.getNodeParameter('acl', itemIndex, 'private') as string;
	const context = { action: 'set the ACL of', bucket, key, itemIndex };
	if (acl !== 'grants') {
		if (!(CANNED_ACLS as readonly string[]).includes(acl)) {
			throw new NodeOperationError(this.getNode(), `The "ACL" of item ${itemIndex} is "${acl}"`, {
				itemIndex,
				description: `"ACL" is one of ${CANNED_ACLS.join(', ')}, or "grants" for custom grants.`,
			});
		}
		await connection.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, VersionId: versionId, ACL: acl as ObjectCannedACL }), context);
		return [{ json: compact({ bucket, key, versionId, acl }) }];
	}
	const grants = grantsOf(this.getNode(), this.getNodeParameter('grants', itemIndex, ''), GRANTS_FIELD, itemIndex);
	// A full ACL names its owner; the owner stays the one the object has.
	const current = await connection.send(new GetObjectAclCommand({ Bucket: bucket, Key: key, VersionId: versionId }), context);
	await connection.send(
		new PutObjectAclCommand({ Bucket: bucket, Key: key, VersionId: versionId, AccessControlPolicy: { Owner: current.Owner, Grants: grants } }),
		context,
	);
	return [{ json: compact({ bucket, key, versionId, acl: 'grants', ...aclToJson(current.Owner, grants) }) }];
}
