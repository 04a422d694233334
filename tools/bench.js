#!/usr/bin/env node
'use strict';
/**
 * The benchmark: this node (through n8n's engine, filesystem binary mode) against the raw AWS SDK,
 * awscli, rclone and n8n's built-in S3 node, on the same server in the same session. Every
 * contestant runs each scenario in its own child process, so each peak RSS is its own.
 *
 *   npm run bench                                   # every scenario, embedded s3rver
 *   npm run bench -- --quick                        # small sizes, a few minutes
 *   npm run bench -- --scenarios=upload-1g,list-100k --contestants=node,sdk
 *   npm run bench -- --rtt=20                       # every contestant through a 20 ms round trip
 *   set -a; . /tmp/n8n-s3-rgw/env; set +a; npm run bench   # any endpoint from S3_TEST_* variables
 *
 * Flags: --quick, --scenarios=a,b, --contestants=node,sdk,n8n-s3,awscli,rclone, --repeat=N (keep
 * each contestant's fastest run), --concurrency=N (our node's item concurrency and Sync's
 * parallel copies; default: the node's own defaults), --rtt=MS (a TCP proxy on loopback between
 * every contestant and the server: MS/2 each way, see test/support/bench-proxy.js), --out=DIR
 * (default bench-results/).
 * Transfer needs a second user on the same server (S3_TEST_OTHER_ACCESS_KEY_ID / _SECRET_ACCESS_KEY,
 * as tools/rgw.sh makes); without one it transfers to the same user, which the node copies server-side.
 * Prints a table and writes it as JSON to bench-results/. Each row has the CPU time per object
 * (user + system of the contestant's process; for the command-line tools without their start-up,
 * which is measured apart with a no-op invocation and printed below the table) and the 1-minute
 * load average before and after the run: on a shared machine, read the figures with it.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { selectScenarios, makeBigFile, makeSmallFiles, serverHelpers, MiB } = require('./lib/bench-scenarios');
const { detectTools, measureStartup, parseTimeLine, toolEnv, toolCommand, INSTALL_HINT, TIME_FORMAT } = require('./lib/bench-tools');
const { startLatencyProxy } = require('../test/support/bench-proxy');

const ROOT = path.join(__dirname, '..');
const ALL_CONTESTANTS = ['node', 'sdk', 'n8n-s3', 'awscli', 'rclone'];
const CONTESTANT_LABELS = {
	node: 'this node',
	sdk: 'raw SDK',
	'n8n-s3': "n8n's S3 node",
	awscli: 'awscli',
	rclone: 'rclone',
};
/** Same tuning for our node (its defaults) and the raw SDK, so the ratio shows our overhead. */
const PART_SIZE = 8 * MiB;
const QUEUE_SIZE = 4;
/**
 * Items in flight when --concurrency is not given: the node's own default (the bench builds
 * first), and the raw SDK runs as many requests at once, so neither gets more parallelism.
 */
const DEFAULT_ITEM_CONCURRENCY = require('../dist/nodes/S3Storage/actions/common.descriptions').DEFAULT_CONCURRENCY;

function parseArgs(argv) {
	const args = { quick: false, repeat: 1, out: path.join(ROOT, 'bench-results') };
	for (const arg of argv) {
		const [flag, value] = arg.split('=');
		if (flag === '--quick') args.quick = true;
		else if (flag === '--scenarios') args.scenarios = value.split(',').filter(Boolean);
		else if (flag === '--contestants') args.contestants = value.split(',').filter(Boolean);
		else if (flag === '--repeat') args.repeat = Math.max(1, Number(value) || 1);
		else if (flag === '--concurrency') args.concurrency = Number(value);
		else if (flag === '--rtt') {
			args.rtt = Number(value);
			if (!(args.rtt >= 0)) throw new Error(`--rtt needs milliseconds, e.g. --rtt=20 (got "${value}")`);
		}
		else if (flag === '--out') args.out = path.resolve(value);
		else if (flag === '--help' || flag === '-h') args.help = true;
		else throw new Error(`Unknown flag ${arg} (see --help)`);
	}
	for (const name of args.contestants ?? []) {
		if (!ALL_CONTESTANTS.includes(name)) throw new Error(`Unknown contestant "${name}". Known: ${ALL_CONTESTANTS.join(', ')}`);
	}
	return args;
}

function log(message) {
	process.stderr.write(`${message}\n`);
}

async function resolveTarget() {
	if (process.env.S3_TEST_ENDPOINT) {
		return {
			endpoint: process.env.S3_TEST_ENDPOINT,
			region: process.env.S3_TEST_REGION ?? 'us-east-1',
			accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID ?? '',
			secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY ?? '',
			forcePathStyle: (process.env.S3_TEST_FORCE_PATH_STYLE ?? 'true') === 'true',
			server: process.env.S3_TEST_SERVER ?? 'other',
			other: process.env.S3_TEST_OTHER_ACCESS_KEY_ID
				? { accessKeyId: process.env.S3_TEST_OTHER_ACCESS_KEY_ID, secretAccessKey: process.env.S3_TEST_OTHER_SECRET_ACCESS_KEY ?? '' }
				: undefined,
			async stop() {},
		};
	}
	const { startS3rver } = require('../test/support/s3rver');
	const server = await startS3rver();
	return { ...server, server: 's3rver' };
}

function serverVersion(target) {
	if (target.server === 's3rver') return `s3rver ${require('s3rver/package.json').version} (embedded)`;
	if (target.server === 'rgw') {
		const out = spawnSync('radosgw', ['--version'], { encoding: 'utf8' });
		const version = out.stdout?.match(/ceph version (\S+)/)?.[1];
		return `Ceph RGW${version ? ` ${version}` : ''}`;
	}
	return target.server;
}

/** RGW frees deleted objects' data only in its garbage collection (2 h later by default): run it now. */
function rgwGarbageCollect(target) {
	if (target.server !== 'rgw') return;
	const conf = path.join(process.env.RGW_DIR ?? '/tmp/n8n-s3-rgw', 'ceph.conf');
	if (!fs.existsSync(conf)) return;
	spawnSync('radosgw-admin', ['-c', conf, 'gc', 'process', '--include-all'], { stdio: 'ignore' });
}

function runChild(command, args, options) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (stdout.length > 64 * MiB) stdout = stdout.slice(-MiB);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			if (stderr.length > MiB) stderr = stderr.slice(-64 * 1024);
		});
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

async function runWorker(job) {
	const { stdout, stderr, code } = await runChild(process.execPath, ['--expose-gc', path.join(__dirname, 'lib', 'bench-worker.js'), JSON.stringify(job)], {
		cwd: ROOT,
		env: process.env,
	});
	const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
	if (!line) return { error: `worker exited with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` };
	return JSON.parse(line.slice('BENCH_RESULT '.length));
}

async function runTool(tool, tools, job, target, env, startup) {
	const command = toolCommand(tool, job, target, tools);
	if (typeof command === 'string') return { skipped: command };
	const started = process.hrtime.bigint();
	const { stdout, stderr, code } = await runChild(tools.time, ['-f', TIME_FORMAT, command.program ?? tools[tool], ...command.args], { env });
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const time = parseTimeLine(stderr);
	const result = { ms, peak: time?.peak, cpuMs: time?.cpuMs, note: command.note };
	// start-up is reported apart; the pipe of two awscli processes starts it twice
	const startups = command.program ? 2 : 1;
	if (time && startup?.cpuMs !== undefined) result.workCpuMs = Math.max(0, time.cpuMs - startups * startup.cpuMs);
	if (code !== 0) {
		result.error = `${tool} exited with code ${code}: ${stderr.replace(/BENCH_TIME.*/, '').trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`;
	}
	if (command.countFrom === 'stdout-number') {
		// awscli's text output applies --query to each page: one number per page
		result.count = stdout.split(/\s+/).reduce((sum, word) => sum + (Number(word) || 0), 0);
		if (!result.count) result.note = `printed "${stdout.trim().slice(0, 80)}" ${stderr.replace(/BENCH_TIME.*/, '').trim().slice(0, 160)}`;
	}
	if (command.countFrom === 'stdout-lines') result.count = stdout.split('\n').filter(Boolean).length;
	return result;
}

function formatRate(result, unit) {
	if (!result.rate) return '-';
	return unit === 'MiB' ? `${result.rate.toFixed(0)} MiB/s` : `${result.rate.toFixed(0)} obj/s`;
}

function formatRss(result) {
	if (result.peak === undefined) return '-';
	const growth = result.idle !== undefined ? ` (+${Math.max(0, result.peak - result.idle).toFixed(0)})` : '';
	return `${result.peak.toFixed(0)}${growth}`;
}

/** CPU per object (small objects) or in all (large files); the tools' without their start-up. */
function formatCpu(result) {
	const cpuMs = result.workCpuMs ?? result.cpuMs;
	if (cpuMs === undefined || result.error || result.skipped) return '-';
	if (result.unit === 'obj') return result.count ? `${(cpuMs / result.count).toFixed(2)} ms/obj` : `${(cpuMs / 1000).toFixed(1)} s`;
	return `${(cpuMs / 1000).toFixed(1)} s`;
}

function formatRatio(ratio) {
	return ratio !== undefined ? `${ratio.toFixed(2)}x` : '-';
}

function printTable(results, meta) {
	const lines = [];
	lines.push(
		`${meta.date}, ${meta.machine}, server: ${meta.server}, ${meta.rttMs ? `${meta.rttMs} ms round trip (latency proxy)` : 'loopback'}${meta.quick ? ', --quick sizes' : ''}`,
	);
	lines.push('');
	lines.push('| scenario | contestant | time | rate | CPU | peak RSS MiB (+ over idle) | vs raw SDK | vs rclone | vs n8n\'s node | load 1-min before / after | note |');
	lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
	for (const r of results) {
		const time = r.ms !== undefined && !r.skipped ? `${(r.ms / 1000).toFixed(2)} s` : '-';
		const note = [r.skipped ? `skipped: ${r.skipped}` : '', r.error ? `FAILED: ${r.error}` : '', r.note ?? '']
			.filter(Boolean)
			.join('; ')
			.replace(/\|/g, '/');
		const load = r.loadBefore !== undefined && !r.skipped ? `${r.loadBefore.toFixed(2)} / ${r.loadAfter.toFixed(2)}` : '-';
		lines.push(
			`| ${r.scenario} (${r.label}) | ${CONTESTANT_LABELS[r.contestant]} | ${time} | ${r.error || r.skipped ? '-' : formatRate(r, r.unit)} | ${formatCpu(r)} | ${r.skipped ? '-' : formatRss(r)} | ${formatRatio(r.ratio)} | ${formatRatio(r.ratioRclone)} | ${formatRatio(r.ratioN8n)} | ${load} | ${note} |`,
		);
	}
	lines.push('');
	for (const tool of ['awscli', 'rclone']) {
		const startup = meta.startup?.[tool];
		const version = meta.tools[tool];
		if (!startup) lines.push(`- ${tool}: ${version}`);
		else if (startup.error) lines.push(`- ${tool}: ${version}; start-up not measured: ${startup.error}`);
		else
			lines.push(
				`- ${tool}: ${version}; start-up (no-op \`${tool === 'awscli' ? 'aws --version' : 'rclone version'}\`, fastest of 3): ${startup.wallMs.toFixed(0)} ms wall, ${startup.cpuMs.toFixed(0)} ms CPU, ${startup.peak.toFixed(0)} MiB; not counted in its CPU column, counted in its time`,
			);
	}
	lines.push(`- load average (1, 5, 15 min) at start: ${meta.loadAverageAtStart}; at end: ${meta.loadAverageAtEnd}`);
	return lines.join('\n');
}

/** The issues' targets, checked against this run's figures (some apply to one network only). */
function checkTargets(results, meta) {
	const find = (scenario, contestant) => results.find((r) => r.scenario === scenario && r.contestant === contestant && !r.error && !r.skipped);
	const lines = [];
	for (const scenario of ['upload-1g', 'download-1g', 'upload-5g', 'download-5g', 'transfer-1g']) {
		const ours = find(scenario, 'node');
		const sdk = find(scenario, 'sdk');
		if (!ours) continue;
		if (sdk) {
			const ratio = ours.rate / sdk.rate;
			lines.push(`${scenario}: throughput ${ratio.toFixed(2)}x the raw SDK (target >= 0.95x): ${ratio >= 0.95 ? 'met' : `missed by ${((0.95 - ratio) * 100).toFixed(0)} points`}`);
		}
		const growth = ours.peak - ours.idle;
		lines.push(`${scenario}: peak RSS +${growth.toFixed(0)} MiB over idle (target <= 100): ${growth <= 100 ? 'met' : `missed by ${(growth - 100).toFixed(0)} MiB`}`);
	}
	const small = results.filter((r) => r.kind === 'upload-items' || r.kind === 'download-items');
	for (const scenario of [...new Set(small.map((r) => r.scenario))]) {
		const ours = find(scenario, 'node');
		if (!ours) continue;
		const sdk = find(scenario, 'sdk');
		const n8n = find(scenario, 'n8n-s3');
		const rclone = find(scenario, 'rclone');
		if (sdk && !meta.rttMs) {
			const ratio = ours.rate / sdk.rate;
			lines.push(`${scenario}: ${ratio.toFixed(2)}x the raw SDK on loopback (target >= 0.95x): ${ratio >= 0.95 ? 'met' : `missed by ${((0.95 - ratio) * 100).toFixed(0)} points`}`);
		}
		if (sdk && ours.cpuMs && sdk.cpuMs) {
			const ratio = ours.cpuMs / ours.count / (sdk.cpuMs / sdk.count);
			lines.push(`${scenario}: CPU per object ${ratio.toFixed(2)}x the raw SDK's (target <= 1.15x): ${ratio <= 1.15 ? 'met' : `missed by ${((ratio - 1.15) * 100).toFixed(0)} points`}`);
		}
		if (n8n && meta.rttMs) {
			const ratio = ours.rate / n8n.rate;
			lines.push(`${scenario}: ${ratio.toFixed(1)}x n8n's S3 node at ${meta.rttMs} ms (target >= 10x): ${ratio >= 10 ? 'met' : 'missed'}`);
		}
		if (rclone && meta.rttMs) {
			const ratio = ours.rate / rclone.rate;
			lines.push(`${scenario}: ${ratio.toFixed(2)}x rclone (16 transfers) at ${meta.rttMs} ms (target >= 1x): ${ratio >= 1 ? 'met' : `missed by ${((1 - ratio) * 100).toFixed(0)} %`}`);
		}
	}
	for (const r of results.filter((x) => ['list', 'delete-folder', 'delete-many'].includes(x.kind) && x.contestant === 'node' && !x.error)) {
		const sdk = find(r.scenario, 'sdk');
		if (!sdk) continue;
		const ratio = r.ms / sdk.ms;
		lines.push(`${r.scenario}: time ${ratio.toFixed(2)}x the raw SDK's (target <= 1.2x): ${ratio <= 1.2 ? 'met' : `missed by ${((ratio - 1.2) * 100).toFixed(0)} points`}`);
	}
	for (const r of results.filter((x) => x.kind === 'sync' && x.contestant === 'node' && !x.error && !x.skipped)) {
		const rclone = find(r.scenario, 'rclone');
		if (rclone) lines.push(`${r.scenario}: ${(r.rate / rclone.rate).toFixed(2)}x rclone sync (no target set; for the record)`);
	}
	return lines;
}

function freeBytes(dir) {
	const out = spawnSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).stdout ?? '';
	return Number(out.trim().split('\n').pop()) || Infinity;
}

function makeClient(endpointTarget, user = endpointTarget) {
	const { S3Client } = require('@aws-sdk/client-s3');
	return new S3Client({
		endpoint: endpointTarget.endpoint,
		region: endpointTarget.region,
		forcePathStyle: endpointTarget.forcePathStyle,
		credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
}

const loadNow = () => os.loadavg()[0];

/** Why a contestant cannot run a scenario, or undefined when it can. */
function reasonToSkip(contestant, scenario, tools) {
	const tool = contestant === 'awscli' || contestant === 'rclone';
	if (tool && !tools[contestant]) return `${contestant} is not installed on this machine (${INSTALL_HINT[contestant]})`;
	if (tool && !tools.time) return '/usr/bin/time is not installed (needed for peak RSS and CPU)';
	if (contestant === 'n8n-s3' && scenario.kind === 'download' && scenario.sizeMiB > 2048) {
		return "not run: n8n's node holds the whole body in memory (several times over), past 2 GiB it fails";
	}
	if (contestant === 'n8n-s3' && scenario.kind === 'transfer') return "n8n's node has no transfer between credentials (a Download and an Upload would hold the whole file in memory)";
	if (contestant === 'n8n-s3' && scenario.kind === 'sync') return "n8n's node has no sync";
	return undefined;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^[\s\S]*?\/\*\*/, ''));
		return;
	}
	if (!fs.existsSync(path.join(ROOT, 'dist/nodes/S3Storage/S3Storage.node.js'))) throw new Error('Build first: npm run build');
	const scenarios = selectScenarios({ names: args.scenarios, quick: args.quick });
	const contestants = args.contestants ?? ALL_CONTESTANTS;
	const tools = detectTools();
	const target = await resolveTarget();
	// every contestant talks to the server through the latency proxy (when asked); the bench's own checks do not
	const proxy = args.rtt ? await startLatencyProxy(target.endpoint, { rttMs: args.rtt }) : undefined;
	const via = { ...target, endpoint: proxy?.endpoint ?? target.endpoint };
	delete via.stop;
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-run-'));
	const env = toolEnv(via, workDir);
	const client = makeClient(target);
	const otherClient = target.other ? makeClient(target, target.other) : client;
	const server = serverHelpers(client);
	const otherServer = target.other ? serverHelpers(otherClient) : server;
	const bucket = `n8n-bench-${Date.now().toString(36)}`;
	// Transfer's destination: the second user's bucket
	const destinationBucket = `${bucket}-dst`;
	const startup = {};
	for (const tool of ['awscli', 'rclone']) {
		if (tools[tool] && tools.time && contestants.includes(tool)) startup[tool] = measureStartup(tool, tools, env);
	}
	const meta = {
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		machine: `${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.versions.node}, ${os.type()} ${os.release()}`,
		server: serverVersion(target),
		endpoint: target.endpoint,
		rttMs: args.rtt ?? 0,
		proxyEndpoint: proxy?.endpoint,
		quick: args.quick,
		repeat: args.repeat,
		itemConcurrency: args.concurrency ?? DEFAULT_ITEM_CONCURRENCY,
		partSizeMiB: PART_SIZE / MiB,
		queueSize: QUEUE_SIZE,
		loadAverageAtStart: os.loadavg().map((l) => l.toFixed(2)).join(' '),
		tools: {
			awscli: tools.awscli ? spawnSync(tools.awscli, ['--version'], { encoding: 'utf8', env }).stdout.trim() : `not installed (${INSTALL_HINT.awscli})`,
			rclone: tools.rclone ? spawnSync(tools.rclone, ['version'], { encoding: 'utf8' }).stdout.split('\n')[0] : `not installed (${INSTALL_HINT.rclone})`,
		},
		startup,
	};
	log(`Benchmark against ${meta.server} at ${target.endpoint}${proxy ? ` through a ${args.rtt} ms round-trip proxy (${proxy.endpoint})` : ''}, bucket ${bucket}; ${meta.machine}; load ${meta.loadAverageAtStart}`);
	for (const tool of ['awscli', 'rclone']) if (!tools[tool]) log(`${tool}: ${meta.tools[tool]}: its rows say so`);
	const results = [];
	let destinationCreated = false;
	try {
		await server.createBucket(bucket);
		for (const scenario of scenarios) {
			const base = { scenario: scenario.name, label: scenario.label, unit: scenario.unit, kind: scenario.kind };
			log(`\n== ${scenario.name} (${scenario.label})`);
			const big = scenario.sizeMiB !== undefined;
			const sourceFile = big ? path.join(workDir, `source-${scenario.sizeMiB}.bin`) : undefined;
			if (big) {
				// the source file, the copy n8n keeps in its binary store, a downloaded copy, and s3rver's own
				const needed = scenario.sizeMiB * MiB * (target.server === 's3rver' ? 4 : 3);
				if (freeBytes(workDir) < needed + 2 * 1024 * MiB) {
					for (const contestant of contestants) results.push({ ...base, contestant, skipped: `not enough free disk in ${os.tmpdir()} (df)` });
					continue;
				}
				makeBigFile(sourceFile, scenario.sizeMiB);
			}
			const smallDir = scenario.count && (scenario.kind.endsWith('-items') || scenario.kind === 'sync') ? path.join(workDir, `small-${scenario.count}`) : undefined;
			if (smallDir) makeSmallFiles(smallDir, scenario.count);

			const job = { kind: scenario.kind, bucket, target: via, concurrency: args.concurrency, itemConcurrency: args.concurrency ?? DEFAULT_ITEM_CONCURRENCY, partSize: PART_SIZE, queueSize: QUEUE_SIZE, count: scenario.count };
			if (scenario.kind === 'download' || scenario.kind === 'transfer') {
				// Transfer reads the same object as Download
				job.key = `download/${scenario.sizeMiB}.bin`;
				job.size = scenario.sizeMiB * MiB;
				if ((await server.objectSize(bucket, job.key)) !== scenario.sizeMiB * MiB) await server.uploadFile(bucket, job.key, sourceFile);
			}
			if (scenario.kind === 'transfer') {
				if (!destinationCreated) await otherServer.createBucket(destinationBucket);
				destinationCreated = true;
				job.destinationBucket = destinationBucket;
			}
			if (scenario.kind === 'download-items') {
				job.prefix = `download-items-${scenario.count}/`;
				if ((await server.countKeys(bucket, job.prefix)) !== scenario.count) await server.putSmallFiles(bucket, job.prefix, smallDir, scenario.count);
			}
			if (scenario.kind === 'sync') {
				job.prefix = `sync-source-${scenario.count}/`;
				const started = Date.now();
				if (await server.ensureSmallObjects(bucket, job.prefix, smallDir, scenario.count)) {
					log(`   put ${scenario.count} objects under ${job.prefix} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
				}
			}
			if (scenario.kind === 'list' || scenario.kind === 'delete-folder') job.prefix = `tree-${scenario.count}/`;
			if (scenario.kind === 'delete-many') job.prefix = `many-${scenario.count}/`;

			// a Sync runs twice: into an empty folder, then again with nothing to copy
			const passes = scenario.kind === 'sync' ? ['first', 'again'] : ['only'];
			for (const contestant of contestants) {
				const entry = { ...base, contestant };
				const skip = reasonToSkip(contestant, scenario, tools);
				if (skip) {
					for (const pass of passes) results.push({ ...entry, ...passEntry(scenario, pass), skipped: skip });
					continue;
				}
				const best = {};
				for (let attempt = 0; attempt < args.repeat; attempt++) {
					const runJob = { ...job, contestant };
					// fresh state for every run
					if (scenario.kind === 'upload') {
						runJob.file = sourceFile;
						runJob.key = `upload/${contestant}-${scenario.sizeMiB}.bin`;
					}
					if (scenario.kind === 'upload-items') {
						runJob.dir = smallDir;
						runJob.prefix = `upload-items-${scenario.count}/${contestant}/`;
						await server.emptyPrefix(bucket, runJob.prefix);
					}
					if (scenario.kind === 'transfer') runJob.destinationKey = `transfer/${contestant}-${scenario.sizeMiB}.bin`;
					if (scenario.kind === 'sync') {
						runJob.destinationPrefix = `sync-copy-${scenario.count}/${contestant}/`;
						await server.emptyPrefix(bucket, runJob.destinationPrefix);
					}
					if (scenario.kind === 'download' || scenario.kind === 'download-items') {
						runJob.outDir = fs.mkdtempSync(path.join(workDir, 'out-'));
					}
					if (scenario.kind === 'list' || scenario.kind.startsWith('delete')) {
						const started = Date.now();
						if (await server.ensureKeys(bucket, job.prefix, scenario.count, (n) => log(`   (putting keys: ${n})`))) {
							log(`   put ${scenario.count} keys under ${job.prefix} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
						}
					}
					let before;
					for (const pass of passes) {
						log(`-- ${contestant}${pass === 'again' ? ' (second run)' : ''}${args.repeat > 1 ? ` (run ${attempt + 1})` : ''}`);
						if (pass === 'again') before = await server.summarize(bucket, runJob.destinationPrefix);
						const loadBefore = loadNow();
						const result =
							contestant === 'awscli' || contestant === 'rclone'
								? await runTool(contestant, tools, runJob, via, env, startup[contestant])
								: await runWorker(runJob);
						result.loadBefore = loadBefore;
						result.loadAfter = loadNow();
						await verify(result, scenario, runJob, contestant, scenario.kind === 'transfer' ? otherServer : server, pass, before);
						// verified: the tools handled the scenario's objects (for CPU per object)
						if (!result.error && !result.skipped && scenario.unit === 'obj' && result.count === undefined) result.count = scenario.count;
						log(
							`   ${result.skipped ? `skipped: ${result.skipped}` : result.error ? `FAILED: ${result.error}` : `${(result.ms / 1000).toFixed(2)} s, peak RSS ${result.peak?.toFixed(0)} MiB, CPU ${((result.workCpuMs ?? result.cpuMs ?? NaN) / 1000).toFixed(2)} s`}${result.note ? ` (${result.note})` : ''}; load ${result.loadBefore.toFixed(2)} -> ${result.loadAfter.toFixed(2)}`,
						);
						if (!best[pass] || (!result.error && (best[pass].error || result.ms < best[pass].ms))) best[pass] = result;
						if (result.error || result.skipped) break;
					}
					// clean up after the run
					if (runJob.outDir) fs.rmSync(runJob.outDir, { recursive: true, force: true });
					if (scenario.kind === 'upload') {
						await server.deleteKey(bucket, runJob.key).catch(() => {});
						await server.abortMultipartUploads(bucket);
						rgwGarbageCollect(target);
					}
					if (scenario.kind === 'transfer') {
						await otherServer.deleteKey(destinationBucket, runJob.destinationKey).catch(() => {});
						await otherServer.abortMultipartUploads(destinationBucket);
						rgwGarbageCollect(target);
					}
					if (scenario.kind === 'upload-items') await server.emptyPrefix(bucket, runJob.prefix);
					if (scenario.kind === 'sync') await server.emptyPrefix(bucket, runJob.destinationPrefix);
				}
				const amount = scenario.unit === 'MiB' ? scenario.sizeMiB : scenario.count;
				for (const pass of passes) {
					const record = { ...entry, ...passEntry(scenario, pass), ...(best[pass] ?? { skipped: 'the first run failed' }) };
					if (!record.error && !record.skipped && record.ms) record.rate = amount / (record.ms / 1000);
					results.push(record);
				}
			}
			for (const pass of passes) {
				const name = passEntry(scenario, pass).scenario ?? scenario.name;
				const rows = results.filter((r) => r.scenario === name);
				const rateOf = (contestant) => rows.find((r) => r.contestant === contestant && r.rate)?.rate;
				for (const record of rows.filter((r) => r.rate)) {
					if (rateOf('sdk')) record.ratio = record.rate / rateOf('sdk');
					if (rateOf('rclone') && record.contestant !== 'rclone') record.ratioRclone = record.rate / rateOf('rclone');
					if (rateOf('n8n-s3') && record.contestant !== 'n8n-s3') record.ratioN8n = record.rate / rateOf('n8n-s3');
				}
			}
			if (sourceFile && !scenarios.some((s) => s !== scenario && s.sizeMiB === scenario.sizeMiB && scenarios.indexOf(s) > scenarios.indexOf(scenario))) {
				fs.rmSync(sourceFile, { force: true });
			}
		}
	} finally {
		log('\ncleaning up');
		await server.deleteBucket(bucket).catch((error) => log(`could not delete bucket ${bucket}: ${error.message}`));
		if (destinationCreated) await otherServer.deleteBucket(destinationBucket).catch((error) => log(`could not delete bucket ${destinationBucket}: ${error.message}`));
		rgwGarbageCollect(target);
		fs.rmSync(workDir, { recursive: true, force: true });
		client.destroy();
		if (otherClient !== client) otherClient.destroy();
		await proxy?.stop();
		await target.stop();
	}

	meta.loadAverageAtEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
	const table = printTable(results, meta);
	const targets = checkTargets(results, meta);
	process.stdout.write(`\n${table}\n\nTargets (issues 6, 13, 17):\n${targets.map((t) => `- ${t}`).join('\n')}\n`);
	fs.mkdirSync(args.out, { recursive: true });
	const file = path.join(args.out, `bench-${meta.date.replace(/[:]/g, '-')}-${target.server}${args.rtt ? `-rtt${args.rtt}` : ''}${args.quick ? '-quick' : ''}.json`);
	fs.writeFileSync(file, `${JSON.stringify({ meta, results, targets, table }, null, '\t')}\n`);
	process.stdout.write(`\nWritten to ${path.relative(process.cwd(), file)}\n`);
}

/** The row a pass of a scenario gets: Sync's second run is a row of its own. */
function passEntry(scenario, pass) {
	return pass === 'again' ? { scenario: `${scenario.name}-again`, label: `${scenario.label}, second run: nothing to copy` } : {};
}

/** Checks that a contestant did the work it claims; a shortfall turns into an error. */
async function verify(result, scenario, job, contestant, server, pass, before) {
	if (result.error || result.skipped) return;
	const fail = (message) => (result.error = message);
	switch (scenario.kind) {
		case 'transfer': {
			const size = await server.objectSize(job.destinationBucket, job.destinationKey);
			if (size !== scenario.sizeMiB * MiB) fail(`object at the destination is ${size} bytes, expected ${scenario.sizeMiB * MiB}`);
			break;
		}
		case 'sync': {
			const after = await server.summarize(job.bucket, job.destinationPrefix);
			if (after.count !== scenario.count) fail(`${after.count} objects at the destination, expected ${scenario.count}`);
			else if (pass === 'again' && after.newest !== before.newest) fail('the second run copied again (a destination object is newer than after the first run)');
			// the tools do not say how many they looked at: the folder's count stands for it
			if (result.count === undefined || contestant === 'awscli' || contestant === 'rclone') result.count = scenario.count;
			if (pass === 'again') result.count = scenario.count;
			break;
		}
		case 'upload': {
			const size = await server.objectSize(job.bucket, job.key);
			if (size !== scenario.sizeMiB * MiB) fail(`object on the server is ${size} bytes, expected ${scenario.sizeMiB * MiB}`);
			break;
		}
		case 'download': {
			const bytes = contestant === 'node' || contestant === 'n8n-s3' ? result.bytes : fileSize(path.join(job.outDir, 'download.bin'));
			if (bytes !== scenario.sizeMiB * MiB) fail(`downloaded ${bytes} bytes, expected ${scenario.sizeMiB * MiB}`);
			break;
		}
		case 'upload-items': {
			const count = await server.countKeys(job.bucket, job.prefix);
			if (count !== scenario.count) fail(`${count} objects on the server, expected ${scenario.count}`);
			break;
		}
		case 'download-items': {
			const count = result.count ?? fs.readdirSync(job.outDir).length;
			if (count !== scenario.count) fail(`${count} objects downloaded, expected ${scenario.count}`);
			break;
		}
		case 'list':
			if (result.count !== scenario.count) fail(`listed ${result.count} keys, expected ${scenario.count}`);
			break;
		case 'delete-folder':
		case 'delete-many': {
			const left = await server.countKeys(job.bucket, job.prefix);
			if (left !== 0) fail(`${left} of ${scenario.count} keys still there`);
			break;
		}
		default:
	}
}

function fileSize(file) {
	try {
		return fs.statSync(file).size;
	} catch {
		return undefined;
	}
}

main().catch((error) => {
	log(error.stack ?? String(error));
	process.exit(1);
});
