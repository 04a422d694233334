/** Types for bench-proxy.js (plain JavaScript so the benchmark runs it with node). */
import type { IncomingMessage } from 'node:http';

export interface ProxyRecord {
	method: string;
	path: string;
	/** The S3 operation the query names (e.g. "uploads", "partNumber"); '' for plain object/bucket requests. */
	operation: string;
	/** Which client connection carried it. */
	socket: number;
	at: number;
	finishedAt?: number;
	status?: number;
	error?: string;
}

/** Answer the request here (`status`, `body`) or forward it after `delayMs`. */
export type Intercept = (req: IncomingMessage, record: ProxyRecord) => { status?: number; body?: string; delayMs?: number } | undefined;

export interface CountingProxy {
	endpoint: string;
	requests: ProxyRecord[];
	/** Forgets what was recorded so far (sockets stay open). */
	reset(): void;
	stats(): {
		requests: number;
		byOperation: Record<string, number>;
		connectionsUsed: number;
		connectionsOpened: number;
		openSockets: number;
		peakOpenSockets: number;
		peakInFlight: number;
	};
	stop(): Promise<void>;
}

export function startCountingProxy(targetEndpoint: string, options?: { intercept?: Intercept }): Promise<CountingProxy>;
export function queryOperation(url: string): string;

export interface LatencyProxy {
	endpoint: string;
	rttMs: number;
	/** Connections accepted, bytes passed (both directions), sockets open now. */
	stats(): { connections: number; bytes: number; openSockets: number };
	stop(): Promise<void>;
}

/**
 * A TCP proxy adding `rttMs` of round trip (half each way, one more round trip before a new
 * connection's first bytes) with at most `windowBytes` (default 4 MiB) in flight per direction.
 */
export function startLatencyProxy(targetEndpoint: string, options: { rttMs: number; windowBytes?: number }): Promise<LatencyProxy>;
