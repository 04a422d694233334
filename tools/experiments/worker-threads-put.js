#!/usr/bin/env node
'use strict';
/**
 * Experiment (issue 17, "beyond a single core"): do many small uploads go faster when their S3
 * requests are spread over worker threads, each with its own client? Not part of the node.
 *
 *   node tools/experiments/worker-threads-put.js [--count=1000] [--size=4096] [--concurrency=16]
 *        [--threads=2] [--rtt=0] [--repeat=3]
 *
 * Starts the embedded s3rver (test/support/s3rver.js) and, with --rtt, the bench's latency proxy
 * in a child process of its own (so neither adds to this process's CPU). Then, alternately:
 *  - main:    one client on the main thread, `concurrency` PutObject requests in flight;
 *  - workers: `threads` worker threads, each with its own client and concurrency / threads in
 *             flight; the bodies are made on the main thread and handed over (transferred), as
 *             the node would hand them from n8n's binary store.
 * Prints wall time, objects/s, CPU of this process (all threads, user + system) per object, the
 * server's CPU per object, and the 1-minute load, per run; the workers' start-up (thread + SDK
 * load) is timed apart and not in the wall time.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ROOT = path.join(__dirname, '..', '..');

function client(target) {
	const { S3Client } = require('@aws-sdk/client-s3');
	const { NodeHttpHandler } = require('@smithy/node-http-handler');
	const http = require('node:http');
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	return new S3Client({
		endpoint: target.endpoint,
		region: target.region,
		forcePathStyle: true,
		credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		requestHandler: new NodeHttpHandler({ httpAgent: agent, httpsAgent: agent }),
	});
}

async function putAll(s3, bucket, jobs, concurrency) {
	const { PutObjectCommand } = require('@aws-sdk/client-s3');
	let next = 0;
	const worker = async () => {
		while (next < jobs.length) {
			const { key, body } = jobs[next++];
			await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
}

if (!isMainThread) {
	// a worker: one client, waits for its share of the bodies, puts them, says when done
	const s3 = client(workerData.target);
	parentPort.on('message', async (message) => {
		if (message.type === 'warm') {
			const { HeadBucketCommand } = require('@aws-sdk/client-s3');
			await s3.send(new HeadBucketCommand({ Bucket: workerData.bucket }));
			parentPort.postMessage({ type: 'ready' });
			return;
		}
		const jobs = message.jobs.map((job) => ({ key: job.key, body: new Uint8Array(job.body) }));
		await putAll(s3, workerData.bucket, jobs, message.concurrency);
		parentPort.postMessage({ type: 'done', count: jobs.length });
	});
	return;
}

function parseArgs() {
	const args = { count: 1000, size: 4096, concurrency: 16, threads: 2, rtt: 0, repeat: 3 };
	for (const arg of process.argv.slice(2)) {
		const [flag, value] = arg.replace(/^--/, '').split('=');
		if (!(flag in args)) throw new Error(`unknown flag ${arg}`);
		args[flag] = Number(value);
	}
	return args;
}

/** CPU seconds (user + system) a process used so far, from /proc. */
function processCpuMs(pid) {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
}

/** The latency proxy in a child process of its own; resolves to its endpoint. */
function startProxyChild(endpoint, rttMs) {
	const code = `
		const { startLatencyProxy } = require(${JSON.stringify(path.join(ROOT, 'test/support/bench-proxy.js'))});
		startLatencyProxy(${JSON.stringify(endpoint)}, { rttMs: ${rttMs} }).then((p) => console.log(JSON.stringify({ endpoint: p.endpoint })));
	`;
	const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((resolve) => {
		readline.createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, endpoint: JSON.parse(line).endpoint }));
	});
}

async function main() {
	const args = parseArgs();
	const { startS3rver } = require(path.join(ROOT, 'test/support/s3rver.js'));
	const server = await startS3rver();
	const proxy = args.rtt ? await startProxyChild(server.endpoint, args.rtt) : undefined;
	const target = { endpoint: proxy?.endpoint ?? server.endpoint, region: server.region, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
	const bucket = `threads-${Date.now().toString(36)}`;
	const s3 = client(target);
	const { CreateBucketCommand, HeadBucketCommand } = require('@aws-sdk/client-s3');
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	await s3.send(new HeadBucketCommand({ Bucket: bucket }));

	const started = process.hrtime.bigint();
	const workers = Array.from({ length: args.threads }, () => new Worker(__filename, { workerData: { target, bucket } }));
	await Promise.all(workers.map((w) => new Promise((resolve) => {
		w.once('message', resolve);
		w.postMessage({ type: 'warm' });
	})));
	const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
	console.log(`s3rver ${server.endpoint}${proxy ? `, ${args.rtt} ms round trip through ${proxy.endpoint}` : ', loopback'}; ${args.count} x ${args.size} B, concurrency ${args.concurrency}, ${args.threads} worker threads (start-up ${startupMs.toFixed(0)} ms, not counted); ${os.cpus().length} cores`);

	const bodies = (run) => Array.from({ length: args.count }, (_, i) => ({ key: `${run}/${String(i).padStart(6, '0')}`, body: Buffer.alloc(args.size, i % 251) }));
	const rows = [];
	// run 0 warms both up (JIT of client and s3rver, sockets) and is not printed
	for (let r = -1; r < args.repeat; r++) {
		for (const mode of ['main', 'workers']) {
			const jobs = r < 0 ? bodies(`warm-${mode}`) : bodies(`${mode}-${r}`);
			const loadBefore = os.loadavg()[0];
			const serverCpu = processCpuMs(server.pid);
			const cpu = process.cpuUsage();
			const t0 = process.hrtime.bigint();
			if (mode === 'main') {
				await putAll(s3, bucket, jobs, args.concurrency);
			} else {
				const share = Math.ceil(jobs.length / workers.length);
				await Promise.all(workers.map((w, i) => new Promise((resolve) => {
					w.once('message', resolve);
					const mine = jobs.slice(i * share, (i + 1) * share).map((job) => {
						const copy = job.body.buffer.slice(job.body.byteOffset, job.body.byteOffset + job.body.length);
						return { key: job.key, body: copy };
					});
					w.postMessage({ type: 'put', jobs: mine, concurrency: Math.max(1, Math.round(args.concurrency / workers.length)) }, mine.map((job) => job.body));
				})));
			}
			const ms = Number(process.hrtime.bigint() - t0) / 1e6;
			const { user, system } = process.cpuUsage(cpu);
			if (r < 0) continue;
			const row = {
				mode,
				run: r + 1,
				seconds: (ms / 1000).toFixed(2),
				objPerS: ((args.count * 1000) / ms).toFixed(0),
				clientCpuMsPerObj: ((user + system) / 1000 / args.count).toFixed(2),
				serverCpuMsPerObj: ((processCpuMs(server.pid) - serverCpu) / args.count).toFixed(2),
				load: `${loadBefore.toFixed(2)} / ${os.loadavg()[0].toFixed(2)}`,
			};
			rows.push(row);
			console.log(JSON.stringify(row));
		}
	}
	await Promise.all(workers.map((w) => w.terminate()));
	s3.destroy();
	proxy?.child.kill('SIGTERM');
	await server.stop();
	console.log('\n| mode | run | time | obj/s | client CPU ms/obj | s3rver CPU ms/obj | load 1-min before / after |\n|---|---|---|---|---|---|---|');
	for (const row of rows) console.log(`| ${row.mode} | ${row.run} | ${row.seconds} s | ${row.objPerS} | ${row.clientCpuMsPerObj} | ${row.serverCpuMsPerObj} | ${row.load} |`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
