import type { INodeProperties } from 'n8n-workflow';

import * as abortIncompleteUploads from './abortIncompleteUploads.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as deleteCors from './deleteCors.operation';
import * as deleteLifecycle from './deleteLifecycle.operation';
import * as deletePolicy from './deletePolicy.operation';
import * as get from './get.operation';
import * as getCors from './getCors.operation';
import * as getEncryption from './getEncryption.operation';
import * as getLifecycle from './getLifecycle.operation';
import * as getMany from './getMany.operation';
import * as getManyIncompleteUploads from './getManyIncompleteUploads.operation';
import * as getPolicy from './getPolicy.operation';
import * as setCors from './setCors.operation';
import * as setEncryption from './setEncryption.operation';
import * as setLifecycle from './setLifecycle.operation';
import * as setPolicy from './setPolicy.operation';
import * as setVersioning from './setVersioning.operation';

export {
	abortIncompleteUploads,
	create,
	del as delete,
	deleteCors,
	deleteLifecycle,
	deletePolicy,
	get,
	getCors,
	getEncryption,
	getLifecycle,
	getMany,
	getManyIncompleteUploads,
	getPolicy,
	setCors,
	setEncryption,
	setLifecycle,
	setPolicy,
	setVersioning,
};

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
				action: 'Delete a bucket permanently',
			},
			{
				name: 'Delete CORS Rules',
				value: 'deleteCors',
				description: 'Remove every CORS rule, so browsers on other sites can no longer call the bucket',
				action: 'Delete the CORS rules of a bucket',
			},
			{
				name: 'Delete Lifecycle Rules',
				value: 'deleteLifecycle',
				description: 'Remove every lifecycle rule, so nothing expires or is cleaned up automatically',
				action: 'Delete the lifecycle rules of a bucket',
			},
			{
				name: 'Delete Policy',
				value: 'deletePolicy',
				description: 'Remove the bucket policy',
				action: 'Delete the policy of a bucket',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Tell whether a bucket exists, its region and its versioning status',
				action: 'Get a bucket',
			},
			{
				name: 'Get CORS Rules',
				value: 'getCors',
				description: 'Read which sites may call the bucket from a browser, as JSON (an empty list when none)',
				action: 'Get the CORS rules of a bucket',
			},
			{
				name: 'Get Default Encryption',
				value: 'getEncryption',
				description: 'Read how new objects are encrypted by default (null when the bucket has no default)',
				action: 'Get the default encryption of a bucket',
			},
			{
				name: 'Get Lifecycle Rules',
				value: 'getLifecycle',
				description: 'Read the rules that expire objects and clean up uploads, as JSON (an empty list when none)',
				action: 'Get the lifecycle rules of a bucket',
			},
			{ name: 'Get Many', value: 'getMany', description: 'List the buckets the credential can see', action: 'Get many buckets' },
			{
				name: 'Get Many Incomplete Uploads',
				value: 'getManyIncompleteUploads',
				description: 'List multipart uploads that were started and never finished, with their age',
				action: 'Get many incomplete uploads in a bucket',
			},
			{
				name: 'Get Policy',
				value: 'getPolicy',
				description: 'Read the bucket policy as JSON (null when the bucket has none)',
				action: 'Get the policy of a bucket',
			},
			{
				name: 'Set CORS Rules',
				value: 'setCors',
				description: 'Replace the CORS rules: which sites may call the bucket from a browser, with which methods',
				action: 'Set the CORS rules of a bucket',
			},
			{
				name: 'Set Default Encryption',
				value: 'setEncryption',
				description: 'Choose how new objects are encrypted when an upload does not say',
				action: 'Set the default encryption of a bucket',
			},
			{
				name: 'Set Lifecycle Rules',
				value: 'setLifecycle',
				description: 'Replace the lifecycle rules: expire objects under a prefix, abort old incomplete uploads, delete old versions',
				action: 'Set the lifecycle rules of a bucket',
			},
			{
				name: 'Set Policy',
				value: 'setPolicy',
				description: 'Replace the bucket policy with a JSON document',
				action: 'Set the policy of a bucket',
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
	...deleteCors.description,
	...deleteLifecycle.description,
	...deletePolicy.description,
	...get.description,
	...getCors.description,
	...getEncryption.description,
	...getLifecycle.description,
	...getMany.description,
	...getManyIncompleteUploads.description,
	...getPolicy.description,
	...setCors.description,
	...setEncryption.description,
	...setLifecycle.description,
	...setPolicy.description,
	...setVersioning.description,
];
