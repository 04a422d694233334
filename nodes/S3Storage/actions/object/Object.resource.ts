import type { INodeProperties } from 'n8n-workflow';

import * as copy from './copy.operation';
import * as del from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as deleteTags from './deleteTags.operation';
import * as download from './download.operation';
import * as getAcl from './getAcl.operation';
import * as getLegalHold from './getLegalHold.operation';
import * as getMany from './getMany.operation';
import * as getManyVersions from './getManyVersions.operation';
import * as getMetadata from './getMetadata.operation';
import * as getPresignedUrl from './getPresignedUrl.operation';
import * as getRetention from './getRetention.operation';
import * as getTags from './getTags.operation';
import * as move from './move.operation';
import * as read from './read.operation';
import * as restore from './restore.operation';
import * as setAcl from './setAcl.operation';
import * as setLegalHold from './setLegalHold.operation';
import * as setRetention from './setRetention.operation';
import * as setTags from './setTags.operation';
import * as transfer from './transfer.operation';
import * as upload from './upload.operation';
import * as uploadFromUrl from './uploadFromUrl.operation';
import * as uploadMany from './uploadMany.operation';

export {
	copy,
	del as delete,
	deleteMany,
	deleteTags,
	download,
	getAcl,
	getLegalHold,
	getMany,
	getManyVersions,
	getMetadata,
	getPresignedUrl,
	getRetention,
	getTags,
	move,
	read,
	restore,
	setAcl,
	setLegalHold,
	setRetention,
	setTags,
	transfer,
	upload,
	uploadFromUrl,
	uploadMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['object'] } },
		options: [
			{
				name: 'Copy',
				value: 'copy',
				description:
					'Copy an object to another key or bucket on the server (any size), keeping or replacing its metadata; an object at the destination key is replaced',
				action: 'Copy an object',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete an object by key (or one version of it, by version ID)',
				action: 'Delete an object permanently',
			},
			{
				name: 'Delete Many',
				value: 'deleteMany',
				description: 'Permanently delete a list of objects by key, in batches of up to 1,000; reports for each key whether it was deleted',
				action: 'Delete many objects permanently',
			},
			{
				name: 'Delete Tags',
				value: 'deleteTags',
				description: 'Remove all tags from an object (the object itself stays)',
				action: 'Delete the tags of an object',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download an object (or a byte range or version of it) into a binary field, streamed, any size',
				action: 'Download an object as a file',
			},
			{
				name: 'Get ACL',
				value: 'getAcl',
				description: 'Get an object\'s access control list: its owner and who may read or change it',
				action: 'Get the ACL of an object',
			},
			{
				name: 'Get Legal Hold',
				value: 'getLegalHold',
				description: 'Get whether an object (version) is under a legal hold (buckets with Object Lock)',
				action: 'Get the legal hold of an object',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description:
					'List objects in a bucket (key, size, last modified, ETag), optionally under a prefix, grouped into folders, or with presigned download URLs',
				action: 'Get many objects',
			},
			{
				name: 'Get Many Versions',
				value: 'getManyVersions',
				description: 'List the versions and delete markers of an object, or of every key under a prefix (versioned buckets)',
				action: 'Get many object versions',
			},
			{
				name: 'Get Metadata',
				value: 'getMetadata',
				description:
					'Get an object\'s size, content type, ETag, last modified, storage class, version and user metadata without downloading it; can report whether it exists',
				action: 'Get the size and metadata of an object',
			},
			{
				name: 'Get Presigned URL',
				value: 'getPresignedUrl',
				description:
					'Create a time-limited URL that lets anyone without credentials download an object (GET), upload one (PUT), or upload through a browser form (POST policy)',
				action: 'Get a presigned URL for an object',
			},
			{
				name: 'Get Retention',
				value: 'getRetention',
				description: 'Get an object\'s retention: its mode and the date until which it cannot be deleted (buckets with Object Lock)',
				action: 'Get the retention of an object',
			},
			{
				name: 'Get Tags',
				value: 'getTags',
				description: 'Get the tags (key/value pairs) of an object',
				action: 'Get the tags of an object',
			},
			{
				name: 'Move',
				value: 'move',
				description:
					'Move or rename an object: copy it to the new key or bucket, then delete the original once the copy succeeded',
				action: 'Move an object and delete the source',
			},
			{
				name: 'Read',
				value: 'read',
				description:
					'Read a small object\'s content into the item\'s JSON as text, parsed JSON or base64 (use Download for files)',
				action: 'Read the content of an object as text or JSON',
			},
			{
				name: 'Restore',
				value: 'restore',
				description:
					'Ask for a readable temporary copy of an archived object (archive storage classes such as Glacier) for a number of days; reports whether it started, is in progress or is already there',
				action: 'Restore an archived object',
			},
			{
				name: 'Set ACL',
				value: 'setAcl',
				description: 'Replace an object\'s access control list with a canned ACL (e.g. Public Read) or custom grants',
				action: 'Set the ACL of an object',
			},
			{
				name: 'Set Legal Hold',
				value: 'setLegalHold',
				description: 'Put a legal hold on an object (version) so it cannot be deleted, or lift it (buckets with Object Lock)',
				action: 'Set the legal hold of an object',
			},
			{
				name: 'Set Retention',
				value: 'setRetention',
				description: 'Keep an object (version) from being deleted or overwritten until a date, in Governance or Compliance mode (buckets with Object Lock)',
				action: 'Set the retention of an object',
			},
			{
				name: 'Set Tags',
				value: 'setTags',
				description: 'Replace all tags of an object with the given ones, or merge them into its tags',
				action: 'Set the tags of an object',
			},
			{
				name: 'Transfer',
				value: 'transfer',
				description:
					'Copy an object to another credential: another account, provider or server (server-side when both credentials are the same user on the same endpoint, otherwise streamed; any size)',
				action: 'Transfer an object to another credential',
			},
			{
				name: 'Upload',
				value: 'upload',
				description:
					'Upload a binary file, text, base64 or JSON as an object, replacing any object with the same key unless "Do Not Overwrite" is on',
				action: 'Upload or replace an object',
			},
			{
				name: 'Upload From URL',
				value: 'uploadFromUrl',
				description:
					'Download a file from an http(s) URL straight into an object, streamed without n8n\'s binary storage (any size)',
				action: 'Upload an object from a URL',
			},
			{
				name: 'Upload Many',
				value: 'uploadMany',
				description:
					'Upload several objects from one item: a list of names with a list of base64 data, or every binary field; one output item per object',
				action: 'Upload many objects',
			},
		],
		default: 'upload',
	},
	...copy.description,
	...del.description,
	...deleteMany.description,
	...deleteTags.description,
	...download.description,
	...getAcl.description,
	...getLegalHold.description,
	...getMany.description,
	...getManyVersions.description,
	...getMetadata.description,
	...getPresignedUrl.description,
	...getRetention.description,
	...getTags.description,
	...move.description,
	...read.description,
	...restore.description,
	...setAcl.description,
	...setLegalHold.description,
	...setRetention.description,
	...setTags.description,
	...transfer.description,
	...upload.description,
	...uploadFromUrl.description,
	...uploadMany.description,
];
