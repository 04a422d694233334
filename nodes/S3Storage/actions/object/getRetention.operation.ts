import { GetObjectRetentionCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { unlessNoLock } from '../../helpers/objectControls';
import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['getRetention'] } }, properties);

/** An object without retention is a result (`hasRetention: false`), not a failure. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const output = await unlessNoLock(
		connection.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId }), {
			action: 'read the retention of',
			bucket,
			key,
			itemIndex,
		}),
	);
	const retention = output?.Retention;
	const until = retention?.RetainUntilDate;
	return [
		{
			json: compact({
				bucket,
				key,
				versionId,
				hasRetention: Boolean(retention?.Mode),
				mode: retention?.Mode ?? null,
				retainUntil: until ? new Date(until).toISOString() : null,
			}),
		},
	];
}
