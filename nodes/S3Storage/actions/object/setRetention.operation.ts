import { PutObjectRetentionCommand, type ObjectLockRetentionMode } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { retainUntilOf } from '../../helpers/objectControls';
import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const RETAIN_UNTIL_FIELD = 'Retain Until';
const MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'GOVERNANCE',
		description: 'How strictly the object is kept. Works only in a bucket created with Object Lock.',
		options: [
			{
				name: 'Compliance',
				value: 'COMPLIANCE',
				description: 'No one, not even the root user, can delete the version or shorten its retention until the date',
			},
			{
				name: 'Governance',
				value: 'GOVERNANCE',
				description: 'Users with the bypass permission can still delete the version or change its retention',
			},
		],
	},
	{
		displayName: RETAIN_UNTIL_FIELD,
		name: 'retainUntil',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2030-01-31T00:00:00Z',
		description: 'Until when the object version cannot be deleted or overwritten. Must be in the future.',
	},
	optionsCollection([
		{
			displayName: 'Bypass Governance',
			name: 'bypassGovernance',
			type: 'boolean',
			default: false,
			description:
				'Whether to shorten or remove a Governance retention (needs the bypass permission); a Compliance retention can never be shortened',
		},
		concurrencyOption,
		versionIdOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['setRetention'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const mode = this.getNodeParameter('mode', itemIndex, 'GOVERNANCE') as string;
	if (!(MODES as readonly string[]).includes(mode)) {
		throw new NodeOperationError(this.getNode(), `The "Mode" of item ${itemIndex} is "${mode}"`, {
			itemIndex,
			description: 'Set "Mode" to GOVERNANCE or COMPLIANCE.',
		});
	}
	const retainUntil = retainUntilOf(this.getNode(), this.getNodeParameter('retainUntil', itemIndex, ''), RETAIN_UNTIL_FIELD, itemIndex);
	const bypass = this.getNodeParameter('options.bypassGovernance', itemIndex, false) as boolean;
	await connection.send(
		new PutObjectRetentionCommand({
			Bucket: bucket,
			Key: key,
			VersionId: versionId,
			Retention: { Mode: mode as ObjectLockRetentionMode, RetainUntilDate: retainUntil },
			BypassGovernanceRetention: bypass || undefined,
		}),
		{ action: 'set the retention of', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, key, versionId, mode, retainUntil: retainUntil.toISOString() }) }];
}
