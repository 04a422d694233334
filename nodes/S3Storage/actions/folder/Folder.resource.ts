import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';
import * as sync from './sync.operation';

export { create, del as delete, getMany, sync };

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
				action: 'Delete a folder and everything in it permanently',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the sub-folders and files directly inside a folder (one level)',
				action: 'Get many folders and files',
			},
			{
				name: 'Sync',
				value: 'sync',
				description: 'Make a destination folder match a source folder: copy what is missing or changed, optionally delete what only the destination has',
				action: 'Sync a folder',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...del.description,
	...getMany.description,
	...sync.description,
];
