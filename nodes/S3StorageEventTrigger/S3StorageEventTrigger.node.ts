import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { binaryOutputField, bucketLocator } from '../S3Storage/actions/common.descriptions';
import { fileNameOfKey, resolveBucket } from '../S3Storage/helpers/utils';
import { s3StorageApiTest } from '../S3Storage/methods/credentialTest';
import { searchBuckets } from '../S3Storage/methods/listSearch';
import { getConnection, notifications, runPool, type S3Connection } from '../S3Storage/transport';
import { type EventKind, itemOf, recordsOf, S3_EVENTS } from './events';
import { deliveryOf, type Registration, registrationOf, unregister } from './registration';
import { isSnsMessage, isSnsUrl, regionOfTopicArn, snsMessageProblem, type SnsMessage } from './snsMessage';
import { bodyOf, refuse, sameSecret, targetTokenMatches } from './webhookAuth';

interface EventTriggerOptions {
	queuedDelivery?: boolean;
}

const DOWNLOAD_CONCURRENCY = 8;

export class S3StorageEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'S3 Storage Event Trigger',
		name: 's3StorageEventTrigger',
		icon: { light: 'file:s3storage.svg', dark: 'file:s3storage.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow as soon as the bucket reports an event (its own event notifications, pushed to n8n)',
		defaults: { name: 'S3 Storage Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 's3StorageApi', required: true, testedBy: 's3StorageApiTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'The storage server pushes events to this workflow\'s webhook URL, so that URL must be reachable from the server. Servers without event notifications: use the S3 Storage Trigger, which polls.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			bucketLocator,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Object Created', value: 'created', description: 'Uploaded, copied, or a multipart upload completed' },
					{ name: 'Object Removed', value: 'removed', description: 'Deleted, or a delete marker created' },
					{ name: 'Object Restored', value: 'restored', description: 'An archived object\'s restore completed (where the server archives)' },
					{ name: 'Object Tags Changed', value: 'tagged', description: 'Tags put or deleted (where the server reports it)' },
				],
				default: ['created'],
			},
			{
				displayName: 'Key Prefix',
				name: 'prefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. incoming/',
				description: 'Only events for keys that start with this',
			},
			{
				displayName: 'Key Suffix',
				name: 'suffix',
				type: 'string',
				default: '',
				placeholder: 'e.g. .csv',
				description: 'Only events for keys that end with this',
			},
			{
				displayName: 'Server Type',
				name: 'serverType',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'From the Credential\'s Provider', value: 'auto', description: 'Amazon S3: SNS topic; MinIO: existing target; others: topic with HTTP push' },
					{ name: 'Topic With HTTP Push (Ceph RGW)', value: 'pushTopic', description: 'Creates a topic that pushes to the webhook, through the server\'s topics API' },
					{ name: 'SNS Topic (Amazon S3)', value: 'sns', description: 'Creates an SNS topic with an HTTPS subscription; every message\'s SNS signature is checked' },
					{ name: 'Existing Notification Target (MinIO)', value: 'target', description: 'A webhook target the server\'s administrator configured with this workflow\'s URL' },
				],
				default: 'auto',
			},
			{
				displayName: 'Target ARN',
				name: 'targetArn',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. arn:minio:sqs::n8n:webhook',
				description: 'The ARN of the webhook target the server pushes to (MinIO lists it with "mc admin info --json")',
				displayOptions: { show: { serverType: ['target'] } },
			},
			{
				displayName: 'Target Auth Token',
				name: 'targetAuthToken',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description: 'The auth token configured on the target; requests without it are refused',
				displayOptions: { show: { serverType: ['target'] } },
			},
			{
				displayName: 'Download Objects',
				name: 'download',
				type: 'boolean',
				default: false,
				description: 'Whether to download each created or restored object into a binary field',
			},
			{ ...binaryOutputField, displayOptions: { show: { download: [true] } } },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Queued Delivery',
						name: 'queuedDelivery',
						type: 'boolean',
						default: true,
						description:
							'Whether the server queues events and retries until n8n takes them (topic with HTTP push). Without it, events are sent during the upload itself, which waits for n8n, and are lost while n8n is unreachable.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchBuckets },
		credentialTest: { s3StorageApiTest },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const registration = registrationOf(this.getWorkflowStaticData('node'));
				if (!registration) return false;
				const connection = await getConnection.call(this);
				const current = await notifications.readNotifications(connection, registration.bucket);
				let exists = notifications.hasNotification(current, registration.id) && registration.webhookUrl === this.getNodeWebhookUrl('default');
				if (exists && registration.delivery === 'pushTopic' && registration.topicArn) {
					const topic = await notifications.getPushTopic(connection, registration.topicArn);
					exists = topic?.pushEndpoint === registration.webhookUrl;
				} else if (exists && registration.delivery === 'sns' && registration.topicArn) {
					exists = await notifications.snsTopicExists(connection, registration.topicArn);
				}
				// What is left of an older registration goes before a new one is made.
				if (!exists) await unregister(connection, registration, this.getWorkflowStaticData('node'));
				return exists;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const webhookUrl = this.getNodeWebhookUrl('default');
				if (!webhookUrl) throw new NodeOperationError(this.getNode(), 'n8n gave this trigger no webhook URL');
				const connection = await getConnection.call(this);
				const bucket = resolveBucket(this.getNode(), this.getNodeParameter('bucket', '', { extractValue: true }), connection.defaultBucket, 'trigger');
				const delivery = await deliveryOf.call(this);
				const kinds = this.getNodeParameter('events', []) as EventKind[];
				if (kinds.length === 0) {
					throw new NodeOperationError(this.getNode(), 'No event chosen', { description: 'Choose at least one event in "Events".' });
				}
				const events = kinds.flatMap((kind) => S3_EVENTS[kind]);
				const prefix = this.getNodeParameter('prefix', '') as string;
				const suffix = this.getNodeParameter('suffix', '') as string;
				const options = this.getNodeParameter('options', {}) as EventTriggerOptions;
				const workflowId = String(this.getWorkflow().id ?? 'workflow').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);
				// Random, so another n8n (or the editor's test URL) with the same workflow never takes this one's place.
				const id = `n8n-${workflowId}-${randomBytes(6).toString('hex')}`;
				const staticData = this.getWorkflowStaticData('node');
				const registration: Registration = { delivery, bucket, id, webhookUrl };

				if (delivery === 'pushTopic') {
					registration.secret = randomBytes(24).toString('hex');
					registration.topicArn = await notifications.createPushTopic(connection, {
						name: id,
						pushEndpoint: webhookUrl,
						opaqueData: registration.secret,
						persistent: options.queuedDelivery ?? true,
					});
				} else if (delivery === 'sns') {
					registration.topicArn = await notifications.createSnsTopic(connection, id, bucket);
				}
				// Saved before the notification exists, so events and SNS's confirmation find it.
				staticData.registration = registration as unknown as IDataObject;
				try {
					const destination =
						delivery === 'target'
							? { queueArn: (this.getNodeParameter('targetArn', '') as string).trim() }
							: { topicArn: registration.topicArn as string };
					await notifications.addNotification(connection, bucket, { id, events, prefix, suffix, ...destination });
					if (delivery === 'sns') await notifications.subscribeHttps(connection, registration.topicArn as string, webhookUrl);
				} catch (error) {
					// Nothing half-made stays behind.
					await unregister(connection, registration, staticData).catch(() => undefined);
					throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const registration = registrationOf(staticData);
				if (!registration) return true;
				const connection = await getConnection.call(this);
				await unregister(connection, registration, staticData);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const registration = registrationOf(this.getWorkflowStaticData('node'));
		const body = bodyOf(this);

		let payload: unknown = body;
		if (isSnsMessage(body) || this.getHeaderData()['x-amz-sns-message-type']) {
			const connection = await getConnection.call(this);
			const problem = await snsMessageProblem(body, async (url) => await notifications.fetchSmall(connection, url, 'fetch the SNS signing certificate'));
			if (problem) return refuse(this, 401, `Not a message signed by SNS: ${problem}`);
			const message = body as SnsMessage;
			// Activation saves the registration after this message may already be on its way: SNS retries later.
			if (!registration?.topicArn) return refuse(this, 503, 'The trigger is still being activated');
			if (registration.delivery !== 'sns' || message.TopicArn !== registration.topicArn) {
				return refuse(this, 403, 'The message is from a topic this trigger did not create');
			}
			if (message.Type === 'SubscriptionConfirmation') {
				const subscribeUrl = message.SubscribeURL ?? '';
				const region = regionOfTopicArn(message.TopicArn) ?? '';
				if (!isSnsUrl(subscribeUrl, region, /^\/$/) || new URL(subscribeUrl).searchParams.get('TopicArn') !== registration.topicArn) {
					return refuse(this, 403, 'The subscription URL is not SNS\'s own');
				}
				await notifications.fetchSmall(connection, subscribeUrl, 'confirm the SNS subscription');
				return {};
			}
			if (message.Type !== 'Notification') return {};
			try {
				payload = JSON.parse(message.Message);
			} catch {
				return {};
			}
		} else {
			if (!registration) return refuse(this, 503, 'The trigger is still being activated');
			if (registration.delivery === 'sns') return refuse(this, 401, 'Only messages signed by SNS are accepted');
			const records = recordsOf(body);
			if (!records) return refuse(this, 400, 'Not an S3 event notification');
			const authentic =
				registration.delivery === 'pushTopic'
					? records.length > 0 && records.every((record) => sameSecret(record.opaqueData, registration.secret))
					: targetTokenMatches(this.getHeaderData().authorization, this.getNodeParameter('targetAuthToken', '') as string);
			if (!authentic) return refuse(this, 401, 'The notification does not carry this trigger\'s token');
		}

		// SNS's "s3:TestEvent" and anything else without records start nothing.
		const records = recordsOf(payload);
		if (!records || records.length === 0) return {};
		if (records.some((record) => record.s3?.bucket?.name !== registration?.bucket)) {
			return refuse(this, 403, `The notification is not for bucket "${registration?.bucket}"`);
		}
		const filter = {
			kinds: this.getNodeParameter('events', []) as EventKind[],
			prefix: this.getNodeParameter('prefix', '') as string,
			suffix: this.getNodeParameter('suffix', '') as string,
		};
		const items: INodeExecutionData[] = [];
		for (const record of records) {
			const json = itemOf(record, filter);
			if (json) items.push({ json });
		}
		if (items.length === 0) return {};
		if (this.getNodeParameter('download', false) as boolean) {
			const connection = await getConnection.call(this);
			const field = this.getNodeParameter('binaryPropertyName', 'data') as string;
			await download.call(this, connection, items, field);
		}
		return { workflowData: [items] };
	}
}

async function download(this: IWebhookFunctions, connection: S3Connection, items: INodeExecutionData[], field: string): Promise<void> {
	await runPool(items.length, DOWNLOAD_CONCURRENCY, async (index) => {
		const item = items[index];
		const { event, bucket, key, versionId } = item.json as { event: EventKind; bucket: string; key: string; versionId?: string };
		if (event !== 'created' && event !== 'restored') return;
		const response = await connection.getObject(
			{ Bucket: bucket, Key: key, VersionId: versionId },
			{ action: 'download', bucket, key },
			{ tolerateNotFound: true },
		);
		// Deleted since the event: the item stays, without a file.
		if (!response) return;
		item.binary = {
			[field]: await this.helpers.prepareBinaryData(response.Body as Readable, fileNameOfKey(key), response.ContentType || undefined),
		};
	});
}
