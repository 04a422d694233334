/**
 * What the trigger registered on the server (kept in the node's static data so deactivation removes
 * exactly that), how the notification reaches the webhook, and its removal.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, notifications, type S3Connection } from '../S3Storage/transport';

/** How the notification reaches the webhook. */
export type Delivery = 'pushTopic' | 'sns' | 'target';
export type ServerType = 'auto' | Delivery;

/** What `create` registered, kept in the node's static data so `delete` removes exactly that. */
export interface Registration {
	delivery: Delivery;
	bucket: string;
	/** The notification's Id in the bucket's configuration (and the topic's name). */
	id: string;
	webhookUrl: string;
	topicArn?: string;
	/** RGW: the token every pushed record carries (the topic's OpaqueData). */
	secret?: string;
}

export function registrationOf(staticData: IDataObject): Registration | undefined {
	const registration = staticData.registration as Registration | undefined;
	return registration && typeof registration.id === 'string' && typeof registration.bucket === 'string' ? registration : undefined;
}

export async function deliveryOf(this: IHookFunctions): Promise<Delivery> {
	const serverType = this.getNodeParameter('serverType', 'auto') as ServerType;
	if (serverType !== 'auto') return serverType;
	const credentials = await this.getCredentials<{ provider?: string }>(CREDENTIAL_TYPE);
	if (credentials.provider === 'aws') return 'sns';
	if (credentials.provider === 'minio') {
		throw new NodeOperationError(this.getNode(), 'MinIO pushes events only to targets its administrator configured', {
			description: 'Configure a webhook target with this workflow\'s URL and an auth token on the server, then choose "Existing Notification Target (MinIO)" in Server Type and give its ARN and token.',
		});
	}
	return 'pushTopic';
}

/** Removes the notification, then the topic, and forgets them; every step runs even if one fails. */
export async function unregister(connection: S3Connection, registration: Registration, staticData: IDataObject): Promise<void> {
	let failure: unknown;
	try {
		await notifications.removeNotification(connection, registration.bucket, registration.id, { byId: registration.delivery === 'pushTopic' });
	} catch (error) {
		// A bucket deleted in the meantime has no notification left to remove.
		if ((error as { context?: { code?: string } }).context?.code !== 'NoSuchBucket' && !/NoSuchBucket/.test(String(error))) failure = error;
	}
	if (registration.topicArn) {
		try {
			await notifications.deleteTopic(connection, registration.topicArn);
		} catch (error) {
			failure ??= error;
		}
	}
	if (failure) throw failure;
	delete staticData.registration;
}
