import type { INodeProperties } from 'n8n-workflow';

import * as abortIncompleteUploads from './abortIncompleteUploads.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getManyIncompleteUploads from './getManyIncompleteUploads.operation';
import * as setVersioning from './setVersioning.operation';

export { abortIncompleteUploads, create, del as delete, get, getMany, getManyIncompleteUploads, setVersioning };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['bucket'] } },
		options: [
			{
				name: 'Abort Incomplete Uploads',
				value: 'abortIncompleteUploads',
				description:
					'Abort multipart uploads that were started and never finished (under a prefix, older than N hours), deleting their stored parts',
				action: 'Abort incomplete uploads in a bucket',
			},
			{ name: 'Create', value: 'create', description: 'Create a bucket', action: 'Create a bucket' },
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete a bucket (refused if it holds objects, unless told to empty it)',
				action: 'Delete a bucket',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Tell whether a bucket exists, its region and its versioning status',
				action: 'Get a bucket',
			},
			{ name: 'Get Many', value: 'getMany', description: 'List the buckets the credential can see', action: 'Get many buckets' },
			{
				name: 'Get Many Incomplete Uploads',
				value: 'getManyIncompleteUploads',
				description: 'List multipart uploads that were started and never finished, with their age',
				action: 'Get many incomplete uploads in a bucket',
			},
			{
				name: 'Set Versioning',
				value: 'setVersioning',
				description: 'Enable or suspend versioning on a bucket (changes how overwrites and deletes are kept)',
				action: 'Set versioning on a bucket',
			},
		],
		default: 'getMany',
	},
	...abortIncompleteUploads.description,
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
	...getManyIncompleteUploads.description,
	...setVersioning.description,
];
