import { PutBucketCorsCommand, type CORSRule } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asJson, CORS_EXAMPLE, CORS_METHODS, corsRulesOf, textListOf } from '../../helpers/bucketConfiguration';
import { getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const RULES_FIELD = 'CORS Rules (JSON)';

const form = { show: { specifyRules: ['form'] } };

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Specify Rules',
		name: 'specifyRules',
		type: 'options',
		default: 'form',
		options: [
			{ name: 'Using Fields Below', value: 'form', description: 'One rule: which sites may call the bucket, and how' },
			{ name: 'Using JSON', value: 'json', description: 'Any rules, as a list (what Get CORS Rules returns)' },
		],
	},
	{
		displayName: 'Allowed Origins',
		name: 'allowedOrigins',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://app.example.com, https://admin.example.com',
		description: 'The sites whose pages may call the bucket from a browser, separated by commas; * allows every site',
		displayOptions: form,
	},
	{
		displayName: 'Allowed Methods',
		name: 'allowedMethods',
		type: 'multiOptions',
		default: ['GET'],
		options: CORS_METHODS.map((method) => ({ name: method, value: method })),
		description: 'The HTTP methods those pages may use',
		displayOptions: form,
	},
	{
		displayName: RULES_FIELD,
		name: 'corsRules',
		type: 'json',
		default: '[]',
		description:
			`A list of CORS rules as the S3 API spells them (AllowedOrigins, AllowedMethods, AllowedHeaders, ExposeHeaders, MaxAgeSeconds, ID), or an object with "CORSRules". The output of Get CORS Rules fits here. Example: ${CORS_EXAMPLE}`,
		displayOptions: { show: { specifyRules: ['json'] } },
	},
	optionsCollection([
		{
			displayName: 'Allowed Headers',
			name: 'allowedHeaders',
			type: 'string',
			default: '',
			placeholder: 'e.g. Content-Type, Authorization',
			description: 'Request headers the pages may send, separated by commas; * allows any. Only for rules made from the fields.',
			displayOptions: { show: { '/specifyRules': ['form'] } },
		},
		concurrencyOption,
		{
			displayName: 'Expose Headers',
			name: 'exposeHeaders',
			type: 'string',
			default: '',
			placeholder: 'e.g. ETag, x-amz-version-id',
			description: 'Response headers the pages may read, separated by commas. Only for rules made from the fields.',
			displayOptions: { show: { '/specifyRules': ['form'] } },
		},
		{
			displayName: 'Max Age (Seconds)',
			name: 'maxAgeSeconds',
			type: 'number',
			default: 3000,
			typeOptions: { minValue: 0 },
			description: 'How long a browser may reuse the answer to its preflight request. Only for rules made from the fields.',
			displayOptions: { show: { '/specifyRules': ['form'] } },
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['setCors'] } }, properties);

/** The one rule the fields describe, in the JSON shape; an empty list or a bad max age is refused naming its field. */
function ruleFromFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const listOf = (value: unknown, field: string, example: string) => {
		const list = textListOf(value);
		if (list.length > 0) return list;
		throw new NodeOperationError(node, `The "${field}" of item ${itemIndex} is empty`, { itemIndex, description: `Give at least one, e.g. ${example}.` });
	};
	const maxAge = options.maxAgeSeconds === '' ? undefined : options.maxAgeSeconds;
	const maxAgeNumber = typeof maxAge === 'string' ? Number(maxAge) : maxAge;
	if (maxAge !== undefined && !(typeof maxAgeNumber === 'number' && Number.isInteger(maxAgeNumber) && maxAgeNumber >= 0)) {
		throw new NodeOperationError(node, `The "Max Age (Seconds)" of item ${itemIndex} is ${JSON.stringify(maxAge)}; it must be a whole number of seconds, 0 or more`, {
			itemIndex,
			description: 'How long a browser may reuse the answer to its preflight request, e.g. 3000.',
		});
	}
	const allowedHeaders = textListOf(options.allowedHeaders);
	const exposeHeaders = textListOf(options.exposeHeaders);
	return {
		AllowedOrigins: listOf(this.getNodeParameter('allowedOrigins', itemIndex, ''), 'Allowed Origins', '"https://app.example.com" or "*"'),
		AllowedMethods: listOf(this.getNodeParameter('allowedMethods', itemIndex, []), 'Allowed Methods', 'GET'),
		...(allowedHeaders.length > 0 ? { AllowedHeaders: allowedHeaders } : {}),
		...(exposeHeaders.length > 0 ? { ExposeHeaders: exposeHeaders } : {}),
		...(maxAgeNumber !== undefined ? { MaxAgeSeconds: maxAgeNumber } : {}),
	};
}

/** Replaces the bucket's CORS rules with the given ones. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const fromFields = this.getNodeParameter('specifyRules', itemIndex, 'form') !== 'json';
	const rules: CORSRule[] = fromFields
		? corsRulesOf(this.getNode(), [ruleFromFields.call(this, itemIndex)], 'Allowed Methods', itemIndex)
		: corsRulesOf(this.getNode(), this.getNodeParameter('corsRules', itemIndex, ''), RULES_FIELD, itemIndex);
	await connection.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }), {
		action: 'set the CORS rules of',
		bucket,
		itemIndex,
	});
	return [{ json: { bucket, rules: asJson(rules) } }];
}
