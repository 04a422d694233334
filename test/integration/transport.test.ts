/**
 * The transport's promises: one client per credential and region, reused; retries in the SDK's
 * standard mode up to the credential's Max Attempts; readable errors when the server's own
 * message is empty (as Ceph RGW sends them).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { destroyClients, getClient } from '../../nodes/S3Storage/transport/client';
import { runNode, runNodeError } from '../support/harness';
import { credentialFor, getTarget } from '../support/target';

const LIST_BUCKETS_XML =
	'<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets><Bucket><Name>only-bucket</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>';

/** A tiny S3 look-alike that answers with a scripted sequence of responses and counts requests. */
async function scriptedServer(responses: Array<{ status: number; body: string }>) {
	let requests = 0;
	const server: Server = createServer((req, res) => {
		req.resume();
		const response = responses[Math.min(requests, responses.length - 1)];
		requests += 1;
		res.writeHead(response.status, { 'Content-Type': 'application/xml' });
		res.end(response.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests: () => requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const slowDown = { status: 503, body: '<Error><Code>SlowDown</Code><Message></Message></Error>' };

afterAll(() => destroyClients());

it('reuses one client per credential and region', () => {
	const credential = credentialFor(getTarget());
	const first = getClient(credential);
	expect(getClient({ ...credential })).toBe(first);
	expect(getClient(credential, 'eu-west-1')).not.toBe(first);
	expect(getClient({ ...credential, secretAccessKey: 'other' })).not.toBe(first);
});

it('retries a throttled request up to Max Attempts, then succeeds', async () => {
	const server = await scriptedServer([slowDown, slowDown, { status: 200, body: LIST_BUCKETS_XML }]);
	try {
		const items = await runNode({ resource: 'bucket', operation: 'getMany', returnAll: true }, undefined, {
			credential: credentialFor(getTarget(), { endpoint: server.endpoint, maxAttempts: 3 }),
		});
		expect(items.map((item) => item.json.name)).toEqual(['only-bucket']);
		expect(server.requests()).toBe(3);
	} finally {
		await server.close();
	}
});

it('gives up after Max Attempts with an error built from the code and status when the message is empty', async () => {
	const server = await scriptedServer([slowDown]);
	try {
		const error = await runNodeError({ resource: 'bucket', operation: 'getMany', returnAll: true }, undefined, {
			credential: credentialFor(getTarget(), { endpoint: server.endpoint, maxAttempts: 2 }),
		});
		expect(server.requests()).toBe(2);
		expect(error.message).toBe('The server is throttling requests (SlowDown, HTTP 503) while trying to list buckets [item 0]');
		expect(error.description).toMatch(/concurrency|Max Attempts/);
	} finally {
		await server.close();
	}
});

it('an unknown error code with an empty message still says what failed, with code and status', async () => {
	const server = await scriptedServer([{ status: 400, body: '<Error><Code>XNotInvented</Code><Message></Message></Error>' }]);
	try {
		const error = await runNodeError({ resource: 'bucket', operation: 'getMany', returnAll: true }, undefined, {
			credential: credentialFor(getTarget(), { endpoint: server.endpoint, maxAttempts: 1 }),
		});
		expect(error.message).toBe('Could not list buckets: XNotInvented (XNotInvented, HTTP 400) [item 0]');
	} finally {
		await server.close();
	}
});
