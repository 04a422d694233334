import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The destination of Object > Transfer. n8n lets a node name each credential type once, so a
 * second slot needs a second type; it has every field of the S3 Storage API credential (n8n merges
 * the fields of the type it extends), so any account, provider or server can be the destination.
 */
export class S3StorageDestinationApi implements ICredentialType {
	name = 's3StorageDestinationApi';

	displayName = 'S3 Storage API (Transfer Destination)';

	extends = ['s3StorageApi'];

	icon = 'file:../nodes/S3Storage/s3storage.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-s3-storage/n8n-nodes-s3-storage#credentials';

	properties: INodeProperties[] = [];
}
