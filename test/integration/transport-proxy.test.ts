/**
 * Behind a corporate HTTP proxy: the node goes through the proxy the n8n host's HTTP_PROXY names
 * (a real tinyproxy), and straight to the server for hosts NO_PROXY exempts.
 */
import { destroyClients } from '../../nodes/S3Storage/transport/client';
import { bucketParam, runNode } from '../support/harness';
import { getTarget, uniqueBucket } from '../support/target';
import { startTinyproxy, tinyproxyAvailable, type HttpProxy } from '../support/httpProxy';

const target = getTarget();
const bucket = uniqueBucket('proxy');
const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY, http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy };
let proxy: HttpProxy;

const describeWithProxy = tinyproxyAvailable() ? describe : describe.skip;

describeWithProxy('through an HTTP proxy (tinyproxy)', () => {
	beforeAll(async () => {
		proxy = await startTinyproxy();
	});

	afterEach(() => {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
		destroyClients();
	});

	afterAll(async () => {
		await proxy.stop();
	});

	it('HTTP_PROXY: requests go through the proxy, and the round trip is intact', async () => {
		process.env.HTTP_PROXY = proxy.url;
		delete process.env.NO_PROXY;
		delete process.env.no_proxy;
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await runNode({ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), dataSource: 'text', text: 'via proxy', key: 'p.txt' });
		const [read] = await runNode({ resource: 'object', operation: 'read', bucket: bucketParam(bucket), key: 'p.txt' });
		expect(read.json.objectData).toBe('via proxy');
		const port = new URL(target.endpoint).port;
		expect(proxy.log()).toMatch(new RegExp(`${bucket}/p\\.txt`));
		expect(proxy.log()).toContain(`:${port}`);
	});

	it('NO_PROXY: an exempt host is reached directly', async () => {
		process.env.HTTP_PROXY = proxy.url;
		process.env.NO_PROXY = '127.0.0.1,localhost';
		const before = proxy.log().length;
		await runNode({ resource: 'object', operation: 'delete', bucket: bucketParam(bucket), key: 'p.txt' });
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket) });
		expect(proxy.log().slice(before)).not.toContain(bucket);
	});
});
