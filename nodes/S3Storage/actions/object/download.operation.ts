import type { Readable } from 'node:stream';

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { saveToBinaryStore } from '../../helpers/binaryStoreError';
import { customerKeyParams } from '../../helpers/customerKey';
import { byteRangeOf } from '../../helpers/objectRead';
import { parametersOf } from '../../helpers/parameters';
import { downloadLinkForTool, isToolRun } from '../../helpers/toolMode';
import { compact, fileNameOfKey, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import {
	binaryOutputField,
	bucketLocator,
	concurrencyOption,
	objectKeyFields,
	optionsCollection,
	versionIdOption,
} from '../common.descriptions';
import { customerKeyOption } from './customerKey.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
	binaryOutputField,
	optionsCollection([
		concurrencyOption,
		customerKeyOption,
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'e.g. report.pdf',
			description: 'The binary\'s file name. Defaults to the last part of the key.',
		},
		{
			displayName: 'Range',
			name: 'range',
			type: 'string',
			default: '',
			placeholder: 'e.g. bytes=0-99',
			description:
				'Download only these bytes: "bytes=0-99" (or "0-99") for the first 100, "500-" from byte 500 on, "-100" for the last 100',
		},
		versionIdOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['download'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const parameters = parametersOf(this);
	const bucket = parameters.bucket(connection, itemIndex);
	const key = parameters.key(itemIndex);
	const binaryPropertyName = parameters.get<string>('binaryPropertyName', itemIndex);
	const fileName = parameters.text('options.fileName', itemIndex, 'File Name');
	const range = byteRangeOf.call(this, parameters.text('options.range', itemIndex, 'Range'), itemIndex);
	const versionId = parameters.versionId(itemIndex);
	const encryption = customerKeyParams(this.getNode(), parameters.get('options.customerKey', itemIndex, ''), 'Customer Key (SSE-C)', itemIndex);
	// An agent's tool gets metadata and a download URL, never bytes (helpers/toolMode.ts).
	if (isToolRun.call(this)) return await downloadLinkForTool.call(this, connection, { bucket, key, versionId, range, itemIndex });

	const response = await connection.getObject({ Bucket: bucket, Key: key, Range: range, VersionId: versionId, ...encryption }, {
		action: 'download',
		bucket,
		key,
		itemIndex,
		customerKey: encryption.SSECustomerKey !== undefined,
	});
	// The body is streamed into n8n's binary store; in filesystem mode it goes to disk as it arrives.
	const binary = await saveToBinaryStore.call(
		this,
		response.Body as Readable,
		fileName || fileNameOfKey(key),
		response.ContentType || undefined,
		itemIndex,
	);
	return [
		{
			json: compact({
				bucket,
				key,
				size: response.ContentLength,
				contentRange: response.ContentRange,
				contentType: response.ContentType,
				etag: response.ETag,
				lastModified: response.LastModified?.toISOString(),
				versionId: response.VersionId,
			}),
			binary: { [binaryPropertyName]: binary },
		},
	];
}

/** As an AI agent's tool, failures are worded for the model (helpers/toolMode.ts). */
