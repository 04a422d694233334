/**
 * A real forward HTTP proxy (tinyproxy, from Debian) on a free port of 127.0.0.1, as corporate
 * installs put in front of n8n; it logs every request it relays, so a test can tell what went through it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HttpProxy {
	url: string;
	/** What the proxy logged so far (one line per relayed request, among others). */
	log(): string;
	stop(): Promise<void>;
}

export function tinyproxyAvailable(): boolean {
	return spawnSync('tinyproxy', ['-v']).status === 0;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export async function startTinyproxy(): Promise<HttpProxy> {
	const dir = mkdtempSync(join(tmpdir(), 'tinyproxy-'));
	const port = await freePort();
	const logFile = join(dir, 'tinyproxy.log');
	writeFileSync(
		join(dir, 'tinyproxy.conf'),
		[`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 60', `LogFile "${logFile}"`, 'LogLevel Connect', 'MaxClients 50', 'Allow 127.0.0.1', 'ConnectPort 443', 'ConnectPort 80', ''].join('\n'),
	);
	const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 10_000;
	for (;;) {
		const listening = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => (socket.destroy(), resolve(true)));
			socket.once('error', () => resolve(false));
		});
		if (listening) break;
		if (Date.now() > deadline) throw new Error('tinyproxy did not start within 10 s');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		url,
		log: () => {
			try {
				return readFileSync(logFile, 'utf8');
			} catch {
				return '';
			}
		},
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
