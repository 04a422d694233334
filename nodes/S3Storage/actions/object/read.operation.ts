import type { Readable } from 'node:stream';

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { formatBytes, readAtMost } from '../../helpers/objectRead';
import { compact, getBucket, getKey, getText, getVersionId, positiveNumberOf, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyField, optionsCollection, versionIdOption } from '../common.descriptions';

const MiB = 1024 * 1024;

const properties: INodeProperties[] = [
	bucketLocator,
	objectKeyField,
	{
		displayName: 'Read As',
		name: 'readAs',
		type: 'options',
		default: 'text',
		description: 'How the object\'s content is put into the output item\'s JSON',
		options: [
			{ name: 'Text', value: 'text', description: 'A string, decoded with the chosen encoding' },
			{ name: 'JSON', value: 'json', description: 'The parsed JSON value; fails if the object is not valid JSON' },
			{ name: 'Base64', value: 'base64', description: 'The bytes as base64 (any content, e.g. images)' },
		],
	},
	optionsCollection([
		concurrencyOption,
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			default: 'utf8',
			description: 'Character encoding of the text (Text and JSON)',
			options: [
				{ name: 'ASCII', value: 'ascii' },
				{ name: 'ISO-8859-1 (Latin-1)', value: 'latin1' },
				{ name: 'UTF-16LE', value: 'utf16le' },
				{ name: 'UTF-8', value: 'utf8' },
			],
		},
		{
			displayName: 'Max Size (MiB)',
			name: 'maxSizeMiB',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			description:
				'Larger objects are refused, since the whole content goes into the item. Use Download for large files: it streams them into a binary field.',
		},
		{
			displayName: 'Put Output in Field',
			name: 'outputField',
			type: 'string',
			default: 'objectData',
			placeholder: 'e.g. objectData',
			description: 'The JSON field that receives the content',
		},
		versionIdOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['read'] } }, properties);

interface ReadOptions {
	encoding?: BufferEncoding;
	maxSizeMiB?: number;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const key = getKey.call(this, itemIndex);
	const readAs = this.getNodeParameter('readAs', itemIndex, 'text') as 'text' | 'json' | 'base64';
	const options = this.getNodeParameter('options', itemIndex, {}) as ReadOptions;
	const maxSizeMiB = positiveNumberOf(this.getNode(), options.maxSizeMiB ?? 10, 'Max Size (MiB)', itemIndex, {
		example: 'the largest object to read in MiB, e.g. 10 (Download streams objects of any size)',
	});
	const maxBytes = Math.floor(maxSizeMiB * MiB);
	const outputField = getText.call(this, 'options.outputField', itemIndex, 'Put Output in Field').trim() || 'objectData';

	const response = await connection.getObject({ Bucket: bucket, Key: key, VersionId: getVersionId.call(this, itemIndex) },
		{ action: 'read', bucket, key, itemIndex },
	);
	const body = response.Body as Readable;
	const tooLarge = (size?: number) =>
		new NodeOperationError(
			this.getNode(),
			`Object "${key}" is ${size === undefined ? 'larger than' : `${formatBytes(size)}, more than`} the ${formatBytes(maxBytes)} Read allows`,
			{
				itemIndex,
				description:
					'Read puts the whole content into the item\'s JSON. Use Object > Download instead: it streams any size into a binary field. Or raise "Max Size" in the options.',
			},
		);
	if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
		body.destroy();
		throw tooLarge(response.ContentLength);
	}
	const data = await readAtMost(body, maxBytes);
	if (!data) throw tooLarge();

	let content: unknown;
	if (readAs === 'base64') {
		content = data.toString('base64');
	} else {
		let text = data.toString(options.encoding ?? 'utf8');
		if (readAs === 'json') {
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
			try {
				content = JSON.parse(text);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Object "${key}" is not valid JSON: ${(error as Error).message}`, {
					itemIndex,
					description: 'Read it as Text instead, or check that the object holds JSON (and the encoding is right).',
				});
			}
		} else {
			content = text;
		}
	}

	return [
		{
			json: {
				...compact({
					bucket,
					key,
					size: data.length,
					contentType: response.ContentType,
					etag: response.ETag,
					lastModified: response.LastModified?.toISOString(),
					versionId: response.VersionId,
				}),
				[outputField]: content as never,
			},
		},
	];
}
