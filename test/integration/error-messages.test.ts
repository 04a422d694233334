/**
 * Messages that say what was wrong and how to fix it, for failures that need a real server or a
 * real proxy in front of it: a proxy's HTML error page, a body cut mid-way, an endpoint with a
 * base path (served through a proxy, and not served), a storage class the server does not offer.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { destroyClients } from '../../nodes/S3Storage/transport/client';
import { bucketParam, runNode, runNodeError } from '../support/harness';
import { capabilities, credentialFor, getTarget, uniqueBucket } from '../support/target';

const target = getTarget();
const caps = capabilities(target);
const bucket = uniqueBucket('words');

const NGINX_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

type Handler = (req: IncomingMessage, res: ServerResponse, forward: (path?: string, onBody?: (upstream: IncomingMessage) => void) => void) => void;

/** A plain HTTP proxy in front of the test server; `handler` decides what each request gets. */
async function startProxy(handler: Handler) {
	const upstreamUrl = new URL(target.endpoint);
	const server: Server = createServer((req, res) => {
		const forward = (path = req.url, onBody?: (upstream: IncomingMessage) => void) => {
			const upstream = httpRequest(
				{ host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path, headers: req.headers },
				(response) => {
					res.writeHead(response.statusCode ?? 502, response.headers);
					if (onBody) onBody(response);
					else response.pipe(res);
				},
			);
			upstream.on('error', () => res.destroy());
			req.pipe(upstream);
		};
		handler(req, res, forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

beforeAll(async () => {
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await runNode({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), dataSource: 'text', text: 'hello', key: 'seed/a.txt' });
});

afterAll(async () => {
	destroyClients();
	await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
});

it('a proxy answering 502 with an HTML page is named as such, not as an XML parse error', async () => {
	const proxy = await startProxy((req, res) => {
		req.resume();
		res.writeHead(502, { 'Content-Type': 'text/html' });
		res.end(NGINX_502);
	});
	try {
		const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true }, undefined, {
			credential: credentialFor(target, { endpoint: proxy.endpoint, maxAttempts: 1 }),
		});
		expect(error.message).toBe(
			`Could not list objects in bucket "${bucket}": the server at ${proxy.endpoint} or a proxy in front of it answered HTTP 502 with something that is not an S3 answer (text/html) [item 0]`,
		);
		expect(error.message).not.toMatch(/XML/);
		expect(error.description).toMatch(/proxy, load balancer or gateway that could not reach the S3 server/);
	} finally {
		await proxy.close();
	}
});

it('a listing whose body is cut mid-way says the connection was cut while the body was being received', async () => {
	const proxy = await startProxy((req, _res, forward) => {
		const listing = req.method === 'GET' && req.url?.includes('list-type=2');
		forward(req.url, listing ? (upstream) => {
			// Headers (with the full length) are out; send a few bytes of the body, then drop the connection.
			upstream.once('data', (chunk: Buffer) => {
				_res.write(chunk.subarray(0, 20));
				setTimeout(() => _res.socket?.destroy(), 20);
			});
		} : undefined);
	});
	try {
		const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true }, undefined, {
			credential: credentialFor(target, { endpoint: proxy.endpoint, maxAttempts: 1 }),
		});
		expect(error.message).toBe(
			`Could not list objects in bucket "${bucket}": the connection was cut while the body was being received from the S3 endpoint at ${proxy.endpoint} [item 0]`,
		);
		expect(error.description).toMatch(/Run the item again/);
	} finally {
		await proxy.close();
	}
});

describe('an endpoint with a base path', () => {
	// A server without signature checks can sit behind a proxy that serves it under a path; a server that
	// checks signatures must itself serve the path (as hosted S3 APIs with a base path do).
	(caps.checksSignatures ? it.skip : it)('works as a base path: requests go below it', async () => {
		const seen: string[] = [];
		const proxy = await startProxy((req, res, forward) => {
			seen.push(req.url ?? '');
			if (!req.url?.startsWith('/s3/v1/')) {
				res.writeHead(404).end();
				return;
			}
			forward(req.url.slice('/s3/v1'.length));
		});
		try {
			const credential = credentialFor(target, { endpoint: `${proxy.endpoint}/s3/v1/` });
			await runNode({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), dataSource: 'text', text: 'via base path', key: 'based/b.txt' }, undefined, {
				credential,
			});
			const listed = await runNode({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true, options: { prefix: 'based/' } }, undefined, {
				credential,
			});
			expect(listed.map((item) => item.json.key)).toEqual(['based/b.txt']);
			const read = await runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'based/b.txt' }, undefined, { credential });
			expect(read[0].json.objectData).toBe('via base path');
			expect(seen.length).toBeGreaterThanOrEqual(3);
			expect(seen.every((path) => path.startsWith(`/s3/v1/${bucket}`))).toBe(true);
		} finally {
			await proxy.close();
		}
	});

	it('a base path the server does not serve is named in the error', async () => {
		const error = await runNodeError({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true }, undefined, {
			credential: credentialFor(target, { endpoint: `${target.endpoint}/s3/v1`, maxAttempts: 1 }),
		});
		expect(error.description).toMatch(
			new RegExp(`The endpoint has the base path "/s3/v1": every request goes to ${target.endpoint.replace(/[.:/]/g, '\\$&')}/s3/v1/BUCKET/KEY`),
		);
		expect(error.description).toMatch(/remove the path from the credential's Endpoint/);
	});
});

// s3rver stores any storage class; Ceph RGW 16 without extra placement targets answers InvalidArgument.
(target.server === 'rgw' ? it : it.skip)('a storage class the server does not offer is named', async () => {
	const error = await runNodeError({
		resource: 'object',
		operation: 'upload',
		bucket: bucketParam(bucket),
		dataSource: 'text',
		text: 'cold',
		key: 'cold.txt',
		options: { storageClass: 'GLACIER' },
	});
	expect(error.message).toBe(
		`Could not upload object "cold.txt" in bucket "${bucket}": the server does not offer storage class "GLACIER" (InvalidArgument, HTTP 400) [item 0]`,
	);
	expect(error.description).toMatch(/Choose a class this server offers/);
});
