import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as setVersioning from './setVersioning.operation';

export { create, del as delete, get, getMany, setVersioning };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['bucket'] } },
		options: [
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
				name: 'Set Versioning',
				value: 'setVersioning',
				description: 'Enable or suspend versioning on a bucket (changes how overwrites and deletes are kept)',
				action: 'Set versioning on a bucket',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
	...setVersioning.description,
];
