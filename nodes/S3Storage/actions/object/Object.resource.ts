import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';
import * as download from './download.operation';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';

export { del as delete, download, getMany, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['object'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Permanently delete an object', action: 'Delete an object' },
			{
				name: 'Download',
				value: 'download',
				description: 'Download an object into a binary field (streamed, any size)',
				action: 'Download an object',
			},
			{ name: 'Get Many', value: 'getMany', description: 'List objects in a bucket, optionally under a prefix', action: 'Get many objects' },
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload a file from a binary field, replacing any object with the same key',
				action: 'Upload an object',
			},
		],
		default: 'upload',
	},
	...del.description,
	...download.description,
	...getMany.description,
	...upload.description,
];
