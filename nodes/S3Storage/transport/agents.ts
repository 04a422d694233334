/**
 * The sockets requests go out on, for S3 and STS alike: keep-alive agents with the credential's TLS
 * settings, or, where the n8n host's HTTP_PROXY / HTTPS_PROXY / NO_PROXY say the endpoint is reached
 * through a proxy (as n8n itself honours them), agents that tunnel through it.
 */
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

export interface TlsSettings {
	acceptSelfSigned?: boolean;
	customCa?: string;
}

/** The proxy the environment names for `url` ('' when none, or when NO_PROXY exempts it). */
export function proxyFor(url: string): string {
	return getProxyForUrl(url);
}

/** One HTTP and one HTTPS agent for requests to `url`. */
export function agentsFor(url: string, tls: TlsSettings, options: AgentOptions): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
	const ca = tls.customCa?.trim() || undefined;
	const tlsOptions = { rejectUnauthorized: !tls.acceptSelfSigned, ...(ca ? { ca } : {}) };
	const proxy = proxyFor(url);
	if (proxy) {
		return {
			httpAgent: new HttpProxyAgent(proxy, options) as unknown as HttpAgent,
			httpsAgent: new HttpsProxyAgent(proxy, { ...options, ...tlsOptions }) as unknown as HttpsAgent,
		};
	}
	return { httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent({ ...options, ...tlsOptions }) };
}
