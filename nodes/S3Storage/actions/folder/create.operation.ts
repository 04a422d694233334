import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { compact, getBucket, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, folderPicker, optionsCollection } from '../common.descriptions';
import { folderPathFields, getFolderPrefix } from './folderPath';

const properties: INodeProperties[] = [
	bucketLocator,
	// A new folder: the typed path first; the list shows the folders already there.
	...folderPathFields({ description: 'The folder to create, e.g. "reports/2024"; a trailing "/" is added if missing' }, { ...folderPicker, defaultMode: 'path' }),
	optionsCollection([concurrencyOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['folder'], operation: ['create'] } }, properties);

/** S3 has no folders: a zero-byte object whose key ends in "/" is what consoles and tools show as one. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getFolderPrefix.call(this, itemIndex, 'create');
	const output = await connection.send(
		new PutObjectCommand({ Bucket: bucket, Key: key, Body: '', ContentLength: 0 }),
		{ action: 'create the folder', bucket, key, itemIndex },
	);
	return [{ json: compact({ bucket, folder: key, key, created: true, etag: output.ETag, versionId: output.VersionId }) }];
}
