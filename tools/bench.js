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
 *   set -a; . /tmp/n8n-s3-rgw/env; set +a; npm run bench   # any endpoint from S3_TEST_* variables
 *
 * Flags: --quick, --scenarios=a,b, --contestants=node,sdk,n8n-s3,awscli,rclone, --repeat=N (keep
 * each contestant's fastest run), --concurrency=N (our node's item concurrency; default: the
 * node's own default), --out=DIR (default bench-results/).
 * Prints a table and writes it as JSON to bench-results/.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { selectScenarios, makeBigFile, makeSmallFiles, serverHelpers, MiB } = require('./lib/bench-scenarios');
const { detectTools, toolEnv, toolCommand, TOOL_KINDS } = require('./lib/bench-tools');

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
const DEFAULT_ITEM_CONCURRENCY = 8;

function parseArgs(argv) {
	const args = { quick: false, repeat: 1, out: path.join(ROOT, 'bench-results') };
	for (const arg of argv) {
		const [flag, value] = arg.split('=');
		if (flag === '--quick') args.quick = true;
		else if (flag === '--scenarios') args.scenarios = value.split(',').filter(Boolean);
		else if (flag === '--contestants') args.contestants = value.split(',').filter(Boolean);
		else if (flag === '--repeat') args.repeat = Math.max(1, Number(value) || 1);
		else if (flag === '--concurrency') args.concurrency = Number(value);
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

async function runTool(tool, tools, job, target, env) {
	const command = toolCommand(tool, job, target);
	if (typeof command === 'string') return { skipped: command };
	const started = process.hrtime.bigint();
	const { stdout, stderr, code } = await runChild(tools.time, ['-f', 'BENCH_TIME %e %M', tools[tool], ...command.args], { env });
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const timeLine = stderr.split('\n').reverse().find((l) => l.startsWith('BENCH_TIME '));
	const peak = timeLine ? Number(timeLine.split(' ')[2]) / 1024 : undefined;
	const result = { ms, peak };
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

function printTable(results, meta) {
	const lines = [];
	lines.push(`${meta.date}, ${meta.machine}, server: ${meta.server}${meta.quick ? ', --quick sizes' : ''}`);
	lines.push('');
	lines.push('| scenario | contestant | time | rate | peak RSS MiB (+ over idle) | vs raw SDK | note |');
	lines.push('|---|---|---|---|---|---|---|');
	for (const r of results) {
		const time = r.ms !== undefined && !r.skipped ? `${(r.ms / 1000).toFixed(2)} s` : '-';
		const ratio = r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : '-';
		const note = [r.skipped ? `skipped: ${r.skipped}` : '', r.error ? `FAILED: ${r.error}` : '', r.note ?? '']
			.filter(Boolean)
			.join('; ')
			.replace(/\|/g, '/');
		lines.push(`| ${r.scenario} (${r.label}) | ${CONTESTANT_LABELS[r.contestant]} | ${time} | ${r.error || r.skipped ? '-' : formatRate(r, r.unit)} | ${r.skipped ? '-' : formatRss(r)} | ${ratio} | ${note} |`);
	}
	return lines.join('\n');
}

/** The issue's targets, checked against this run's figures. */
function checkTargets(results) {
	const find = (scenario, contestant) => results.find((r) => r.scenario === scenario && r.contestant === contestant && !r.error && !r.skipped);
	const lines = [];
	for (const scenario of ['upload-1g', 'download-1g', 'upload-5g', 'download-5g']) {
		const ours = find(scenario, 'node');
		const sdk = find(scenario, 'sdk');
		if (!ours) continue;
		if (sdk) {
			const ratio = ours.rate / sdk.rate;
			lines.push(`${scenario}: throughput ${ratio.toFixed(2)}x the raw SDK (target >= 0.9x): ${ratio >= 0.9 ? 'met' : `missed by ${((0.9 - ratio) * 100).toFixed(0)} points`}`);
		}
		const growth = ours.peak - ours.idle;
		lines.push(`${scenario}: peak RSS +${growth.toFixed(0)} MiB over idle (target <= 100): ${growth <= 100 ? 'met' : `missed by ${(growth - 100).toFixed(0)} MiB`}`);
	}
	const smallUp = results.filter((r) => r.kind === 'upload-items');
	for (const scenario of [...new Set(smallUp.map((r) => r.scenario))]) {
		const ours = find(scenario, 'node');
		if (!ours) continue;
		const n8n = find(scenario, 'n8n-s3');
		const rclone = find(scenario, 'rclone');
		if (n8n) {
			const ratio = ours.rate / n8n.rate;
			lines.push(`${scenario}: ${ratio.toFixed(1)}x n8n's S3 node (target >= 5x): ${ratio >= 5 ? 'met' : 'missed'}`);
		}
		if (rclone) {
			const ratio = ours.rate / rclone.rate;
			lines.push(`${scenario}: ${ratio.toFixed(2)}x rclone with 16 transfers (target >= 1x): ${ratio >= 1 ? 'met' : `missed by ${((1 - ratio) * 100).toFixed(0)} %`}`);
		}
	}
	for (const r of results.filter((x) => ['list', 'delete-folder', 'delete-many'].includes(x.kind) && x.contestant === 'node' && !x.error)) {
		const sdk = find(r.scenario, 'sdk');
		if (!sdk) continue;
		const ratio = r.ms / sdk.ms;
		lines.push(`${r.scenario}: time ${ratio.toFixed(2)}x the raw SDK's (target <= 1.2x): ${ratio <= 1.2 ? 'met' : `missed by ${((ratio - 1.2) * 100).toFixed(0)} points`}`);
	}
	return lines;
}

function freeBytes(dir) {
	const out = spawnSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).stdout ?? '';
	return Number(out.trim().split('\n').pop()) || Infinity;
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
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-run-'));
	const env = toolEnv(target, workDir);
	const { S3Client } = require('@aws-sdk/client-s3');
	const client = new S3Client({
		endpoint: target.endpoint,
		region: target.region,
		forcePathStyle: target.forcePathStyle,
		credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
	const server = serverHelpers(client);
	const bucket = `n8n-bench-${Date.now().toString(36)}`;
	const meta = {
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		machine: `${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.versions.node}, ${os.type()} ${os.release()}`,
		server: serverVersion(target),
		endpoint: target.endpoint,
		quick: args.quick,
		repeat: args.repeat,
		itemConcurrency: args.concurrency ?? DEFAULT_ITEM_CONCURRENCY,
		partSizeMiB: PART_SIZE / MiB,
		queueSize: QUEUE_SIZE,
		loadAverageAtStart: os.loadavg().map((l) => l.toFixed(2)).join(' '),
		tools: {
			awscli: tools.awscli ? spawnSync(tools.awscli, ['--version'], { encoding: 'utf8', env }).stdout.trim() : 'not installed',
			rclone: tools.rclone ? spawnSync(tools.rclone, ['version'], { encoding: 'utf8' }).stdout.split('\n')[0] : 'not installed',
		},
	};
	log(`Benchmark against ${meta.server} at ${target.endpoint}, bucket ${bucket}; ${meta.machine}; load ${meta.loadAverageAtStart}`);
	const results = [];
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
			const smallDir = scenario.count && scenario.kind.endsWith('-items') ? path.join(workDir, `small-${scenario.count}`) : undefined;
			if (smallDir) makeSmallFiles(smallDir, scenario.count);

			const job = { kind: scenario.kind, bucket, target, concurrency: args.concurrency, partSize: PART_SIZE, queueSize: QUEUE_SIZE, count: scenario.count };
			if (scenario.kind === 'download') {
				job.key = `download/${scenario.sizeMiB}.bin`;
				if ((await server.objectSize(bucket, job.key)) !== scenario.sizeMiB * MiB) await server.uploadFile(bucket, job.key, sourceFile);
			}
			if (scenario.kind === 'download-items') {
				job.prefix = `download-items-${scenario.count}/`;
				if ((await server.countKeys(bucket, job.prefix)) !== scenario.count) await server.putSmallFiles(bucket, job.prefix, smallDir, scenario.count);
			}
			if (scenario.kind === 'list' || scenario.kind === 'delete-folder') job.prefix = `tree-${scenario.count}/`;
			if (scenario.kind === 'delete-many') job.prefix = `many-${scenario.count}/`;

			let sdkResult;
			for (const contestant of contestants) {
				const entry = { ...base, contestant };
				if ((contestant === 'awscli' || contestant === 'rclone') && !tools[contestant]) {
					results.push({ ...entry, skipped: `${contestant} is not installed` });
					continue;
				}
				if ((contestant === 'awscli' || contestant === 'rclone') && !tools.time) {
					results.push({ ...entry, skipped: '/usr/bin/time is not installed (needed for peak RSS)' });
					continue;
				}
				if ((contestant === 'awscli' || contestant === 'rclone') && !TOOL_KINDS.includes(scenario.kind)) {
					results.push({ ...entry, skipped: 'no equivalent command' });
					continue;
				}
				if (contestant === 'n8n-s3' && scenario.kind === 'download' && scenario.sizeMiB > 2048) {
					results.push({ ...entry, skipped: "not run: n8n's node holds the whole body in memory (several times over), past 2 GiB it fails" });
					continue;
				}
				let best;
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
					if (scenario.kind === 'download' || scenario.kind === 'download-items') {
						runJob.outDir = fs.mkdtempSync(path.join(workDir, 'out-'));
					}
					if (scenario.kind === 'list' || scenario.kind.startsWith('delete')) {
						const started = Date.now();
						if (await server.ensureKeys(bucket, job.prefix, scenario.count, (n) => log(`   (putting keys: ${n})`))) {
							log(`   put ${scenario.count} keys under ${job.prefix} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
						}
					}
					log(`-- ${contestant}${args.repeat > 1 ? ` (run ${attempt + 1})` : ''}`);
					const result =
						contestant === 'awscli' || contestant === 'rclone'
							? await runTool(contestant, tools, runJob, target, env)
							: await runWorker(runJob);
					await verify(result, scenario, runJob, contestant, server);
					log(`   ${result.skipped ? `skipped: ${result.skipped}` : result.error ? `FAILED: ${result.error}` : `${(result.ms / 1000).toFixed(2)} s, peak RSS ${result.peak?.toFixed(0)} MiB`}${result.note ? ` (${result.note})` : ''}`);
					// clean up after the run
					if (runJob.outDir) fs.rmSync(runJob.outDir, { recursive: true, force: true });
					if (scenario.kind === 'upload') {
						await server.deleteKey(bucket, runJob.key).catch(() => {});
						await server.abortMultipartUploads(bucket);
						rgwGarbageCollect(target);
					}
					if (scenario.kind === 'upload-items') await server.emptyPrefix(bucket, runJob.prefix);
					if (!best || (!result.error && (best.error || result.ms < best.ms))) best = result;
				}
				const amount = scenario.unit === 'MiB' ? scenario.sizeMiB : scenario.count;
				const record = { ...entry, ...best };
				if (!record.error && !record.skipped && record.ms) record.rate = amount / (record.ms / 1000);
				if (contestant === 'sdk' && record.rate) sdkResult = record;
				results.push(record);
			}
			for (const record of results.filter((r) => r.scenario === scenario.name && r.rate)) {
				if (sdkResult) record.ratio = record.rate / sdkResult.rate;
			}
			if (sourceFile && !scenarios.some((s) => s !== scenario && s.sizeMiB === scenario.sizeMiB && scenarios.indexOf(s) > scenarios.indexOf(scenario))) {
				fs.rmSync(sourceFile, { force: true });
			}
		}
	} finally {
		log('\ncleaning up');
		await server.deleteBucket(bucket).catch((error) => log(`could not delete bucket ${bucket}: ${error.message}`));
		rgwGarbageCollect(target);
		fs.rmSync(workDir, { recursive: true, force: true });
		client.destroy();
		await target.stop();
	}

	meta.loadAverageAtEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
	const table = printTable(results, meta);
	const targets = checkTargets(results);
	process.stdout.write(`\n${table}\n\nTargets (issue 6):\n${targets.map((t) => `- ${t}`).join('\n')}\n`);
	fs.mkdirSync(args.out, { recursive: true });
	const file = path.join(args.out, `bench-${meta.date.replace(/[:]/g, '-')}-${target.server}${args.quick ? '-quick' : ''}.json`);
	fs.writeFileSync(file, `${JSON.stringify({ meta, results, targets, table }, null, '\t')}\n`);
	process.stdout.write(`\nWritten to ${path.relative(process.cwd(), file)}\n`);
}

/** Checks that a contestant did the work it claims; a shortfall turns into an error. */
async function verify(result, scenario, job, contestant, server) {
	if (result.error || result.skipped) return;
	const fail = (message) => (result.error = message);
	switch (scenario.kind) {
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
