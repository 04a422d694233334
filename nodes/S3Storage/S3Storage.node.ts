import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as bucket from './actions/bucket/Bucket.resource';
import * as customApiCall from './actions/custom/CustomApiCall.resource';
import * as folder from './actions/folder/Folder.resource';
import * as object from './actions/object/Object.resource';
import { router } from './actions/router';
import { s3StorageApiTest } from './methods/credentialTest';
import { searchBuckets, searchFolders, searchObjectKeys } from './methods/listSearch';

export class S3Storage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'S3 Storage',
		name: 's3Storage',
		icon: { light: 'file:s3storage.svg', dark: 'file:s3storage.dark.svg' },
		group: ['output'],
		// Version 2 gives sizes in bytes and presigned expiry in seconds everywhere; version 1 keeps
		// its minutes and MiB fields so saved workflows read what they saved. Version 3 picks keys
		// and folders from a list (resource locators); versions 1 and 2 keep their text fields.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Work with Amazon S3 and S3-compatible storage (R2, MinIO, Wasabi, Spaces, B2, Ceph, GCS)',
		defaults: { name: 'S3 Storage' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 's3StorageApi', required: true, testedBy: 's3StorageApiTest' },
			// Object > Transfer writes with a second credential, and so does Folder > Sync when its
			// "Destination Credential" asks for it (saved syncs, "Same as Source", need no second one).
			{
				name: 's3StorageDestinationApi',
				required: true,
				testedBy: 's3StorageApiTest',
				displayOptions: { show: { resource: ['object', 'folder'], operation: ['transfer', 'sync'] }, hide: { destinationConnection: ['sameCredential'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Bucket', value: 'bucket' },
					{ name: 'Custom API Call', value: 'customApiCall' },
					{ name: 'Folder', value: 'folder' },
					{ name: 'Object', value: 'object' },
				],
				default: 'object',
			},
			...bucket.description,
			...customApiCall.description,
			...folder.description,
			...object.description,
		],
	};

	methods = {
		listSearch: { searchBuckets, searchFolders, searchObjectKeys },
		credentialTest: { s3StorageApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
