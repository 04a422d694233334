import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { compact, getBucket, getKey, getVersionId, updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import {
	MAX_PRESIGN_EXPIRY_SECONDS,
	presignGetObject,
	presignPost,
	presignPutObject,
	type PresignedLifetime,
} from '../../transport/presign';
import { bucketLocator, concurrencyOption, objectKeyFields, optionsCollection, versionIdOption } from '../common.descriptions';

type PresignMethod = 'get' | 'put' | 'post';

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'For',
		name: 'method',
		type: 'options',
		noDataExpression: true,
		default: 'get',
		options: [
			{
				name: 'Download',
				value: 'get',
				description: 'A URL anyone can download the object from (HTTP GET) until it expires',
			},
			{
				name: 'Upload',
				value: 'put',
				description: 'A URL anyone can upload the object\'s bytes to (HTTP PUT, e.g. curl -T file URL) until it expires',
			},
			{
				name: 'Browser Form Upload',
				value: 'post',
				description:
					'A URL and form fields for an HTML form or a multipart/form-data POST, with conditions on key, content type and size',
			},
		],
	},
	...objectKeyFields({ show: { method: ['get', 'put'] } }),
	{
		displayName: 'Allowed Keys',
		name: 'postKeyMode',
		type: 'options',
		default: 'prefix',
		displayOptions: { show: { method: ['post'] } },
		options: [
			{ name: 'Any Key Under a Prefix', value: 'prefix', description: 'The form may upload to any key starting with the prefix' },
			{ name: 'Exact Key', value: 'key', description: 'The form may upload to this one key only' },
		],
	},
	...objectKeyFields({ show: { method: ['post'], postKeyMode: ['key'] } }),
	{
		displayName: 'Key Prefix',
		name: 'keyPrefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. uploads/2024/',
		description:
			'Uploads may go to any key starting with this. The form\'s key field defaults to this prefix followed by the uploaded file\'s name. Empty allows any key in the bucket.',
		displayOptions: { show: { method: ['post'], postKeyMode: ['prefix'] } },
	},
	{
		displayName: 'Expires In (Seconds)',
		name: 'expiresIn',
		type: 'number',
		default: 3600,
		required: true,
		typeOptions: { minValue: 1, maxValue: MAX_PRESIGN_EXPIRY_SECONDS },
		description:
			'How long the URL works, in seconds: at most 604,800 (7 days), the limit of S3 signature version 4. A URL signed with temporary credentials (assumed role, session token) works only until they expire: then it is made shorter, and the output says so in "note".',
		hint: 'e.g. 900 = 15 minutes, 3600 = 1 hour, 86400 = 1 day',
	},
	optionsCollection(
		[
			concurrencyOption,
			{
				displayName: 'Response Content Disposition',
				name: 'responseContentDisposition',
				type: 'string',
				default: '',
				placeholder: 'e.g. attachment; filename="report.pdf"',
				description:
					'The Content-Disposition header the download is served with, e.g. to make browsers save it under a given file name',
			},
			{
				displayName: 'Response Content Type',
				name: 'responseContentType',
				type: 'string',
				default: '',
				placeholder: 'e.g. application/pdf',
				description: 'The Content-Type header the download is served with, instead of the object\'s own',
			},
			{
				...versionIdOption,
				description: 'A specific version of the object to download (versioned buckets). Defaults to the current version.',
			},
		],
		{ show: { method: ['get'] } },
	),
	optionsCollection(
		[
			concurrencyOption,
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'string',
				default: '',
				placeholder: 'e.g. image/png',
				description:
					'The uploaded object\'s content type. It is signed into the URL, so the uploader must send exactly this Content-Type header (the output lists it under "headers"). Leave empty to accept any.',
			},
		],
		{ show: { method: ['put'] } },
	),
	optionsCollection(
		[
			concurrencyOption,
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'string',
				default: '',
				placeholder: 'e.g. application/pdf',
				description: 'The exact content type the form must send; it is added to the form fields',
			},
			{
				displayName: 'Content Type Starts With',
				name: 'contentTypePrefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. image/',
				description:
					'Only accept uploads whose Content-Type field starts with this (the form must send a Content-Type field). Ignored when Content Type is set.',
			},
			{
				displayName: 'Max Size (Bytes)',
				name: 'maxSize',
				type: 'number',
				default: 10485760,
				typeOptions: { minValue: 0 },
				description: 'Refuse files larger than this many bytes, e.g. 10485760 for 10 MiB',
			},
			{
				displayName: 'Min Size (Bytes)',
				name: 'minSize',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Refuse files smaller than this many bytes',
			},
		],
		{ show: { method: ['post'] } },
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['object'], operation: ['getPresignedUrl'] } },
	properties,
);

/**
 * The output's expiry fields: `expiresIn` and `expiresAt` say how long the URL really works; when
 * temporary credentials cut it short, `requestedExpiresIn` and a `note` say so.
 */
function lifetimeOutput({ expiresAt, expiresIn, cutShort }: PresignedLifetime): IDataObject {
	if (!cutShort) return { expiresAt, expiresIn };
	return {
		expiresAt,
		expiresIn,
		requestedExpiresIn: cutShort.requestedExpiresIn,
		note: `The URL works for ${expiresIn} seconds, not the ${cutShort.requestedExpiresIn} asked for: it is signed with temporary credentials that expire at ${cutShort.credentialsExpireAt}, and the server refuses it from then on. For a longer-lived URL, sign with long-term access keys or a longer session duration.`,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const method = this.getNodeParameter('method', itemIndex, 'get') as PresignMethod;
	const expiresIn = Number(this.getNodeParameter('expiresIn', itemIndex, 3600));
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		responseContentDisposition?: string;
		responseContentType?: string;
		contentType?: string;
		contentTypePrefix?: string;
		maxSize?: number;
		minSize?: number;
	};

	let json: IDataObject;
	if (method === 'get') {
		const key = getKey.call(this, itemIndex);
		const versionId = getVersionId.call(this, itemIndex);
		const signed = await presignGetObject(connection, {
			bucket,
			key,
			expiresIn,
			itemIndex,
			versionId,
			responseContentType: options.responseContentType?.trim() || undefined,
			responseContentDisposition: options.responseContentDisposition?.trim() || undefined,
		});
		json = { bucket, key, versionId, url: signed.url, method: signed.method, ...lifetimeOutput(signed) };
	} else if (method === 'put') {
		const key = getKey.call(this, itemIndex);
		const signed = await presignPutObject(connection, { bucket, key, expiresIn, itemIndex, contentType: options.contentType });
		json = { bucket, key, url: signed.url, method: signed.method, ...lifetimeOutput(signed), headers: signed.headers };
	} else if (method === 'post') {
		const exact = (this.getNodeParameter('postKeyMode', itemIndex, 'prefix') as string) === 'key';
		const key = exact ? getKey.call(this, itemIndex) : undefined;
		const keyPrefix = exact ? undefined : (this.getNodeParameter('keyPrefix', itemIndex, '') as string);
		const signed = await presignPost(connection, {
			bucket,
			key,
			keyPrefix,
			expiresIn,
			itemIndex,
			contentType: options.contentType,
			contentTypePrefix: options.contentTypePrefix?.trim() || undefined,
			minSize: options.minSize || undefined,
			maxSize: options.maxSize,
		});
		json = {
			bucket,
			key: signed.fields.key,
			keyPrefix,
			url: signed.url,
			method: signed.method,
			...lifetimeOutput(signed),
			fields: signed.fields,
		};
	} else {
		throw new NodeOperationError(this.getNode(), `Unknown presigned URL method "${String(method)}"`, {
			itemIndex,
			description: 'Choose Download, Upload or Browser Form Upload.',
		});
	}
	return [{ json: compact(json) }];
}
