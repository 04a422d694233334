/**
 * Where a Custom API Call goes and how it is signed, without a server: the request the S3 client
 * hands to its HTTP handler for path-style and virtual-hosted addressing, a base path, a key that
 * needs encoding, a raw path, and bodies in memory (Content-MD5, signed payload) or streamed.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { S3Client } from '@aws-sdk/client-s3';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import type { INode } from 'n8n-workflow';

import { buildClientConfig } from '../../nodes/S3Storage/transport/client';
import { S3Connection } from '../../nodes/S3Storage/transport/connection';
import { sendCustomRequest, type CustomRequest } from '../../nodes/S3Storage/transport/custom';

const node = { name: 'S3', type: 's3Storage', typeVersion: 2, position: [0, 0], parameters: {} } as unknown as INode;

/** Sends `request` through a client built from the credential `fields`, answering 200 without a network. */
async function sent(fields: Record<string, unknown>, request: Partial<CustomRequest>): Promise<HttpRequest> {
	const { config, resolved } = buildClientConfig({ provider: 'other', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example', region: 'eu-central-1', ...fields });
	let captured: HttpRequest | undefined;
	const client = new S3Client({
		...config,
		requestHandler: {
			handle: async (httpRequest: HttpRequest) => {
				captured = httpRequest;
				const body = httpRequest.body;
				if (body instanceof Readable) for await (const _chunk of body) void _chunk;
				return { response: new HttpResponse({ statusCode: 200, headers: { 'content-length': '0' }, body: Readable.from([]) }) };
			},
		},
	});
	const connection = new S3Connection(node, client, resolved, '', undefined, 1);
	await sendCustomRequest(connection, { method: 'GET', query: {}, headers: {}, ...request }, { action: 'send' });
	client.destroy();
	return captured!;
}

describe('Custom API Call requests', () => {
	it('path-style: bucket in the path, key encoded as S3 encodes keys, signed for the credential\'s region', async () => {
		const request = await sent({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true }, { bucket: 'my-bucket', key: 'a b/c+d(1).txt', query: { tagging: '' } });
		expect(request.hostname).toBe('127.0.0.1');
		expect(request.port).toBe(9000);
		expect(request.path).toBe('/my-bucket/a%20b/c%2Bd%281%29.txt');
		expect(request.query).toEqual({ tagging: '' });
		expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/s3\/aws4_request/);
		expect(request.headers.authorization).not.toContain('secret-example');
	});

	it('virtual-hosted: the bucket in the host name; no bucket: the service itself', async () => {
		const vhost = await sent({ endpoint: 'https://s3.example.com', forcePathStyle: false }, { bucket: 'my-bucket', key: 'k.txt' });
		expect(vhost.hostname).toBe('my-bucket.s3.example.com');
		expect(vhost.path).toBe('/k.txt');
		const service = await sent({ endpoint: 'https://s3.example.com', forcePathStyle: false }, {});
		expect(service.hostname).toBe('s3.example.com');
		expect(service.path).toBe('/');
	});

	it('an endpoint with a base path keeps it in front of the bucket; a raw path is sent as typed', async () => {
		const request = await sent({ endpoint: 'https://proj.example.co/storage/v1/s3', forcePathStyle: true }, { bucket: 'b1', rawPath: 'x%2By/z.txt' });
		expect(request.path).toBe('/storage/v1/s3/b1/x%2By/z.txt');
	});

	it('a text body gets Content-MD5 and a signed payload hash; a streamed body is sent UNSIGNED-PAYLOAD with its length', async () => {
		const text = Buffer.from('<Tagging><TagSet/></Tagging>');
		const inMemory = await sent({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true }, {
			method: 'PUT',
			bucket: 'b1',
			query: { tagging: '' },
			body: { size: text.length, contentType: 'application/xml', open: async () => text },
		});
		expect(inMemory.headers['content-md5']).toBe(createHash('md5').update(text).digest('base64'));
		expect(inMemory.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(text).digest('hex'));
		expect(inMemory.headers['content-type']).toBe('application/xml');
		const streamed = await sent({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true }, {
			method: 'PUT',
			bucket: 'b1',
			key: 'big.bin',
			body: { size: 3, open: async () => Readable.from([Buffer.from('abc')]) },
		});
		expect(streamed.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
		expect(streamed.headers['content-length']).toBe('3');
		expect(streamed.headers['content-md5']).toBeUndefined();
	});
});
