import { GetObjectAclCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { aclToJson } from '../../helpers/objectControls';
import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['getAcl'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const output = await connection.send(
		new GetObjectAclCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
		{ action: 'read the ACL of', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, key, versionId, ...aclToJson(output.Owner, output.Grants) }) }];
}
