/**
 * An HTTPS front for the test S3 server, with a certificate made on the spot by openssl and
 * signed by a throwaway CA: lets tests prove certificate checking, self-signed acceptance and
 * custom CAs against a real server. Host headers pass through unchanged, so signatures hold.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsProxy {
	endpoint: string;
	caPem: string;
	close(): Promise<void>;
}

function makeCertificates(dir: string) {
	const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
	run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=n8n-s3-test-ca');
	run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
	require('node:fs').writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
	run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
	return {
		ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
		key: readFileSync(join(dir, 'server.key')),
		cert: readFileSync(join(dir, 'server.pem')),
	};
}

export async function startTlsProxy(targetEndpoint: string): Promise<TlsProxy> {
	const dir = mkdtempSync(join(tmpdir(), 'tls-proxy-'));
	const { ca, key, cert } = makeCertificates(dir);
	const target = new URL(targetEndpoint);
	const server: Server = createServer({ key, cert }, (req, res) => {
		const upstream = httpRequest(
			{ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
			(response) => {
				res.writeHead(response.statusCode ?? 502, response.headers);
				response.pipe(res);
			},
		);
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		endpoint: `https://127.0.0.1:${port}`,
		caPem: ca,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
