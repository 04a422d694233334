import { PutBucketLifecycleConfigurationCommand, type LifecycleRule } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LIFECYCLE_EXAMPLE, lifecycleRulesForOutput, lifecycleRulesOf, optionalDaysOf } from '../../helpers/bucketConfiguration';
import { getBucket, getText, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const FIELDS = {
	rules: 'Lifecycle Rules (JSON)',
	expire: 'Expire Objects After (Days)',
	abort: 'Abort Incomplete Uploads After (Days)',
	noncurrent: 'Delete Old Versions After (Days)',
};

const form = { show: { specifyRules: ['form'] } };

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Specify Rules',
		name: 'specifyRules',
		type: 'options',
		default: 'form',
		options: [
			{ name: 'Using Fields Below', value: 'form', description: 'One rule for the keys under a prefix' },
			{ name: 'Using JSON', value: 'json', description: 'Any rules, as a list (what Get Lifecycle Rules returns)' },
		],
	},
	{
		displayName: 'Prefix',
		name: 'prefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. logs/',
		description: 'The rule applies to keys that start with this. Empty: the whole bucket.',
		displayOptions: form,
	},
	{
		displayName: FIELDS.expire,
		name: 'expireAfterDays',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Delete objects this many days after they were written (in a versioned bucket: hide them behind a delete marker). 0: never.',
		displayOptions: form,
	},
	{
		displayName: FIELDS.abort,
		name: 'abortIncompleteUploadsAfterDays',
		type: 'number',
		default: 7,
		typeOptions: { minValue: 0 },
		description: 'Abort multipart uploads this many days after they were started and delete their stored parts. 0: never.',
		displayOptions: form,
	},
	{
		displayName: FIELDS.noncurrent,
		name: 'noncurrentVersionsExpireAfterDays',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'In a versioned bucket, delete a version this many days after a newer one replaced it. 0: never.',
		displayOptions: form,
	},
	{
		displayName: FIELDS.rules,
		name: 'lifecycleRules',
		type: 'json',
		default: '[]',
		description:
			`A list of lifecycle rules as the S3 API spells them (ID, Status, Filter, Expiration, Transitions, NoncurrentVersionExpiration, AbortIncompleteMultipartUpload), or an object with "Rules". The output of Get Lifecycle Rules fits here. Example: ${LIFECYCLE_EXAMPLE}`,
		displayOptions: { show: { specifyRules: ['json'] } },
	},
	optionsCollection([
		concurrencyOption,
		{
			displayName: 'Rule ID',
			name: 'ruleId',
			type: 'string',
			default: '',
			placeholder: 'e.g. expire-logs',
			description: 'The name of the rule made from the fields. Empty: "prefix-" and the prefix, or "whole-bucket".',
			displayOptions: { show: { '/specifyRules': ['form'] } },
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['setLifecycle'] } }, properties);

/** The one rule the fields describe, or a refusal naming the field at fault. */
function ruleFromFields(this: IExecuteFunctions, itemIndex: number): LifecycleRule {
	const node = this.getNode();
	const prefix = getText.call(this, 'prefix', itemIndex, 'Prefix');
	const expire = optionalDaysOf(node, this.getNodeParameter('expireAfterDays', itemIndex, 0), FIELDS.expire, itemIndex);
	const abort = optionalDaysOf(node, this.getNodeParameter('abortIncompleteUploadsAfterDays', itemIndex, 0), FIELDS.abort, itemIndex);
	const noncurrent = optionalDaysOf(node, this.getNodeParameter('noncurrentVersionsExpireAfterDays', itemIndex, 0), FIELDS.noncurrent, itemIndex);
	if (expire === undefined && abort === undefined && noncurrent === undefined) {
		throw new NodeOperationError(node, `The lifecycle rule of item ${itemIndex} does nothing: every period is 0`, {
			itemIndex,
			description: `Set "${FIELDS.expire}", "${FIELDS.abort}" or "${FIELDS.noncurrent}" to a number of days. To remove the bucket's rules, use Delete Lifecycle Rules.`,
		});
	}
	const id = getText.call(this, 'options.ruleId', itemIndex, 'Rule ID').trim() || (prefix ? `prefix-${prefix}` : 'whole-bucket');
	return {
		ID: id.slice(0, 255),
		Status: 'Enabled',
		Filter: { Prefix: prefix },
		...(expire !== undefined ? { Expiration: { Days: expire } } : {}),
		...(noncurrent !== undefined ? { NoncurrentVersionExpiration: { NoncurrentDays: noncurrent } } : {}),
		...(abort !== undefined ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: abort } } : {}),
	};
}

/** Replaces the bucket's lifecycle rules with the given ones (S3 keeps one set of rules per bucket). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const rules =
		this.getNodeParameter('specifyRules', itemIndex, 'form') === 'json'
			? lifecycleRulesOf(this.getNode(), this.getNodeParameter('lifecycleRules', itemIndex, ''), FIELDS.rules, itemIndex)
			: [ruleFromFields.call(this, itemIndex)];
	await connection.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }), {
		action: 'set the lifecycle rules of',
		bucket,
		itemIndex,
	});
	return [{ json: { bucket, rules: lifecycleRulesForOutput(rules) } }];
}
