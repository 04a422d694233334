'use strict';
/**
 * A tiny counting HTTP proxy on 127.0.0.1 in front of an S3 endpoint (plain http, path-style).
 * It forwards every request unchanged (the Host header too, so SigV4 signatures stay valid) and
 * records what went through: method, path, query operation and which client connection carried it.
 * Used by the tests to count requests per item and keep-alive sockets, and to inject failures.
 */
const http = require('node:http');

/** The S3 operation a request names by its query (e.g. "uploads", "partNumber", "delete", "location"). */
function queryOperation(url) {
	const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
	const names = query
		.split('&')
		.filter(Boolean)
		.map((pair) => decodeURIComponent(pair.split('=')[0]))
		.filter((name) => !name.startsWith('X-Amz-') && !name.startsWith('x-id'));
	return names.sort().join('&');
}

/**
 * `intercept` may answer a request itself (`{ status, body }`, e.g. to inject a failure) or hold
 * it back for a while (`{ delayMs }`) before forwarding it.
 * @param {string} targetEndpoint e.g. http://127.0.0.1:7480
 * @param {{ intercept?: (req: http.IncomingMessage, record: object) => ({ status?: number, body?: string, delayMs?: number } | undefined) }} options
 */
async function startCountingProxy(targetEndpoint, options = {}) {
	const target = new URL(targetEndpoint);
	if (target.protocol !== 'http:') throw new Error('the counting proxy forwards plain http only');
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const requests = [];
	const sockets = new Set();
	let socketCounter = 0;
	let openSockets = 0;
	let peakOpenSockets = 0;
	let inFlight = 0;
	let peakInFlight = 0;

	const server = http.createServer((req, res) => {
		const record = {
			method: req.method,
			path: req.url.split('?')[0],
			operation: queryOperation(req.url),
			socket: req.socket.__benchId,
			at: Date.now(),
		};
		requests.push(record);
		// a request is "in flight" from its arrival until its answer is finished
		inFlight += 1;
		peakInFlight = Math.max(peakInFlight, inFlight);
		res.on('close', () => {
			inFlight -= 1;
			record.finishedAt = Date.now();
		});
		const injected = options.intercept?.(req, record);
		if (injected?.status) {
			req.resume();
			res.writeHead(injected.status, { 'content-type': 'application/xml' });
			res.end(injected.body ?? '');
			return;
		}
		if (injected?.delayMs) {
			req.pause();
			setTimeout(() => forward(req, res, record), injected.delayMs);
			return;
		}
		forward(req, res, record);
	});

	function forward(req, res, record) {
		const upstream = http.request(
			{ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
			(answer) => {
				record.status = answer.statusCode;
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			record.error = error.message;
			if (!res.headersSent) res.writeHead(502);
			res.end();
		});
		req.on('aborted', () => upstream.destroy());
		req.pipe(upstream);
	}
	server.keepAliveTimeout = 30_000;
	server.on('connection', (socket) => {
		socket.__benchId = ++socketCounter;
		sockets.add(socket);
		openSockets += 1;
		peakOpenSockets = Math.max(peakOpenSockets, openSockets);
		socket.on('close', () => {
			openSockets -= 1;
			sockets.delete(socket);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();

	return {
		endpoint: `http://127.0.0.1:${port}`,
		requests,
		/** Forgets what was recorded so far (sockets stay open). */
		reset() {
			requests.length = 0;
			peakOpenSockets = openSockets;
			peakInFlight = inFlight;
		},
		stats() {
			const byOperation = {};
			for (const r of requests) {
				const name = `${r.method} ${r.operation || (r.path.split('/').filter(Boolean).length > 1 ? 'object' : 'bucket')}`;
				byOperation[name] = (byOperation[name] ?? 0) + 1;
			}
			return {
				requests: requests.length,
				byOperation,
				connectionsUsed: new Set(requests.map((r) => r.socket)).size,
				connectionsOpened: socketCounter,
				openSockets,
				peakOpenSockets,
				peakInFlight,
			};
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			agent.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startCountingProxy, queryOperation };
