/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of an S3 endpoint (plain http, path-style).
 * It forwards every request unchanged (the Host header too, so SigV4 signatures stay valid) unless
 * the test's rule asks for a fault for that request: stall it, stall or cut its answer's body after
 * N bytes, reset the connection mid-request, answer an error itself (503 SlowDown, 502 HTML),
 * flip a byte on the way in or out, hold it back, or refuse connections for a while ("server down").
 * Every request is recorded (what it was, which fault it got, the status the proxy sent), so tests
 * can count attempts and resumes. The test that starts a proxy stops it.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a rule sees of a request. */
export interface ProxyRequest {
	method: string;
	/** The request target as sent: path and query. */
	url: string;
	/** The decoded path without the query, e.g. "/bucket/some/key". */
	path: string;
	bucket?: string;
	key?: string;
	/** The query's parameter names that name an S3 operation, sorted and joined with "&", e.g. "partNumber&uploadId". */
	operation: string;
	/** The S3 API operation this request is, e.g. "UploadPart", "GetObject", "ListObjectsV2". */
	name: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** 1 for the first request this proxy saw (since the last clear()), 2 for the next... */
	seq: number;
	/** 1 for the first request of this `name` (since the last clear()), 2 for the second... */
	nth: number;
}

/** What the proxy does with one request; `undefined` from a rule forwards it unchanged. */
export type Fault =
	/** Accept the request and read its body, then never answer (the connection stays open). */
	| { kind: 'stall' }
	/** Forward; send the answer's headers and its first `afterBytes` body bytes, then nothing (the connection stays open). */
	| { kind: 'stallBody'; afterBytes: number }
	/** Read `afterBytes` of the request body (0: nothing), then reset the connection (TCP RST). */
	| { kind: 'resetRequest'; afterBytes: number }
	/** Forward; send the answer's headers and its first `afterBytes` body bytes, then reset the connection. */
	| { kind: 'resetBody'; afterBytes: number }
	/** Read the request, then answer it here instead of the server. */
	| { kind: 'answer'; status: number; body: string; contentType?: string }
	/** Forward with the request body's byte at offset `at` inverted. */
	| { kind: 'flipRequestByte'; at: number }
	/** Forward with the answer body's byte at offset `at` inverted. */
	| { kind: 'flipResponseByte'; at: number }
	/** Forward once `until` has settled (or after `ms`). */
	| { kind: 'hold'; until?: Promise<unknown>; ms?: number };

export type FaultRule = (request: ProxyRequest) => Fault | undefined;

/** What happened to one request. */
export interface ProxyRecord {
	seq: number;
	method: string;
	path: string;
	bucket?: string;
	key?: string;
	operation: string;
	name: string;
	nth: number;
	/** Request headers worth asserting on (range, if-match, if-none-match, content-md5, ...). */
	headers: IncomingHttpHeaders;
	/** The fault applied, if any. */
	fault?: Fault['kind'];
	/** The status line the proxy sent to the client (the server's or an injected one); undefined if none. */
	status?: number;
	/** Body bytes the proxy sent to the client. */
	responseBytes: number;
	/** Why the forwarding failed, when the server could not be reached. */
	error?: string;
	at: number;
	finishedAt?: number;
}

/** An S3 error document as S3 sends it. */
export function s3ErrorAnswer(status: number, code: string, message = ''): Fault {
	return {
		kind: 'answer',
		status,
		contentType: 'application/xml',
		body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`,
	};
}

/** 503 SlowDown, the answer of a throttling S3 server. */
export const slowDown = (): Fault => s3ErrorAnswer(503, 'SlowDown', 'Please reduce your request rate.');

/** 502 with an HTML page, as a load balancer or reverse proxy in front of S3 answers it. */
export const badGatewayHtml = (): Fault => ({
	kind: 'answer',
	status: 502,
	contentType: 'text/html',
	body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
});

/** A deterministic pseudo-random source in [0, 1) (mulberry32), so a "share of requests" is the same every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** True for about `fraction` of the calls, the same calls on every run for a given seed. */
export function seededShare(fraction: number, seed: number): () => boolean {
	const random = seededRandom(seed);
	return () => random() < fraction;
}

/** True on every k-th call (the k-th, 2k-th, ...). */
export function everyKth(k: number): () => boolean {
	let calls = 0;
	return () => ++calls % k === 0;
}

/** The query parameter names that select an S3 operation (signature parameters of presigned URLs left out). */
export function queryOperation(query: URLSearchParams): string {
	return [...new Set(query.keys())]
		.filter((name) => !name.startsWith('X-Amz-') && name !== 'x-id')
		.sort()
		.join('&');
}

/** The S3 API operation a path-style request is. */
export function s3OperationName(method: string, bucket: string | undefined, key: string | undefined, query: URLSearchParams, headers: IncomingHttpHeaders): string {
	const has = (name: string) => query.has(name);
	if (!bucket) return method === 'GET' ? 'ListBuckets' : `${method} /`;
	if (has('uploads')) return method === 'POST' ? 'CreateMultipartUpload' : 'ListMultipartUploads';
	if (has('uploadId')) {
		if (method === 'PUT') return headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
		if (method === 'POST') return 'CompleteMultipartUpload';
		if (method === 'DELETE') return 'AbortMultipartUpload';
		return 'ListParts';
	}
	const verb = ({ GET: 'Get', PUT: 'Put', DELETE: 'Delete', HEAD: 'Head' } as Record<string, string>)[method] ?? method;
	for (const sub of ['tagging', 'acl', 'versioning', 'location', 'policy', 'cors', 'lifecycle']) {
		if (has(sub)) return `${verb}${key ? 'Object' : 'Bucket'}${sub[0].toUpperCase()}${sub.slice(1)}`;
	}
	if (has('delete') && method === 'POST') return 'DeleteObjects';
	if (!key) {
		if (method === 'GET') return has('versions') ? 'ListObjectVersions' : query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
		return { HEAD: 'HeadBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket' }[method] ?? `${method} bucket`;
	}
	if (method === 'PUT') return headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
	return { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[method] ?? `${method} object`;
}

export interface FaultProxy {
	/** http://127.0.0.1:PORT: give it to the credential as the endpoint. */
	endpoint: string;
	/** Every request since the last clear(), in arrival order. */
	requests: ProxyRecord[];
	/** The rule for the requests that arrive from now on (undefined: forward everything). */
	rule: FaultRule | undefined;
	/** The requests of one operation, e.g. named('UploadPart'). */
	named(name: string): ProxyRecord[];
	/** Forgets the records and the per-operation counters (the rule stays). */
	clear(): void;
	/**
	 * Emulates a server that is down for `ms`: closes every connection at once, and until then
	 * refuses new connections ('refuse': the listener is closed, connect fails with ECONNREFUSED)
	 * or accepts and resets them ('reset'). Resolves when the proxy accepts connections again.
	 */
	down(ms: number, how?: 'refuse' | 'reset'): Promise<void>;
	/** Resolves once no request has arrived or been in flight for `quietMs` (background aborts and retries are over). */
	settled(quietMs?: number): Promise<void>;
	stop(): Promise<void>;
}

/** Starts a proxy in front of `targetEndpoint` (e.g. http://127.0.0.1:7480). */
export async function startFaultProxy(targetEndpoint: string, options: { rule?: FaultRule } = {}): Promise<FaultProxy> {
	const target = new URL(targetEndpoint);
	if (target.protocol !== 'http:') throw new Error('the fault proxy forwards plain http only');
	const agent = new Agent({ keepAlive: true, maxSockets: 256 });
	const requests: ProxyRecord[] = [];
	const perName = new Map<string, number>();
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	let seq = 0;
	let inFlight = 0;
	let lastActivity = Date.now();
	let resetNewConnections = false;
	let stopped = false;

	const server = createServer((req, res) => handle(req, res));
	server.keepAliveTimeout = 30_000;
	// a stalled request must stay stalled, not be ended by the server's own request timeout
	server.requestTimeout = 0;
	server.headersTimeout = 0;
	server.on('connection', (socket: Socket) => {
		if (resetNewConnections) {
			socket.resetAndDestroy();
			return;
		}
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
	});

	const proxy: FaultProxy = {
		endpoint: '',
		requests,
		rule: options.rule,
		named: (name) => requests.filter((record) => record.name === name),
		clear() {
			requests.length = 0;
			perName.clear();
			seq = 0;
		},
		down,
		async settled(quietMs = 1500) {
			while (inFlight > 0 || Date.now() - lastActivity < quietMs) await sleep(100);
		},
		async stop() {
			stopped = true;
			for (const timer of timers) clearTimeout(timer);
			for (const socket of sockets) socket.destroy();
			agent.destroy();
			if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};

	function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://proxy');
		const segments = url.pathname.split('/').slice(1);
		const bucket = segments[0] ? decodeURIComponent(segments[0]) : undefined;
		const key = segments.length > 1 && segments.slice(1).join('/') ? decodeURIComponent(segments.slice(1).join('/')) : undefined;
		const name = s3OperationName(req.method ?? 'GET', bucket, key, url.searchParams, req.headers);
		const nth = (perName.get(name) ?? 0) + 1;
		perName.set(name, nth);
		seq += 1;
		const request: ProxyRequest = {
			method: req.method ?? 'GET',
			url: req.url ?? '/',
			path: decodeURIComponent(url.pathname),
			bucket,
			key,
			operation: queryOperation(url.searchParams),
			name,
			query: url.searchParams,
			headers: req.headers,
			seq,
			nth,
		};
		const record: ProxyRecord = {
			seq,
			method: request.method,
			path: request.path,
			bucket,
			key,
			operation: request.operation,
			name,
			nth,
			headers: pick(req.headers, ['range', 'if-match', 'if-none-match', 'content-md5', 'content-length', 'x-amz-content-sha256', 'expect', 'x-amz-expected-bucket-owner', 'x-amz-request-payer']),
			responseBytes: 0,
			at: Date.now(),
		};
		requests.push(record);
		inFlight += 1;
		lastActivity = Date.now();
		res.on('close', () => {
			inFlight -= 1;
			lastActivity = Date.now();
			record.finishedAt = Date.now();
		});
		req.on('error', () => undefined);
		res.on('error', () => undefined);

		const fault = proxy.rule?.(request);
		record.fault = fault?.kind;
		switch (fault?.kind) {
			case 'stall':
				req.resume();
				return;
			case 'resetRequest': {
				let received = 0;
				let done = false;
				const reset = () => {
					if (!done) req.socket.resetAndDestroy();
					done = true;
				};
				if (fault.afterBytes <= 0) return reset();
				req.on('data', (chunk: Buffer) => {
					received += chunk.length;
					if (received >= fault.afterBytes) reset();
				});
				req.on('end', reset);
				return;
			}
			case 'answer':
				req.resume();
				req.on('end', () => {
					record.status = fault.status;
					const body = Buffer.from(fault.body);
					record.responseBytes = body.length;
					res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/xml', 'content-length': body.length });
					res.end(body);
				});
				return;
			case 'hold': {
				req.pause();
				const waits: Array<Promise<unknown>> = [];
				if (fault.until) waits.push(fault.until.catch(() => undefined));
				if (fault.ms) waits.push(sleep(fault.ms));
				void Promise.all(waits).then(() => forward(req, res, record, undefined));
				return;
			}
			default:
				forward(req, res, record, fault);
		}
	}

	function forward(req: IncomingMessage, res: ServerResponse, record: ProxyRecord, fault: Fault | undefined) {
		if (res.destroyed || stopped) return;
		const upstream = httpRequest(
			{ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
			(answer) => relayAnswer(answer, res, record, fault, () => upstream.destroy()),
		);
		upstream.on('error', (error) => {
			// the server could not be reached or went away: the client sees its connection fail, as it would without the proxy
			record.error = error.message;
			if (!res.headersSent) res.socket?.resetAndDestroy();
			else res.destroy();
		});
		res.on('close', () => {
			if (!res.writableFinished) upstream.destroy();
		});
		let offset = 0;
		req.on('data', (chunk: Buffer) => {
			if (fault?.kind === 'flipRequestByte') chunk = flipAt(chunk, fault.at - offset);
			offset += chunk.length;
			if (!upstream.write(chunk)) {
				req.pause();
				upstream.once('drain', () => req.resume());
			}
		});
		req.on('end', () => upstream.end());
		req.resume();
	}

	function relayAnswer(answer: IncomingMessage, res: ServerResponse, record: ProxyRecord, fault: Fault | undefined, dropUpstream: () => void) {
		record.status = answer.statusCode;
		res.writeHead(answer.statusCode ?? 502, answer.headers);
		const cutAt = fault?.kind === 'stallBody' || fault?.kind === 'resetBody' ? fault.afterBytes : undefined;
		let offset = 0;
		let cut = false;
		const cutNow = (lastChunk?: Buffer) => {
			cut = true;
			answer.destroy();
			dropUpstream();
			if (fault?.kind === 'resetBody') {
				// the bytes before the cut reach the client first (a reset discards unsent data), then the reset
				const reset = () => setTimeout(() => res.socket?.resetAndDestroy(), 50);
				if (lastChunk?.length) res.write(lastChunk, reset);
				else reset();
			} else if (lastChunk?.length) {
				// stallBody: nothing more is sent, the connection stays open until the client gives up
				res.write(lastChunk);
			}
		};
		if (cutAt === 0) {
			res.flushHeaders();
			cutNow();
			return;
		}
		answer.on('data', (chunk: Buffer) => {
			if (cut) return;
			if (fault?.kind === 'flipResponseByte') chunk = flipAt(chunk, fault.at - offset);
			if (cutAt !== undefined && offset + chunk.length >= cutAt) {
				chunk = chunk.subarray(0, cutAt - offset);
				offset += chunk.length;
				record.responseBytes = offset;
				return cutNow(chunk);
			}
			offset += chunk.length;
			record.responseBytes = offset;
			if (!res.write(chunk)) {
				answer.pause();
				res.once('drain', () => answer.resume());
			}
		});
		answer.on('end', () => {
			if (!cut) res.end();
		});
		answer.on('error', () => res.destroy());
	}

	async function down(ms: number, how: 'refuse' | 'reset' = 'refuse'): Promise<void> {
		const { port } = server.address() as AddressInfo;
		if (how === 'refuse') server.close();
		else resetNewConnections = true;
		for (const socket of sockets) socket.resetAndDestroy();
		await sleep(ms, timers);
		if (stopped) return;
		if (how === 'refuse') await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
		else resetNewConnections = false;
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return proxy;
}

function flipAt(chunk: Buffer, at: number): Buffer {
	if (at < 0 || at >= chunk.length) return chunk;
	const copy = Buffer.from(chunk);
	copy[at] ^= 0xff;
	return copy;
}

function pick(headers: IncomingHttpHeaders, names: string[]): IncomingHttpHeaders {
	const picked: IncomingHttpHeaders = {};
	for (const name of names) if (headers[name] !== undefined) picked[name] = headers[name];
	return picked;
}

function sleep(ms: number, timers?: Set<NodeJS.Timeout>): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			timers?.delete(timer);
			resolve();
		}, ms);
		timers?.add(timer);
	});
}
