import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';

export { create, del as delete, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['folder'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a folder (an empty "path/" marker object) in a bucket',
				action: 'Create a folder',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete a folder and every object under it; reports how many were deleted',
				action: 'Delete a folder',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the sub-folders and files directly inside a folder (one level)',
				action: 'Get many folders and files',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...del.description,
	...getMany.description,
];
