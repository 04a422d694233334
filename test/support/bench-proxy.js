'use strict';
/**
 * Two proxies on 127.0.0.1 in front of an S3 endpoint (plain http, path-style):
 * - a counting HTTP proxy: forwards every request unchanged (the Host header too, so SigV4
 *   signatures stay valid) and records what went through: method, path, query operation and which
 *   client connection carried it. Used by the tests to count requests per item and keep-alive
 *   sockets, and to inject failures.
 * - a latency proxy at the TCP level: every byte waits half a round trip each way, and a new
 *   connection one round trip more (the handshake), so any client (SDK, CLI tool) sees a distant
 *   server. Used by the benchmark (`--rtt=`).
 */
const http = require('node:http');
const net = require('node:net');

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

/**
 * One direction of a delayed TCP connection: chunks read from `from` are written to `to` `delayMs`
 * after they arrived (never before `notBefore()`), in order. At most `windowBytes` wait at once:
 * past that `from` is paused, as a real link's window would hold the sender back.
 */
function delayedPipe(from, to, delayMs, windowBytes, notBefore, stats) {
	const queue = [];
	let queued = 0;
	let timer;
	let waitingForDrain = false;
	let ended = false;

	const flush = () => {
		timer = undefined;
		const now = performance.now();
		while (queue.length > 0 && queue[0].due <= now && !waitingForDrain) {
			const { chunk } = queue.shift();
			if (chunk === null) {
				to.end();
				return;
			}
			queued -= chunk.length;
			stats.bytes += chunk.length;
			if (!to.write(chunk)) {
				waitingForDrain = true;
				to.once('drain', () => {
					waitingForDrain = false;
					flush();
				});
			}
		}
		if (queued < windowBytes && from.isPaused() && !ended) from.resume();
		schedule();
	};
	const schedule = () => {
		if (timer || waitingForDrain || queue.length === 0) return;
		timer = setTimeout(flush, Math.max(0, queue[0].due - performance.now()));
	};
	const push = (chunk) => {
		queue.push({ chunk, due: Math.max(performance.now(), notBefore()) + delayMs });
		schedule();
	};
	from.on('data', (chunk) => {
		queued += chunk.length;
		push(chunk);
		if (queued >= windowBytes) from.pause();
	});
	from.on('end', () => {
		ended = true;
		push(null);
	});
	return {
		stop() {
			clearTimeout(timer);
			queue.length = 0;
		},
	};
}

/**
 * A TCP proxy that adds `rttMs` of round-trip time between its clients and `targetEndpoint`:
 * rttMs/2 on each direction, plus one round trip before a new connection's first bytes go out
 * (what the TCP handshake costs on a real network; TLS is not modelled: the benchmark runs
 * plain http). Bandwidth is loopback's, up to `windowBytes` in flight per direction and connection
 * (default 4 MiB, a typical Linux TCP window). Bytes pass unchanged, so signatures stay valid.
 * @param {string} targetEndpoint e.g. http://127.0.0.1:7480
 * @param {{ rttMs: number, windowBytes?: number }} options
 */
async function startLatencyProxy(targetEndpoint, options) {
	const target = new URL(targetEndpoint);
	if (target.protocol !== 'http:') throw new Error('the latency proxy forwards plain http only');
	const rttMs = Number(options.rttMs);
	if (!(rttMs >= 0)) throw new Error(`rttMs must be a number >= 0, got ${options.rttMs}`);
	const windowBytes = options.windowBytes ?? 4 * 1024 * 1024;
	const oneWay = rttMs / 2;
	const sockets = new Set();
	const stats = { connections: 0, bytes: 0 };

	// half-open allowed on both sides: a FIN travels through the delay queue like the bytes before it
	const server = net.createServer({ allowHalfOpen: true }, (client) => {
		stats.connections += 1;
		const acceptedAt = performance.now();
		const upstream = net.connect({ host: target.hostname, port: Number(target.port || 80), allowHalfOpen: true });
		client.setNoDelay(true);
		upstream.setNoDelay(true);
		sockets.add(client);
		sockets.add(upstream);
		// the client thinks it is connected at once: its first bytes wait for the handshake's round trip
		const up = delayedPipe(client, upstream, oneWay, windowBytes, () => acceptedAt + rttMs, stats);
		const down = delayedPipe(upstream, client, oneWay, windowBytes, () => 0, stats);
		let closing = false;
		const abort = () => {
			if (closing) return;
			closing = true;
			// a reset travels with the delay too
			setTimeout(() => {
				up.stop();
				down.stop();
				client.destroy();
				upstream.destroy();
			}, oneWay);
		};
		for (const socket of [client, upstream]) {
			socket.on('error', abort);
			socket.on('close', (hadError) => {
				sockets.delete(socket);
				if (hadError) abort();
			});
		}
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		endpoint: `http://127.0.0.1:${port}`,
		rttMs,
		stats() {
			return { ...stats, openSockets: sockets.size };
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startCountingProxy, startLatencyProxy, queryOperation };
