import type { Readable } from 'node:stream';

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { customerKeyParams } from '../../helpers/customerKey';
import { byteRangeOf, formatBytes, readAtMost } from '../../helpers/objectRead';
import { parametersOf } from '../../helpers/parameters';
import { isToolRun, readForTool } from '../../helpers/toolMode';
import { compact, positiveNumberOf, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';
import { customerKeyOption } from './customerKey.descriptions';

const MiB = 1024 * 1024;
/** 10 MiB, written out: n8n's lint rules cannot read an expression as a default. */
const DEFAULT_MAX_SIZE = 10485760;

const properties: INodeProperties[] = [
	bucketLocator,
	...objectKeyFields(),
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
		customerKeyOption,
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
			displayName: 'Max Size (Bytes)',
			name: 'maxSize',
			type: 'number',
			default: DEFAULT_MAX_SIZE,
			typeOptions: { minValue: 1 },
			description:
				'Larger objects are refused, since the whole content goes into the item. Use Download for large files: it streams them into a binary field.',
			hint: 'e.g. 10485760 = 10 MiB, 1048576 = 1 MiB',
			displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
		},
		{
			// Version 1 counted MiB; kept so saved workflows still read their value.
			displayName: 'Max Size (MiB)',
			name: 'maxSizeMiB',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			description:
				'Larger objects are refused, since the whole content goes into the item. Use Download for large files: it streams them into a binary field.',
			displayOptions: { show: { '@version': [1] } },
		},
		{
			displayName: 'Put Output in Field',
			name: 'outputField',
			type: 'string',
			default: 'objectData',
			placeholder: 'e.g. objectData',
			description: 'The JSON field that receives the content',
		},
		{
			displayName: 'Range',
			name: 'range',
			type: 'string',
			default: '',
			placeholder: 'e.g. bytes=0-99',
			description:
				'Read only these bytes: "bytes=0-99" (or "0-99") for the first 100, "500-" from byte 500 on, "-100" for the last 100. As an AI agent\'s tool, Read gives at most 20,000 characters and names the range that reads on.',
		},
		versionIdOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['read'] } }, properties);

interface ReadOptions {
	encoding?: BufferEncoding;
	maxSize?: number;
	/** Version 1's limit, in MiB. */
	maxSizeMiB?: number;
	range?: string;
	customerKey?: string;
}

/** The largest object Read takes, in bytes: version 2 asks in bytes, version 1 in MiB. */
function maxSizeOf(this: IExecuteFunctions, options: ReadOptions, itemIndex: number): number {
	if (this.getNode().typeVersion < 2) {
		const maxSizeMiB = positiveNumberOf(this.getNode(), options.maxSizeMiB ?? 10, 'Max Size (MiB)', itemIndex, {
			example: 'the largest object to read in MiB, e.g. 10 (Download streams objects of any size)',
		});
		return Math.floor(maxSizeMiB * MiB);
	}
	return positiveNumberOf(this.getNode(), options.maxSize ?? DEFAULT_MAX_SIZE, 'Max Size (Bytes)', itemIndex, {
		whole: true,
		example: 'the largest object to read in bytes, e.g. 10485760 for 10 MiB (Download streams objects of any size)',
	});
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const parameters = parametersOf(this);
	const bucket = parameters.bucket(connection, itemIndex);
	const key = parameters.key(itemIndex);
	const readAs = parameters.get<'text' | 'json' | 'base64'>('readAs', itemIndex, 'text');
	const options = parameters.get<ReadOptions>('options', itemIndex, {});
	const maxBytes = maxSizeOf.call(this, options, itemIndex);
	const outputField = parameters.text('options.outputField', itemIndex, 'Put Output in Field').trim() || 'objectData';

	const range = byteRangeOf.call(this, options.range, itemIndex);
	const encryption = customerKeyParams(this.getNode(), options.customerKey, 'Customer Key (SSE-C)', itemIndex);
	const response = await connection.getObject({ Bucket: bucket, Key: key, Range: range, VersionId: parameters.versionId(itemIndex), ...encryption },
		{ action: 'read', bucket, key, itemIndex, customerKey: encryption.SSECustomerKey !== undefined },
	);
	// An agent's tool gets a capped excerpt of any size of object (helpers/toolMode.ts).
	if (isToolRun.call(this)) return await readForTool.call(this, response, { bucket, key, readAs, encoding: options.encoding ?? 'utf8', outputField });
	const body = response.Body as Readable;
	// Sizes a few bytes apart round to the same "19.5 KiB": then both are said in exact bytes.
	const sizes = (size: number) =>
		formatBytes(size) === formatBytes(maxBytes)
			? [size, maxBytes].map((bytes) => `${bytes.toLocaleString('en-US')} bytes`)
			: [formatBytes(size), formatBytes(maxBytes)];
	const tooLarge = (size?: number) =>
		new NodeOperationError(
			this.getNode(),
			size === undefined
				? `Object "${key}" is larger than the ${formatBytes(maxBytes)} Read allows`
				: `Object "${key}" is ${sizes(size)[0]}, more than the ${sizes(size)[1]} Read allows`,
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
					contentRange: response.ContentRange,
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

/** As an AI agent's tool, failures are worded for the model (helpers/toolMode.ts). */
