import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { S3StorageApi } from './S3StorageApi.credentials';

/**
 * The destination of Object > Transfer. n8n lets a node name each credential type once, so a
 * second slot needs a second type, with its own copy of every field of the S3 Storage API
 * credential so that any account, provider or server can be the destination. A copy, not
 * `extends`: n8n merges an extended type's fields by name, and several fields here share a name
 * (one per provider or sign-in mode), so all but the last of each would be dropped.
 */
export class S3StorageDestinationApi implements ICredentialType {
	name = 's3StorageDestinationApi';

	displayName = 'S3 Storage API (Transfer Destination)';

	icon = 'file:../nodes/S3Storage/s3storage.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-s3-storage/n8n-nodes-s3-storage#credentials';

	properties: INodeProperties[] = new S3StorageApi().properties;
}
