// The checks of tools/n8n-e2e-queue.sh (n8n in queue mode: one main, two workers), one per command.
// Every command prints one line "RESULT <json>" for the script's summary and exits non-zero on failure.
//   node queue.mjs prepare-role <prep-dir> <role.json>  add the Assume Role credential and its workflow
//   node queue.mjs uploads <count> <files-dir>          webhook uploads of 64 KiB-8 MiB, checked on S3
//   node queue.mjs download <key> <file>                a download through a worker, byte-compared
//   node queue.mjs role <count>                         uploads with an assumed role; STS calls counted
//   node queue.mjs big <file> <pid-label>...            one large webhook upload; peak RSS of each pid
//   node queue.mjs prepare-transfer <prep-dir> <transfer.json>  add the destination credential and
//                                                       the Transfer workflow (both credentials on its node)
//   node queue.mjs upload-url <MiB> <key> <pid-label>...  Upload from URL of <MiB> MiB served here, chunked
//                                                       (no Content-Length); object's size and sha256 checked,
//                                                       peak RSS of each pid, the worker's limited
//   node queue.mjs transfer <key> <dest-key> <sha256> <pid-label>...  Transfer of <key> to the destination
//                                                       credential's bucket: streamed, size and sha256 checked
//   node queue.mjs create-dest-bucket                   the destination bucket, created by the destination user
//   node queue.mjs delete-large <key> <dest-key>        removes both objects and the destination bucket
//   node queue.mjs put <label> <count>                  objects incoming/<label>-<i>.txt for the trigger
//                                                       (put, wait-seen and check-seen use E2E_TRIGGER_PREFIX
//                                                       instead of incoming/ when set: events/ for the event trigger)
//   node queue.mjs wait-seen <timeout-s> <label>...     until every object of these labels was marked
//   node queue.mjs check-seen <label>... -- <label>...  each object of the first labels marked exactly
//                                                       once, none of the labels after "--"
// env: BASE_URL (main), E2E_S3_* and E2E_BUCKET (as prepare.mjs), E2E_REPO (repo root, for its AWS SDK),
//      E2E_WORKER_LOGS (worker-1.log:worker-2.log), E2E_STS_COUNT_URL, E2E_ROLE_ARN, E2E_STS_ENDPOINT,
//      E2E_DEST_ACCESS_KEY_ID, E2E_DEST_SECRET_ACCESS_KEY, E2E_DEST_BUCKET, E2E_DEST_ENDPOINT (Transfer's
//      destination: other keys or another server; default E2E_S3_ENDPOINT), E2E_RSS_LIMIT_MIB (default 300: most a worker may grow over its idle RSS in upload-url/transfer)
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const require = createRequire(path.join(process.env.E2E_REPO ?? process.cwd(), 'package.json'));
const { S3Client, GetObjectCommand, PutObjectCommand, ListObjectsV2Command, CreateBucketCommand, DeleteObjectCommand, DeleteBucketCommand } =
	require('@aws-sdk/client-s3');

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/$/, '');
const BUCKET = process.env.E2E_BUCKET;
const DEST_BUCKET = process.env.E2E_DEST_BUCKET;
const TRIGGER_PREFIX = process.env.E2E_TRIGGER_PREFIX || 'incoming/';
const clientWith = (accessKeyId, secretAccessKey, endpoint = process.env.E2E_S3_ENDPOINT) =>
	new S3Client({
		endpoint,
		region: process.env.E2E_S3_REGION,
		forcePathStyle: process.env.E2E_S3_FORCE_PATH_STYLE !== 'false',
		credentials: { accessKeyId, secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
const s3 = clientWith(process.env.E2E_S3_ACCESS_KEY_ID, process.env.E2E_S3_SECRET_ACCESS_KEY);
/** Transfer's destination: another user, or another server (either makes the node stream, not copy server-side). */
const DEST_ENDPOINT = process.env.E2E_DEST_ENDPOINT || process.env.E2E_S3_ENDPOINT;
const destS3 = () => clientWith(process.env.E2E_DEST_ACCESS_KEY_ID, process.env.E2E_DEST_SECRET_ACCESS_KEY, DEST_ENDPOINT);
const DEST_CREDENTIAL = { id: 'e2eQueueDestCred', name: 'S3 Storage (e2e, transfer destination)' };
const RSS_LIMIT_MIB = Number(process.env.E2E_RSS_LIMIT_MIB ?? 300);

const MiB = 1024 * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const result = (data) => console.log(`RESULT ${JSON.stringify(data)}`);
function die(message) {
	console.error(`FAIL ${message}`);
	process.exit(1);
}

/** fetch with a deadline: no request may wait forever. */
async function fetchWithin(seconds, url, init = {}) {
	return await fetch(url, { ...init, signal: AbortSignal.timeout(seconds * 1000) });
}

/** n8n registers published webhooks shortly after it reports ready: retry a 404 "not registered" for a while. */
async function callWebhook(url, init, seconds = 120) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const response = await fetchWithin(seconds, url, typeof init === 'function' ? await init() : init);
		if (response.status !== 404 || Date.now() > deadline) return response;
		const text = await response.clone().text();
		if (!text.includes('is not registered')) return response;
		await sleep(1000);
	}
}

async function sha256OfObject(key, client = s3, bucket = BUCKET) {
	const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: AbortSignal.timeout(300_000) });
	const hash = createHash('sha256');
	let bytes = 0;
	for await (const chunk of response.Body) {
		hash.update(chunk);
		bytes += chunk.length;
	}
	return { sha256: hash.digest('hex'), bytes };
}

function sha256OfFile(file) {
	const hash = createHash('sha256');
	const fd = fs.openSync(file, 'r');
	const buffer = Buffer.alloc(8 * MiB);
	for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
	fs.closeSync(fd);
	return hash.digest('hex');
}

/** Which worker ran an execution: each worker logs "Worker started execution <id> (job <n>)". */
function workerOfExecutions() {
	const map = new Map();
	for (const file of (process.env.E2E_WORKER_LOGS ?? '').split(':').filter(Boolean)) {
		const name = path.basename(file, '.log');
		if (!fs.existsSync(file)) continue;
		for (const match of fs.readFileSync(file, 'utf8').matchAll(/Worker started execution (\d+) \(job/g)) map.set(match[1], name);
	}
	return map;
}
async function workersOf(executions) {
	// A worker logs the start before it runs the job, but give the log a moment to reach the file.
	for (let i = 0; i < 20; i++) {
		const map = workerOfExecutions();
		if (executions.every((id) => map.has(String(id)))) return executions.map((id) => map.get(String(id)));
		await sleep(250);
	}
	const map = workerOfExecutions();
	return executions.map((id) => map.get(String(id)) ?? 'unknown');
}
const tally = (names) => names.reduce((counts, name) => ({ ...counts, [name]: (counts[name] ?? 0) + 1 }), {});

/** Runs jobs with at most `limit` in flight. */
async function inParallel(items, limit, job) {
	const out = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const index = next++;
				out[index] = await job(items[index], index);
			}
		}),
	);
	return out;
}

/**
 * Peak RSS of processes over one step: the kernel's high-water mark (VmHWM), reset to the current RSS
 * through /proc/<pid>/clear_refs first, so the peak is this step's alone. pidLabels: "worker-1=1234".
 */
function watchMemory(pidLabels) {
	const status = (pid) => fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = (text, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
	const procs = pidLabels.map((pl) => {
		const [label, pid] = pl.split('=');
		return { label, pid };
	});
	for (const p of procs) {
		p.idleMiB = kib(status(p.pid), 'VmRSS') / 1024;
		fs.writeFileSync(`/proc/${p.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
	}
	return {
		procs,
		/** { label: { idleMiB, peakMiB, addedMiB } } now. */
		read() {
			for (const p of procs) p.peakMiB = kib(status(p.pid), 'VmHWM') / 1024;
			return Object.fromEntries(procs.map((p) => [p.label, { idleMiB: Math.round(p.idleMiB), peakMiB: Math.round(p.peakMiB), addedMiB: Math.round(p.peakMiB - p.idleMiB) }]));
		},
		text: () => procs.map((p) => `${p.label} ${Math.round(p.peakMiB)} MiB (idle ${Math.round(p.idleMiB)})`).join(', '),
	};
}

/**
 * Deterministic bytes made on the fly: 1 MiB blocks of a seeded pseudo-random base, each 4 KiB of it
 * stamped with its block and segment number, so that every 4 KiB of the stream is unique (a part lost,
 * repeated or out of order changes the hash).
 */
function generatedStream(totalBytes, onChunk) {
	const block = 1024 * 1024;
	const base = Buffer.alloc(block);
	for (let i = 0; i < block / 32; i++) createHash('sha256').update(`n8n-e2e-queue seed ${i}`).digest().copy(base, i * 32);
	let sent = 0;
	let n = 0;
	return new Readable({
		highWaterMark: 2 * block,
		read() {
			if (sent >= totalBytes) return this.push(null);
			const size = Math.min(block, totalBytes - sent);
			const chunk = Buffer.from(base.subarray(0, size));
			for (let offset = 0; offset + 8 <= size; offset += 4096) {
				chunk.writeUInt32BE(n, offset);
				chunk.writeUInt32BE(offset, offset + 4);
			}
			n++;
			sent += size;
			onChunk(chunk);
			this.push(chunk);
		},
	});
}

/**
 * An HTTP server on 127.0.0.1 that serves `totalBytes` generated bytes at /<name> without a
 * Content-Length (chunked), hashing what it sends. Every request is recorded: bytes sent, sha256,
 * whether the body went out whole and chunked.
 */
async function startByteServer(name, totalBytes) {
	const requests = [];
	const server = http.createServer((req, res) => {
		if (req.method !== 'GET' || req.url !== `/${name}`) {
			res.writeHead(404).end();
			return;
		}
		const record = { bytes: 0, complete: false, chunked: false, sha256: null };
		requests.push(record);
		const hash = createHash('sha256');
		res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
		const body = generatedStream(totalBytes, (chunk) => {
			hash.update(chunk);
			record.bytes += chunk.length;
		});
		pipeline(body, res).then(
			() => {
				record.complete = record.bytes === totalBytes;
				record.chunked = res.chunkedEncoding === true && !res.hasHeader('content-length');
				record.sha256 = hash.digest('hex');
			},
			(error) => {
				record.error = String(error?.code ?? error);
			},
		);
	});
	// The node's idle timeout guards the other side; the server itself only has to serve.
	server.requestTimeout = 0;
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}/${name}`, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function postJson(webhook, body, seconds) {
	return await callWebhook(`${BASE_URL}/webhook/${webhook}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, seconds);
}

/** The worker that ran `execution`, and whether it grew more than the limit over its idle RSS. */
async function workerMemory(execution, rss) {
	const [worker] = execution ? await workersOf([execution]) : ['none'];
	const added = rss[worker]?.addedMiB;
	const problem = added === undefined ? `no memory figures for the worker that ran execution ${execution} (${worker})` : added > RSS_LIMIT_MIB ? `${worker} grew ${added} MiB over its idle ${rss[worker].idleMiB} MiB (limit ${RSS_LIMIT_MIB} MiB)` : null;
	return { worker, problem };
}

async function postFile(file, name) {
	return await callWebhook(`${BASE_URL}/webhook/queue-upload`, async () => {
		const form = new FormData();
		form.append('file', await fs.openAsBlob(file, { type: 'application/octet-stream' }), name);
		return { method: 'POST', body: form };
	}, 600);
}

const commands = {
	/** The Assume Role credential (machine identity as source: the workers' AWS_* variables) and its workflow. */
	'prepare-role'(prepDir, workflowFile) {
		const credentialsFile = path.join(prepDir, 'credentials.json');
		const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
		const role = {
			id: 'e2eQueueRoleCred',
			name: 'S3 Storage (e2e, assumed role)',
			type: 's3StorageApi',
			data: {
				provider: 'other',
				authentication: 'assumeRole',
				sourceCredentials: 'machineIdentity',
				roleArn: process.env.E2E_ROLE_ARN,
				roleSessionName: 'n8n-e2e-queue',
				sessionDuration: 3600,
				stsEndpoint: process.env.E2E_STS_ENDPOINT,
				endpoint: process.env.E2E_S3_ENDPOINT,
				region: process.env.E2E_S3_REGION,
				forcePathStyle: process.env.E2E_S3_FORCE_PATH_STYLE !== 'false',
			},
		};
		fs.writeFileSync(credentialsFile, JSON.stringify([...credentials, role], null, 2));
		const text = fs
			.readFileSync(workflowFile, 'utf8')
			.split('__E2E_BUCKET__').join(BUCKET)
			.split('__E2E_ROLE_CREDENTIAL_ID__').join(role.id)
			.split('__E2E_ROLE_CREDENTIAL_NAME__').join(role.name);
		const workflow = JSON.parse(text);
		fs.writeFileSync(path.join(prepDir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		console.log(`prepared ${workflow.id}  ${path.basename(workflowFile)}: credential ${role.id} (Assume Role ${role.data.roleArn}, source: machine identity, STS ${role.data.stsEndpoint})`);
	},

	async uploads(countText, dir) {
		const count = Number(countText);
		fs.mkdirSync(dir, { recursive: true });
		// Sizes spread evenly on a log scale from 64 KiB to 8 MiB, not multiples of anything.
		const files = Array.from({ length: count }, (_, i) => {
			const size = Math.round(64 * 1024 * Math.pow(128, count === 1 ? 1 : i / (count - 1))) - (i * 7919) % 4096;
			const file = path.join(dir, `upload-${String(i).padStart(2, '0')}.bin`);
			const data = randomBytes(size);
			fs.writeFileSync(file, data);
			return { file, name: path.basename(file), size, sha256: createHash('sha256').update(data).digest('hex') };
		});
		const started = Date.now();
		const answers = await inParallel(files, 4, async ({ file, name, size }) => {
			const response = await postFile(file, name);
			const answer = await response.json().catch(() => null);
			if (!response.ok || !answer?.key) die(`POST /webhook/queue-upload ${name} (${size} B) answered ${response.status} ${JSON.stringify(answer)?.slice(0, 300)}`);
			return answer;
		});
		const seconds = (Date.now() - started) / 1000;
		const problems = [];
		for (const [i, answer] of answers.entries()) {
			const want = files[i];
			if (answer.size !== want.size) problems.push(`${want.name}: the node reported ${answer.size} B, sent ${want.size}`);
			const got = await sha256OfObject(answer.key);
			if (got.sha256 !== want.sha256) problems.push(`${answer.key}: ${got.bytes} B on S3 differ from the ${want.size} B sent`);
		}
		const workers = await workersOf(answers.map((a) => a.execution));
		const perWorker = tally(workers);
		if (perWorker.unknown) problems.push(`${perWorker.unknown} execution(s) not found in any worker log`);
		if (Object.keys(perWorker).filter((w) => w !== 'unknown').length < 2) problems.push(`jobs did not spread over both workers: ${JSON.stringify(perWorker)}`);
		const binaryIds = [...new Set(answers.map((a) => String(a.binaryId ?? '').split(':')[0]))];
		for (const p of problems) console.error(`  - ${p}`);
		const total = files.reduce((sum, f) => sum + f.size, 0);
		result({ uploads: count, bytes: total, seconds, perWorker, binaryIdPrefixes: binaryIds, identical: problems.length === 0 ? count : undefined });
		if (problems.length) die(`${problems.length} problem(s) with the webhook uploads`);
		console.log(`PASS ${count} webhook uploads (${(total / MiB).toFixed(1)} MiB, ${files[0].size}-${files.at(-1).size} B) in ${seconds.toFixed(1)} s, byte-identical on S3; executions per worker ${JSON.stringify(perWorker)}; binary ids ${binaryIds.join(',')}:...`);
	},

	async download(key, file) {
		const started = Date.now();
		const response = await callWebhook(`${BASE_URL}/webhook/queue-download?key=${encodeURIComponent(key)}`, { method: 'GET' });
		const body = Buffer.from(await response.arrayBuffer());
		const execution = response.headers.get('x-e2e-execution');
		const [worker] = await workersOf([execution]);
		const want = sha256OfFile(file);
		const got = createHash('sha256').update(body).digest('hex');
		result({ download: key, bytes: body.length, seconds: (Date.now() - started) / 1000, worker, status: response.status });
		if (!response.ok || got !== want) die(`GET /webhook/queue-download?key=${key}: ${response.status}, ${body.length} B that ${got === want ? 'match' : 'differ from'} ${file}: ${body.subarray(0, 200).toString()}`);
		console.log(`PASS download of ${key} through ${worker}: ${body.length} B, byte-identical`);
	},

	async role(countText) {
		const count = Number(countText);
		const answers = await inParallel(Array.from({ length: count }), 3, async () => {
			const response = await callWebhook(`${BASE_URL}/webhook/queue-role`, { method: 'POST' });
			const answer = await response.json().catch(() => null);
			if (!response.ok || !answer?.key) die(`POST /webhook/queue-role answered ${response.status} ${JSON.stringify(answer)?.slice(0, 400)}`);
			return answer;
		});
		for (const answer of answers) {
			const got = await sha256OfObject(answer.key);
			if (got.bytes === 0) die(`${answer.key} is empty on S3`);
		}
		const workers = await workersOf(answers.map((a) => a.execution));
		const perWorker = tally(workers);
		const stsCalls = Number(await (await fetchWithin(10, process.env.E2E_STS_COUNT_URL)).text());
		const workersUsed = Object.keys(perWorker).filter((w) => w !== 'unknown').length;
		result({ assumeRoleUploads: count, perWorker, stsAssumeRoleCalls: stsCalls });
		if (stsCalls !== workersUsed) die(`${stsCalls} AssumeRole call(s) for ${count} executions on ${workersUsed} worker(s) ${JSON.stringify(perWorker)}: expected one per worker`);
		console.log(`PASS ${count} uploads with the assumed role (source: the workers' machine identity), ${JSON.stringify(perWorker)}: ${stsCalls} AssumeRole call(s), one per worker`);
	},

	/** One large webhook upload while the kernel records each process's peak RSS (VmHWM, reset first). */
	async big(file, ...pidLabels) {
		const size = fs.statSync(file).size;
		const want = sha256OfFile(file);
		const memory = watchMemory(pidLabels);
		const started = Date.now();
		const response = await postFile(file, path.basename(file));
		const answer = await response.json().catch(() => null);
		const seconds = (Date.now() - started) / 1000;
		const rss = memory.read();
		const [worker] = answer?.execution ? await workersOf([answer.execution]) : ['none'];
		result({ bigUpload: size, seconds, status: response.status, worker, binaryId: answer?.binaryId ?? null, rss });
		if (!response.ok || !answer?.key) die(`POST /webhook/queue-upload of ${(size / MiB).toFixed(0)} MiB answered ${response.status} ${JSON.stringify(answer)?.slice(0, 400)}`);
		const got = await sha256OfObject(answer.key);
		if (got.sha256 !== want) die(`${answer.key}: ${got.bytes} B on S3 differ from the ${size} B sent`);
		console.log(`PASS ${(size / MiB).toFixed(0)} MiB webhook upload in ${seconds.toFixed(1)} s through ${worker}, byte-identical; peak RSS ${memory.text()}`);
	},

	/** The destination credential (the main one with the other user's keys) and the Transfer workflow, both credentials on its node. */
	'prepare-transfer'(prepDir, workflowFile) {
		const credentialsFile = path.join(prepDir, 'credentials.json');
		const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
		const main = credentials.find((c) => c.type === 's3StorageApi' && c.data?.authentication === 'accessKeys');
		const destination = {
			...DEST_CREDENTIAL,
			type: 's3StorageDestinationApi',
			data: { ...main.data, endpoint: DEST_ENDPOINT, accessKeyId: process.env.E2E_DEST_ACCESS_KEY_ID, secretAccessKey: process.env.E2E_DEST_SECRET_ACCESS_KEY },
		};
		fs.writeFileSync(credentialsFile, JSON.stringify([...credentials, destination], null, 2));
		const text = fs
			.readFileSync(workflowFile, 'utf8')
			.split('__E2E_BUCKET__').join(BUCKET)
			.split('__E2E_DEST_BUCKET__').join(DEST_BUCKET)
			.split('__E2E_CREDENTIAL_ID__').join(main.id)
			.split('__E2E_CREDENTIAL_NAME__').join(main.name)
			.split('__E2E_DEST_CREDENTIAL_ID__').join(destination.id)
			.split('__E2E_DEST_CREDENTIAL_NAME__').join(destination.name);
		const workflow = JSON.parse(text);
		fs.writeFileSync(path.join(prepDir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		console.log(`prepared ${workflow.id}  ${path.basename(workflowFile)}: source credential ${main.id}, destination credential ${destination.id} (${destination.data.accessKeyId} at ${DEST_ENDPOINT}, bucket ${DEST_BUCKET})`);
	},

	/** Object > Upload from URL of generated bytes served here without a Content-Length; memory of each pid watched. */
	async 'upload-url'(mibText, key, ...pidLabels) {
		const size = Number(mibText) * MiB;
		const server = await startByteServer(`generated-${mibText}-MiB.bin`, size);
		try {
			const memory = watchMemory(pidLabels);
			const started = Date.now();
			const response = await postJson('queue-upload-url', { url: server.url, key }, 600);
			const answer = await response.json().catch(() => null);
			const seconds = (Date.now() - started) / 1000;
			const rss = memory.read();
			const served = server.requests.findLast((r) => r.complete) ?? server.requests.at(-1) ?? {};
			const { worker, problem } = await workerMemory(answer?.execution, rss);
			const verifyStarted = Date.now();
			const got = response.ok && answer?.key ? await sha256OfObject(answer.key) : {};
			const verifySeconds = (Date.now() - verifyStarted) / 1000;
			result({ uploadFromUrl: size, seconds, status: response.status, worker, requests: server.requests.length, chunked: served.chunked, sha256: served.sha256, stored: got.bytes, verifySeconds, rss });
			if (!response.ok || !answer?.key) die(`POST /webhook/queue-upload-url answered ${response.status} ${JSON.stringify(answer)?.slice(0, 400)}`);
			if (!served.complete || !served.chunked) die(`the URL was not served whole and chunked: ${JSON.stringify(server.requests)}`);
			if (answer.size !== size) die(`the node reported ${answer.size} B, the server sent ${size}`);
			if (got.bytes !== size || got.sha256 !== served.sha256) die(`${answer.key}: ${got.bytes} B on S3 (sha256 ${got.sha256}) differ from the ${size} B served (sha256 ${served.sha256})`);
			if (problem) die(`Upload from URL memory: ${problem}`);
			console.log(`PASS Upload from URL of ${mibText} MiB (chunked, no Content-Length) in ${seconds.toFixed(1)} s on ${worker}: ${got.bytes} B on S3, sha256 ${got.sha256.slice(0, 16)}... as served (read back in ${verifySeconds.toFixed(1)} s); peak RSS ${memory.text()}`);
		} finally {
			await server.close();
		}
	},

	/** Object > Transfer of <key> to the destination credential's bucket: must stream (other keys); size, sha256 and memory checked. */
	async transfer(key, destinationKey, wantSha256, ...pidLabels) {
		const memory = watchMemory(pidLabels);
		const started = Date.now();
		const response = await postJson('queue-transfer', { key, destinationKey }, 600);
		const answer = await response.json().catch(() => null);
		const seconds = (Date.now() - started) / 1000;
		const rss = memory.read();
		const { worker, problem } = await workerMemory(answer?.execution, rss);
		const verifyStarted = Date.now();
		const got = response.ok && answer?.key ? await sha256OfObject(answer.key, destS3(), DEST_BUCKET) : {};
		const verifySeconds = (Date.now() - verifyStarted) / 1000;
		result({ transfer: answer?.size ?? null, seconds, status: response.status, worker, method: answer?.method ?? null, stored: got.bytes, verifySeconds, rss });
		if (!response.ok || !answer?.key) die(`POST /webhook/queue-transfer answered ${response.status} ${JSON.stringify(answer)?.slice(0, 400)}`);
		if (answer.method !== 'streamed') die(`the Transfer's output says method ${answer.method}, not streamed (the destination credential has other keys)`);
		if (answer.bucket !== DEST_BUCKET || answer.key !== destinationKey) die(`the Transfer wrote ${answer.bucket}/${answer.key}, not ${DEST_BUCKET}/${destinationKey}`);
		if (got.sha256 !== wantSha256 || got.bytes !== answer.size) die(`${DEST_BUCKET}/${answer.key}: ${got.bytes} B (sha256 ${got.sha256}) differ from the source (sha256 ${wantSha256}; the node reported ${answer.size} B)`);
		if (problem) die(`Transfer memory: ${problem}`);
		console.log(`PASS Transfer (${answer.method}) of ${(answer.size / MiB).toFixed(0)} MiB to ${DEST_BUCKET} with the destination credential in ${seconds.toFixed(1)} s on ${worker}: sha256 as the source (read back in ${verifySeconds.toFixed(1)} s); peak RSS ${memory.text()}`);
	},

	/** Removes the large objects (source with the node's keys, destination with the other user's) and the destination bucket. */
	async 'delete-large'(key, destinationKey) {
		const signal = () => ({ abortSignal: AbortSignal.timeout(60_000) });
		const quietly = async (what, promise) => {
			try {
				await promise;
			} catch (error) {
				if (!['NoSuchKey', 'NoSuchBucket', 'NotFound'].includes(error.name)) console.error(`could not ${what}: ${error.name} ${error.message}`);
			}
		};
		await quietly(`delete ${BUCKET}/${key}`, s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }), signal()));
		if (DEST_BUCKET) {
			const dest = destS3();
			await quietly(`delete ${DEST_BUCKET}/${destinationKey}`, dest.send(new DeleteObjectCommand({ Bucket: DEST_BUCKET, Key: destinationKey }), signal()));
			await quietly(`delete bucket ${DEST_BUCKET}`, dest.send(new DeleteBucketCommand({ Bucket: DEST_BUCKET }), signal()));
		}
		console.log(`deleted ${BUCKET}/${key}${DEST_BUCKET ? `, ${DEST_BUCKET}/${destinationKey} and bucket ${DEST_BUCKET}` : ''}`);
	},

	/** The destination bucket, created by the destination user (on RGW only its owner may write there). */
	async 'create-dest-bucket'() {
		try {
			await destS3().send(new CreateBucketCommand({ Bucket: DEST_BUCKET }), { abortSignal: AbortSignal.timeout(60_000) });
		} catch (error) {
			if (!['BucketAlreadyOwnedByYou'].includes(error.name)) throw error;
		}
		console.log(`created bucket ${DEST_BUCKET} as ${process.env.E2E_DEST_ACCESS_KEY_ID}`);
	},

	async put(label, countText) {
		for (let i = 0; i < Number(countText); i++) {
			await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${TRIGGER_PREFIX}${label}-${i}.txt`, Body: `${label} ${i} ${new Date().toISOString()}\n` }), { abortSignal: AbortSignal.timeout(60_000) });
		}
		console.log(`put ${countText} object(s) ${TRIGGER_PREFIX}${label}-*.txt`);
	},

	async 'wait-seen'(timeoutText, ...labels) {
		const deadline = Date.now() + Number(timeoutText) * 1000;
		for (;;) {
			const { objects, seen } = await seenState();
			const waiting = objects.filter((key) => labels.some((l) => path.basename(key).startsWith(`${l}-`)) && !seen.has(key));
			if (waiting.length === 0) return console.log(`marked: every object of ${labels.join(', ')}`);
			if (Date.now() > deadline) die(`after ${timeoutText} s the trigger had not emitted ${waiting.join(', ')}`);
			await sleep(2000);
		}
	},

	async 'check-seen'(...args) {
		const split = args.indexOf('--');
		const once = split < 0 ? args : args.slice(0, split);
		const never = split < 0 ? [] : args.slice(split + 1);
		const { objects, seen } = await seenState();
		const labelOf = (key) => path.basename(key).replace(/-\d+\.txt$/, '');
		const problems = [];
		const counts = {};
		for (const key of objects) {
			const times = seen.get(key)?.length ?? 0;
			counts[key] = times;
			if (once.includes(labelOf(key)) && times !== 1) problems.push(`${key} emitted ${times} time(s)`);
			if (never.includes(labelOf(key)) && times !== 0) problems.push(`${key} (there before the first poll) emitted ${times} time(s)`);
		}
		result({ trigger: counts });
		if (problems.length) die(`trigger: ${problems.join('; ')}`);
		const n = objects.filter((k) => once.includes(labelOf(k))).length;
		console.log(`PASS trigger: ${n} object(s) of ${once.join(', ')} emitted exactly once each; ${objects.length - n} recorded before the first poll, never emitted`);
	},
};

/** Objects under the trigger's prefix and, per object, the executions that marked it (seen/<key>/<execution>). */
async function seenState() {
	const list = async (prefix) => {
		const keys = [];
		let token;
		do {
			const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }), { abortSignal: AbortSignal.timeout(60_000) });
			for (const o of page.Contents ?? []) keys.push(o.Key);
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
		return keys;
	};
	const objects = await list(TRIGGER_PREFIX);
	const seen = new Map();
	for (const marker of await list('seen/')) {
		const key = marker.slice('seen/'.length, marker.lastIndexOf('/'));
		seen.set(key, [...(seen.get(key) ?? []), marker.slice(marker.lastIndexOf('/') + 1)]);
	}
	return { objects, seen };
}

const [command, ...args] = process.argv.slice(2);
if (!commands[command]) die(`unknown command ${command}; see the top of ${path.basename(process.argv[1])}`);
try {
	await commands[command](...args);
} catch (error) {
	die(`${command}: ${error.stack ?? error}`);
}
