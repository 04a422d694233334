import { RestoreObjectCommand, type Tier } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { unlessRestoreInProgress } from '../../helpers/restore';
import { compact, getBucket, getKey, getVersionId, positiveNumberOf, updateDisplayOptions } from '../../helpers/utils';
import { RESTORE_ACTION, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

const TIERS = ['Standard', 'Bulk', 'Expedited'] as const;

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	{
		displayName: 'Days',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description:
			'How many days the restored temporary copy stays readable; the archived object itself stays where it is. Asking again for an object already restored sets a new expiry.',
	},
	{
		displayName: 'Tier',
		name: 'tier',
		type: 'options',
		default: 'Standard',
		description: 'How fast the archive is read, at what cost. Deep archive classes have no Expedited tier.',
		options: [
			{ name: 'Bulk', value: 'Bulk', description: 'Slowest and cheapest (typically 5-12 hours; 48 hours from deep archive)' },
			{ name: 'Expedited', value: 'Expedited', description: 'Fastest and most expensive (typically 1-5 minutes), not for deep archive' },
			{ name: 'Standard', value: 'Standard', description: 'Typically 3-5 hours (12 hours from deep archive)' },
		],
	},
	optionsCollection([concurrencyOption, versionIdOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['restore'] } }, properties);

/**
 * Asks the server to make a readable temporary copy of an archived object. S3 answers 202 for a new
 * restore and 200 when a restored copy is already there (its expiry is moved); a restore still
 * running (409 RestoreAlreadyInProgress) is reported as in progress, not as a failure, so a
 * workflow can ask again until Get Metadata shows the copy.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const versionId = getVersionId.call(this, itemIndex);
	const days = positiveNumberOf(this.getNode(), this.getNodeParameter('days', itemIndex, 1), 'Days', itemIndex, {
		whole: true,
		example: 'how many days the restored copy should stay, e.g. 7',
	});
	const tier = this.getNodeParameter('tier', itemIndex, 'Standard') as string;
	if (!(TIERS as readonly string[]).includes(tier)) {
		throw new NodeOperationError(this.getNode(), `The "Tier" of item ${itemIndex} is ${JSON.stringify(tier)}; it must be "Standard", "Bulk" or "Expedited"`, {
			itemIndex,
			description: 'Choose Standard, Bulk or Expedited.',
		});
	}
	const output = await unlessRestoreInProgress(
		connection.send(
			new RestoreObjectCommand({
				Bucket: bucket,
				Key: key,
				VersionId: versionId,
				RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier as Tier } },
			}),
			{ action: RESTORE_ACTION, bucket, key, itemIndex },
		),
	);
	const result = { bucket, key, versionId, days, tier, restoreRequested: true };
	if (output === 'inProgress') return [{ json: compact({ ...result, alreadyRestored: false, inProgress: true }) }];
	// 200: a restored copy already exists (S3 only moves its expiry); 202: a new restore has started.
	const alreadyRestored = output.$metadata.httpStatusCode === 200;
	return [{ json: compact({ ...result, alreadyRestored, inProgress: !alreadyRestored }) }];
}
