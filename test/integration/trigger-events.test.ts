/**
 * The S3 Storage Event Trigger against a real Ceph RGW: activation registers a topic and a bucket
 * notification, uploads and deletes are pushed to the webhook and become items, forged pushes are
 * refused, deactivation removes exactly what it registered.
 *
 * What is real and what stands in: every registration request (the topics API, the notification
 * configuration) and every pushed event come from the real RGW. n8n itself is not running: the
 * lifecycle calls n8n makes (checkExists / create / delete, then webhook() per request) are made
 * here through minimal IHookFunctions / IWebhookFunctions built below, and a small HTTP server on
 * 127.0.0.1 stands in for n8n's webhook URL, handing each request to the node's webhook().
 * RGW only: s3rver has no notifications (the suite is skipped there).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	GetBucketNotificationConfigurationCommand,
	PutBucketNotificationConfigurationCommand,
	PutObjectCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IDataObject, IHookFunctions, INode, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { S3StorageEventTrigger } from '../../nodes/S3StorageEventTrigger/S3StorageEventTrigger.node';
import { destroyClients } from '../../nodes/S3Storage/transport/client';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const describeOnRgw = target.server === 'rgw' ? describe : describe.skip;

/** A request the stand-in webhook received, and what the node made of it. */
interface Delivery {
	status: number;
	message?: string;
	items: IDataObject[];
	body: string;
}

/** Stands in for n8n's webhook URL: each POST goes to the node's webhook(), as n8n would hand it on. */
class WebhookStandIn {
	server!: Server;
	deliveries: Delivery[] = [];
	constructor(private readonly node: S3StorageEventTrigger, private readonly context: () => Omit<StandInState, 'headers' | 'rawBody'>) {}

	async start(): Promise<string> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const rawBody = Buffer.concat(chunks);
				const state: StandInState = { ...this.context(), headers: req.headers, rawBody };
				const reply = { status: 200, message: undefined as string | undefined };
				this.node.webhook
					.call(webhookFunctions(state, reply))
					.then((result: IWebhookResponseData) => {
						const items = (result.workflowData?.[0] ?? []).map((item) => item.json);
						this.deliveries.push({ status: reply.status, message: reply.message, items, body: rawBody.toString() });
						res.statusCode = reply.status;
						res.end(reply.message ?? '');
					})
					.catch((error: Error) => {
						this.deliveries.push({ status: 500, message: error.message, items: [], body: rawBody.toString() });
						res.statusCode = 500;
						res.end(error.message);
					});
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/event-trigger-test`;
	}

	items(): IDataObject[] {
		return this.deliveries.flatMap((delivery) => delivery.items);
	}

	async waitFor(predicate: (items: IDataObject[]) => boolean, timeoutMs = 30_000): Promise<IDataObject[]> {
		const end = Date.now() + timeoutMs;
		while (Date.now() < end) {
			if (predicate(this.items())) return this.items();
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(`events did not arrive in ${timeoutMs} ms; received: ${JSON.stringify(this.deliveries)}`);
	}

	async stop(): Promise<void> {
		await new Promise((resolve) => this.server.close(resolve));
	}
}

interface StandInState {
	parameters: IDataObject;
	staticData: IDataObject;
	webhookUrl: string;
	headers: IncomingHttpHeaders;
	rawBody: Buffer;
}

const node: INode = {
	id: 'event-trigger-node',
	name: 'S3 Storage Event Trigger',
	type: 'n8n-nodes-s3-storage.s3StorageEventTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { s3StorageApi: { id: '1', name: 'S3' } },
};

function parameterOf(parameters: IDataObject, name: string, fallback: unknown, options?: { extractValue?: boolean }): unknown {
	const value = parameters[name] ?? fallback;
	if (options?.extractValue && value && typeof value === 'object' && '__rl' in value) return (value as unknown as { value: unknown }).value;
	return value;
}

/** The parts of IHookFunctions the trigger uses, as n8n provides them on activation. */
function hookFunctions(state: Omit<StandInState, 'headers' | 'rawBody'>): IHookFunctions {
	return {
		getNode: () => node,
		getWorkflow: () => ({ id: 'wfEventTest', active: true }),
		getWorkflowStaticData: () => state.staticData,
		getNodeWebhookUrl: () => state.webhookUrl,
		getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => parameterOf(state.parameters, name, fallback, options),
		getCredentials: async () => credentialFor(target),
		getMode: () => 'trigger',
		getActivationMode: () => 'activate',
	} as unknown as IHookFunctions;
}

/** The parts of IWebhookFunctions the trigger uses, for one request. */
function webhookFunctions(state: StandInState, reply: { status: number; message?: string }): IWebhookFunctions {
	const response = {
		status(code: number) {
			reply.status = code;
			return response;
		},
		send(message: string) {
			reply.message = message;
			return response;
		},
		end() {
			return response;
		},
	};
	return {
		getNode: () => node,
		getWorkflowStaticData: () => state.staticData,
		getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => parameterOf(state.parameters, name, fallback, options),
		getCredentials: async () => credentialFor(target),
		getRequestObject: () => ({ rawBody: state.rawBody, body: {} }),
		getResponseObject: () => response,
		getHeaderData: () => state.headers,
		getBodyData: () => ({}),
		getMode: () => 'webhook',
	} as unknown as IWebhookFunctions;
}

/** A signed call to RGW's topics API, made directly (for arranging the user's own topic and checking topics). */
async function topicsApi(params: Record<string, string>): Promise<{ status: number; body: string }> {
	const url = new URL(target.endpoint);
	const request = new HttpRequest({
		method: 'POST',
		protocol: url.protocol,
		hostname: url.hostname,
		port: Number(url.port),
		path: '/',
		headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(params).toString(),
	});
	const signer = new SignatureV4({
		service: 'sns',
		region: target.region,
		sha256: Hash.bind(null, 'sha256'),
		credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
	});
	const { response } = await new NodeHttpHandler({ requestTimeout: 10_000 }).handle((await signer.sign(request)) as HttpRequest);
	let body = '';
	for await (const chunk of response.body as AsyncIterable<Buffer>) body += chunk.toString();
	return { status: response.statusCode, body };
}

async function notificationIds(client: S3Client, bucket: string): Promise<string[]> {
	const config = await client.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
	return (config.TopicConfigurations ?? []).map((entry) => entry.Id ?? '').sort();
}

describeOnRgw('S3 Storage Event Trigger on Ceph RGW', () => {
	const client = rawClient(target);
	const trigger = new S3StorageEventTrigger();
	const bucket = uniqueBucket('events');
	const userTopic = `user-topic-${Date.now().toString(36)}`;
	let userTopicArn = '';
	const state: Omit<StandInState, 'headers' | 'rawBody'> = {
		parameters: {
			bucket: { __rl: true, mode: 'name', value: bucket },
			events: ['created', 'removed'],
			prefix: 'in/',
			suffix: '.txt',
			serverType: 'auto',
		},
		staticData: {},
		webhookUrl: '',
	};
	const webhook = new WebhookStandIn(trigger, () => state);

	beforeAll(async () => {
		state.webhookUrl = await webhook.start();
		await client.send(new CreateBucketCommand({ Bucket: bucket }));
		// The user's own notification, configured before the trigger: it must survive activation and deactivation.
		const created = await topicsApi({
			Action: 'CreateTopic',
			Name: userTopic,
			'Attributes.entry.1.key': 'push-endpoint',
			'Attributes.entry.1.value': 'http://127.0.0.1:9/users-own-endpoint',
		});
		userTopicArn = /<TopicArn>(.*?)<\/TopicArn>/.exec(created.body)?.[1] ?? '';
		expect(userTopicArn).not.toBe('');
		await client.send(
			new PutBucketNotificationConfigurationCommand({
				Bucket: bucket,
				NotificationConfiguration: { TopicConfigurations: [{ Id: 'users-own', TopicArn: userTopicArn, Events: ['s3:ObjectRemoved:*'] }] },
			}),
		);
	});

	afterAll(async () => {
		const hooks = hookFunctions(state);
		await trigger.webhookMethods.default.delete.call(hooks).catch(() => undefined);
		for (const key of ['in/a b+c.txt', 'in/skip.csv', 'out/skip.txt']) {
			await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
		}
		await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
		await topicsApi({ Action: 'DeleteTopic', TopicArn: userTopicArn }).catch(() => undefined);
		await webhook.stop();
		client.destroy();
		destroyClients();
	});

	test('activation registers a topic pushing to the webhook and a notification, next to the user\'s own', async () => {
		const hooks = hookFunctions(state);
		expect(await trigger.webhookMethods.default.checkExists.call(hooks)).toBe(false);
		expect(await trigger.webhookMethods.default.create.call(hooks)).toBe(true);
		const registration = state.staticData.registration as { id: string; topicArn: string };
		expect(registration.id).toMatch(/^n8n-wfEventTest-[0-9a-f]{12}$/);

		expect(await notificationIds(client, bucket)).toEqual([registration.id, 'users-own'].sort());
		const topic = await topicsApi({ Action: 'GetTopic', TopicArn: registration.topicArn });
		expect(topic.status).toBe(200);
		expect(topic.body).toContain(`<EndpointAddress>${state.webhookUrl}</EndpointAddress>`);
		expect(await trigger.webhookMethods.default.checkExists.call(hooks)).toBe(true);
	});

	test('an upload arrives as "created" and a delete as "removed", key decoded, other keys not delivered', async () => {
		const started = Date.now();
		const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/a b+c.txt', Body: 'hello events' }));
		// Outside the suffix and outside the prefix: the server filters them, the node would too.
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/skip.csv', Body: 'x' }));
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'out/skip.txt', Body: 'x' }));
		const [created] = await webhook.waitFor((items) => items.some((item) => item.event === 'created'));
		console.log(`created event reached the webhook after ${Date.now() - started} ms (queued delivery)`);
		expect(created).toMatchObject({
			event: 'created',
			eventName: 'ObjectCreated:Put',
			bucket,
			key: 'in/a b+c.txt',
			size: 12,
			etag: put.ETag?.replace(/"/g, ''),
		});
		expect(typeof created.eventTime).toBe('string');
		expect(created.record).toBeDefined();
		// The trigger's secret token is not handed to the workflow.
		expect(JSON.stringify(created)).not.toContain((state.staticData.registration as { secret: string }).secret);

		await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'in/a b+c.txt' }));
		const items = await webhook.waitFor((all) => all.some((item) => item.event === 'removed'));
		expect(items.find((item) => item.event === 'removed')).toMatchObject({ event: 'removed', bucket, key: 'in/a b+c.txt' });
		expect(items.map((item) => item.key)).not.toContain('in/skip.csv');
		expect(items.map((item) => item.key)).not.toContain('out/skip.txt');
		expect(webhook.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
	});

	test('a forged push is refused: no token, a wrong token, or another bucket', async () => {
		const genuine = webhook.deliveries.find((delivery) => delivery.items.length > 0)?.body ?? '';
		const records = (JSON.parse(genuine) as { Records: IDataObject[] }).Records;
		const post = async (body: unknown) => {
			const response = await fetch(state.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: response.status, text: await response.text() };
		};
		const before = webhook.items().length;
		expect((await post({ Records: records.map((record) => ({ ...record, opaqueData: undefined })) })).status).toBe(401);
		expect((await post({ Records: records.map((record) => ({ ...record, opaqueData: 'guessed' })) })).status).toBe(401);
		expect((await post({ hello: 'world' })).status).toBe(400);
		const otherBucket = records.map((record) => ({ ...record, s3: { ...(record.s3 as IDataObject), bucket: { name: 'someone-elses' } } }));
		const refused = await post({ Records: otherBucket });
		expect(refused.status).toBe(403);
		expect(refused.text).toContain(bucket);
		expect(webhook.items().length).toBe(before);
	});

	test('deactivation removes its notification and topic and leaves the user\'s own', async () => {
		const hooks = hookFunctions(state);
		const registration = state.staticData.registration as { id: string; topicArn: string };
		expect(await trigger.webhookMethods.default.delete.call(hooks)).toBe(true);
		expect(await notificationIds(client, bucket)).toEqual(['users-own']);
		expect((await topicsApi({ Action: 'GetTopic', TopicArn: registration.topicArn })).status).toBe(404);
		expect((await topicsApi({ Action: 'GetTopic', TopicArn: userTopicArn })).status).toBe(200);
		expect(state.staticData.registration).toBeUndefined();
		expect(await trigger.webhookMethods.default.checkExists.call(hooks)).toBe(false);

		// Nothing is pushed any more.
		const before = webhook.deliveries.length;
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/after.txt', Body: 'x' }));
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'in/after.txt' }));
		expect(webhook.deliveries.length).toBe(before);
	});
});
