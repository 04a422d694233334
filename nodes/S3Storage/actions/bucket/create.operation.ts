import { CreateBucketCommand, HeadBucketCommand, type BucketCannedACL } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertBucketName, compact, getText, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Bucket Name',
		name: 'bucketName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. invoices-2024',
		description: '3-63 lowercase letters, digits, dots and hyphens',
	},
	optionsCollection([
		{
			displayName: 'ACL',
			name: 'acl',
			type: 'options',
			default: 'private',
			description: 'Who may access the bucket. Many stores (and new AWS buckets) only allow Private.',
			options: [
				{ name: 'Authenticated Read', value: 'authenticated-read' },
				{ name: 'Private', value: 'private' },
				{ name: 'Public Read', value: 'public-read' },
				{ name: 'Public Read Write', value: 'public-read-write' },
			],
		},
		concurrencyOption,
		{
			displayName: 'Object Lock',
			name: 'objectLock',
			type: 'boolean',
			default: false,
			description:
				'Whether objects in the bucket can be locked (retention, legal hold). Turns on versioning, and cannot be turned off later.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: '',
			placeholder: 'e.g. eu-west-1',
			description: 'Where to create the bucket (its location constraint). Defaults to the credential\'s region.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['bucket'], operation: ['create'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getText.call(this, 'bucketName', itemIndex, 'Bucket Name').trim();
	assertBucketName(this.getNode(), bucket, itemIndex);
	// Some servers (Ceph RGW, AWS in us-east-1) answer 200 when you create a bucket you already own;
	// ask first so the answer is the same everywhere. Any other answer (403: someone else's bucket,
	// 301: another region, no permission to ask) leaves it to CreateBucket, whose error says what happened.
	const exists = await connection
		.send(new HeadBucketCommand({ Bucket: bucket }), { action: 'read', bucket, itemIndex }, { tolerate: [404] })
		.then(
			(head) => head !== undefined,
			() => false,
		);
	if (exists) {
		throw new NodeOperationError(this.getNode(), `Bucket "${bucket}" already exists (you own it)`, {
			itemIndex,
			description: 'Use the existing bucket, or choose another name. Bucket > Get tells whether a bucket exists.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as { acl?: BucketCannedACL; objectLock?: boolean };
	const region = getText.call(this, 'options.region', itemIndex, 'Region').trim() || connection.resolved.region;
	// us-east-1 is S3's default location and must not be sent as a constraint; "auto" is R2/GCS's.
	const needsConstraint = region && region !== 'us-east-1' && region !== 'auto';
	const output = await connection.send(
		new CreateBucketCommand({
			Bucket: bucket,
			ACL: options.acl && options.acl !== 'private' ? options.acl : undefined,
			CreateBucketConfiguration: needsConstraint ? { LocationConstraint: region as never } : undefined,
			ObjectLockEnabledForBucket: options.objectLock === true || undefined,
		}),
		{ action: 'create', bucket, itemIndex },
	);
	return [{ json: compact({ bucket, created: true, region, location: output.Location, objectLock: options.objectLock === true || undefined }) }];
}
