/**
 * Bucket notifications: the requests the S3 Storage Event Trigger makes to register and remove a
 * push to its webhook. The notification configuration is S3's own API (through `send`); topics go
 * through the SNS API, which Ceph RGW answers at the S3 endpoint itself and AWS at sns.REGION.
 * Both are form-encoded POSTs signed with SigV4 and sent through the client's own request handler,
 * so they have the same deadlines, proxy and TLS settings as every S3 request, and are retried the
 * same way. Nothing here reads the node's fields: the trigger passes in what to register.
 */
import {
	GetBucketNotificationConfigurationCommand,
	type NotificationConfiguration,
	PutBucketNotificationConfigurationCommand,
} from '@aws-sdk/client-s3';

import type { S3Connection } from './connection';
import { bucketUrl, serviceError, signedRequest, xmlValue } from './signedRequest';

const SNS_API_VERSION = '2010-03-31';
/** Certificates and confirmation pages are small: anything larger is not what was asked for. */
const MAX_SMALL_BODY = 64 * 1024;

/** Where the SNS API is: the S3 endpoint itself on RGW, sns.REGION.amazonaws.com on AWS. */
function snsEndpoint(connection: S3Connection): URL {
	if (connection.resolved.isAws) {
		const suffix = connection.resolved.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
		return new URL(`https://sns.${connection.resolved.region}.${suffix}/`);
	}
	const base = new URL(connection.resolved.endpoint ?? '');
	base.pathname = `${base.pathname.replace(/\/+$/, '')}/`;
	return base;
}

async function sns(connection: S3Connection, action: string, params: Record<string, string>, what: string, tolerate404 = false): Promise<string | undefined> {
	const body = new URLSearchParams({ Action: action, ...params, Version: SNS_API_VERSION }).toString();
	const answer = await signedRequest(connection, snsEndpoint(connection), {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
		sign: 'sns',
		what,
	});
	if (answer.status === 404 && tolerate404) return undefined;
	if (answer.status >= 300) {
		const error = serviceError(answer.status, answer.body, 'TopicRequestFailed');
		if (tolerate404 && /NotFound|NoSuchEntity/.test((error as { Code?: string }).Code ?? '')) return undefined;
		if (answer.status === 404 || answer.status === 405 || answer.status === 501) {
			return connection.fail(error, {
				action: `${what}: the server has no notification topics API (it answered HTTP ${answer.status} to ${action})`,
			});
		}
		return connection.fail(error, { action: what });
	}
	return answer.body;
}

function attributes(entries: Record<string, string>): Record<string, string> {
	const params: Record<string, string> = {};
	Object.entries(entries).forEach(([key, value], index) => {
		params[`Attributes.entry.${index + 1}.key`] = key;
		params[`Attributes.entry.${index + 1}.value`] = value;
	});
	return params;
}

/** A topic as RGW describes it. */
export interface PushTopic {
	arn: string;
	pushEndpoint?: string;
	opaqueData?: string;
}

/** RGW: a topic that POSTs every event to `pushEndpoint`, with `opaqueData` in each record. Returns its ARN. */
export async function createPushTopic(
	connection: S3Connection,
	topic: { name: string; pushEndpoint: string; opaqueData: string; persistent: boolean },
): Promise<string> {
	const what = `create the notification topic "${topic.name}"`;
	const body = await sns(
		connection,
		'CreateTopic',
		{
			Name: topic.name,
			...attributes({
				'push-endpoint': topic.pushEndpoint,
				OpaqueData: topic.opaqueData,
				persistent: String(topic.persistent),
				...(topic.pushEndpoint.startsWith('https:') ? { 'verify-ssl': 'true' } : {}),
			}),
		},
		what,
	);
	const arn = xmlValue(body ?? '', 'TopicArn');
	if (!arn) return connection.fail(serviceError(500, body ?? '', 'NoTopicArn'), { action: `${what} (the answer named no topic)` });
	return arn;
}

/** RGW: the topic, or undefined when it is gone. */
export async function getPushTopic(connection: S3Connection, arn: string): Promise<PushTopic | undefined> {
	const body = await sns(connection, 'GetTopic', { TopicArn: arn }, `read the notification topic "${arn}"`, true);
	if (body === undefined) return undefined;
	return { arn, pushEndpoint: xmlValue(body, 'EndpointAddress'), opaqueData: xmlValue(body, 'OpaqueData') };
}

/** AWS: a topic S3 may publish this bucket's events to. Returns its ARN. */
export async function createSnsTopic(connection: S3Connection, name: string, bucket: string): Promise<string> {
	const what = `create the SNS topic "${name}"`;
	const body = await sns(connection, 'CreateTopic', { Name: name }, what);
	const arn = xmlValue(body ?? '', 'TopicArn');
	if (!arn) return connection.fail(serviceError(500, body ?? '', 'NoTopicArn'), { action: `${what} (the answer named no topic)` });
	const policy = {
		Version: '2012-10-17',
		Statement: [
			{
				Sid: 'BucketPublishes',
				Effect: 'Allow',
				Principal: { Service: 's3.amazonaws.com' },
				Action: 'SNS:Publish',
				Resource: arn,
				Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:*:*:${bucket}` } },
			},
		],
	};
	await sns(
		connection,
		'SetTopicAttributes',
		{ TopicArn: arn, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) },
		`allow bucket "${bucket}" to publish to the SNS topic "${name}"`,
	);
	return arn;
}

/** AWS: whether the topic still exists. */
export async function snsTopicExists(connection: S3Connection, arn: string): Promise<boolean> {
	return (await sns(connection, 'GetTopicAttributes', { TopicArn: arn }, `read the SNS topic "${arn}"`, true)) !== undefined;
}

/** AWS: an HTTPS subscription of `url` to the topic; SNS then sends it a SubscriptionConfirmation. */
export async function subscribeHttps(connection: S3Connection, topicArn: string, url: string): Promise<string | undefined> {
	const protocol = url.startsWith('https:') ? 'https' : 'http';
	const body = await sns(
		connection,
		'Subscribe',
		{ TopicArn: topicArn, Protocol: protocol, Endpoint: url, ReturnSubscriptionArn: 'true' },
		`subscribe the webhook to the SNS topic "${topicArn}"`,
	);
	return xmlValue(body ?? '', 'SubscriptionArn');
}

/** Deletes a topic (and, on AWS, its subscriptions). Deleting one that is gone is not an error. */
export async function deleteTopic(connection: S3Connection, arn: string): Promise<void> {
	await sns(connection, 'DeleteTopic', { TopicArn: arn }, `delete the notification topic "${arn}"`, true);
}

/** The bucket's notification configuration (empty when it has none). */
export async function readNotifications(connection: S3Connection, bucket: string): Promise<NotificationConfiguration> {
	const output = await connection.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }), {
		action: 'read the event notifications of',
		bucket,
	});
	return {
		TopicConfigurations: output.TopicConfigurations,
		QueueConfigurations: output.QueueConfigurations,
		LambdaFunctionConfigurations: output.LambdaFunctionConfigurations,
		EventBridgeConfiguration: output.EventBridgeConfiguration,
	};
}

/** The configuration without the entries whose Id is `id`. */
export function withoutNotification(config: NotificationConfiguration, id: string): NotificationConfiguration {
	const keep = <T extends { Id?: string }>(list: T[] | undefined) => list?.filter((entry) => entry.Id !== id);
	return {
		...config,
		TopicConfigurations: keep(config.TopicConfigurations),
		QueueConfigurations: keep(config.QueueConfigurations),
		LambdaFunctionConfigurations: keep(config.LambdaFunctionConfigurations),
	};
}

export function hasNotification(config: NotificationConfiguration, id: string): boolean {
	return [config.TopicConfigurations, config.QueueConfigurations, config.LambdaFunctionConfigurations].some((list) =>
		(list ?? []).some((entry) => entry.Id === id),
	);
}

/**
 * Adds one entry to the bucket's notifications and keeps every other one: S3 replaces the whole
 * configuration on every write (RGW adds to it), so what is there is read first and written back.
 */
export async function addNotification(
	connection: S3Connection,
	bucket: string,
	entry: { id: string; events: string[]; prefix?: string; suffix?: string } & ({ topicArn: string } | { queueArn: string }),
): Promise<void> {
	const current = withoutNotification(await readNotifications(connection, bucket), entry.id);
	const rules = [
		...(entry.prefix ? [{ Name: 'prefix' as const, Value: entry.prefix }] : []),
		...(entry.suffix ? [{ Name: 'suffix' as const, Value: entry.suffix }] : []),
	];
	const common = { Id: entry.id, Events: entry.events as never, ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}) };
	const next: NotificationConfiguration = {
		...current,
		TopicConfigurations: [...(current.TopicConfigurations ?? []), ...('topicArn' in entry ? [{ ...common, TopicArn: entry.topicArn }] : [])],
		QueueConfigurations: [...(current.QueueConfigurations ?? []), ...('queueArn' in entry ? [{ ...common, QueueArn: entry.queueArn }] : [])],
	};
	await connection.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: compactConfig(next) }), {
		action: 'add an event notification to',
		bucket,
	});
}

/** Empty lists left out: RGW refuses an empty <TopicConfiguration> list as malformed. */
function compactConfig(config: NotificationConfiguration): NotificationConfiguration {
	const out: NotificationConfiguration = {};
	if (config.TopicConfigurations?.length) out.TopicConfigurations = config.TopicConfigurations;
	if (config.QueueConfigurations?.length) out.QueueConfigurations = config.QueueConfigurations;
	if (config.LambdaFunctionConfigurations?.length) out.LambdaFunctionConfigurations = config.LambdaFunctionConfigurations;
	if (config.EventBridgeConfiguration) out.EventBridgeConfiguration = config.EventBridgeConfiguration;
	return out;
}

/**
 * Removes the entry `id` and nothing else. S3 and MinIO: the configuration is written back without
 * it. RGW keeps entries a write leaves out, so there it is deleted by its Id
 * (`DELETE /bucket?notification=id`, RGW's own extension); the result is read back either way.
 */
export async function removeNotification(connection: S3Connection, bucket: string, id: string, options: { byId: boolean }): Promise<void> {
	const current = await readNotifications(connection, bucket);
	if (!hasNotification(current, id)) return;
	if (options.byId) {
		const url = bucketUrl(connection, bucket);
		url.searchParams.set('notification', id);
		const answer = await signedRequest(connection, url, { method: 'DELETE', sign: 's3', what: 'remove the event notification from', bucket });
		if (answer.status >= 300 && answer.status !== 404) {
			return connection.fail(serviceError(answer.status, answer.body, 'NotificationRemovalFailed'), { action: 'remove the event notification from', bucket });
		}
	} else {
		await connection.send(
			new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: compactConfig(withoutNotification(current, id)) }),
			{ action: 'remove the event notification from', bucket },
		);
	}
	if (hasNotification(await readNotifications(connection, bucket), id)) {
		connection.fail(Object.assign(new Error(`notification "${id}" is still configured after removing it`), { name: 'NotificationNotRemoved' }), {
			action: 'remove the event notification from',
			bucket,
		});
	}
}

/**
 * A small HTTPS GET (an SNS signing certificate, a subscription confirmation), with the client's
 * deadlines. The caller checks the URL first; this only fetches it.
 */
export async function fetchSmall(connection: S3Connection, url: string, what: string): Promise<string> {
	const answer = await signedRequest(connection, new URL(url), { method: 'GET', limit: MAX_SMALL_BODY, what });
	if (answer.status >= 300) return connection.fail(serviceError(answer.status, answer.body, `HTTP${answer.status}`), { action: what });
	return answer.body;
}
