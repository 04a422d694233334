'use strict';
/**
 * The command-line contestants: awscli (default settings: 10 concurrent requests, 8 MiB parts)
 * and rclone (16 transfers for many objects, defaults otherwise).
 * Each command runs under /usr/bin/time so its peak RSS and CPU time (user + system, its children
 * included) are known; the time is the command's wall time, start-up included. What start-up
 * alone costs is measured apart with a command that does nothing (`aws --version`, `rclone version`).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** Where Debian puts them; otherwise the PATH. */
const KNOWN_PATHS = { awscli: '/usr/bin/aws', rclone: '/usr/bin/rclone' };
const EXECUTABLES = { awscli: 'aws', rclone: 'rclone' };
/** The no-op command that shows a tool's start-up cost. */
const NO_OP = { awscli: ['--version'], rclone: ['version'] };
/** How to install a missing tool, for the table's note. */
const INSTALL_HINT = { awscli: 'pip install awscli (or apt-get install awscli)', rclone: 'apt-get install rclone' };
/** `time -f` format: wall seconds, peak RSS KiB, user and system CPU seconds. */
const TIME_FORMAT = 'BENCH_TIME %e %M %U %S';

function findOnPath(name) {
	for (const dir of (process.env.PATH ?? '').split(':')) {
		const file = path.join(dir, name);
		if (dir && fs.existsSync(file)) return file;
	}
	return undefined;
}

/**
 * The real program behind a pyenv shim: the shim is a bash script that starts pyenv first, which
 * would add its own start-up (about 1 s here) to every run of the tool.
 */
function resolveShim(file) {
	if (!file || !file.includes('/.pyenv/shims/')) return file;
	const pyenv = path.join(file.split('/shims/')[0], 'bin', 'pyenv');
	const out = spawnSync(fs.existsSync(pyenv) ? pyenv : 'pyenv', ['which', path.basename(file)], { encoding: 'utf8' });
	const real = out.stdout?.trim();
	return out.status === 0 && real && fs.existsSync(real) ? real : file;
}

/** Which tools are here; a missing one is reported as not installed (with how to install it), never dropped. */
function detectTools() {
	const tools = { time: fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined };
	for (const [tool, known] of Object.entries(KNOWN_PATHS)) {
		tools[tool] = fs.existsSync(known) ? known : resolveShim(findOnPath(EXECUTABLES[tool]));
	}
	return tools;
}

/** Parses the line TIME_FORMAT prints: { wallMs, peak (MiB), cpuMs } or undefined. */
function parseTimeLine(stderr) {
	const line = stderr.split('\n').reverse().find((l) => l.startsWith('BENCH_TIME '));
	if (!line) return undefined;
	const [wall, maxKiB, user, system] = line.split(' ').slice(1).map(Number);
	return { wallMs: wall * 1000, peak: maxKiB / 1024, cpuMs: (user + system) * 1000 };
}

/** A tool's start-up cost: the fastest of `runs` no-op invocations (wall and CPU ms, peak RSS MiB). */
function measureStartup(tool, tools, env, runs = 3) {
	let best;
	for (let run = 0; run < runs; run++) {
		const out = spawnSync(tools.time, ['-f', TIME_FORMAT, tools[tool], ...NO_OP[tool]], { encoding: 'utf8', env });
		const time = parseTimeLine(out.stderr ?? '');
		if (out.status !== 0 || !time) return { error: `${tool} ${NO_OP[tool].join(' ')} exited with ${out.status}` };
		if (!best || time.cpuMs < best.cpuMs) best = time;
	}
	return best;
}

/**
 * Environment for the tools: credentials and endpoint, and no AWS_CA_BUNDLE (it breaks them on
 * http). Remote `bench:` (rclone) / the default profile (awscli) is the target's user; `bench2:` /
 * profile `other` is `target.other` (a second user on the same server, Transfer's destination) when given.
 */
function toolEnv(target, workDir) {
	const env = { ...process.env };
	for (const name of ['AWS_CA_BUNDLE', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete env[name];
	const awsConfig = path.join(workDir, 'aws-config');
	fs.writeFileSync(
		awsConfig,
		`[default]\nregion = ${target.region}\ns3 =\n  addressing_style = ${target.forcePathStyle ? 'path' : 'virtual'}\n` +
			`[profile other]\nregion = ${target.region}\ns3 =\n  addressing_style = ${target.forcePathStyle ? 'path' : 'virtual'}\n`,
	);
	const other = target.other ?? target;
	const awsCredentials = path.join(workDir, 'aws-credentials');
	fs.writeFileSync(
		awsCredentials,
		`[default]\naws_access_key_id = ${target.accessKeyId}\naws_secret_access_key = ${target.secretAccessKey}\n` +
			`[other]\naws_access_key_id = ${other.accessKeyId}\naws_secret_access_key = ${other.secretAccessKey}\n`,
		{ mode: 0o600 },
	);
	const rcloneConfig = path.join(workDir, 'rclone.conf');
	fs.writeFileSync(rcloneConfig, '');
	return {
		...env,
		AWS_CONFIG_FILE: awsConfig,
		AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
		AWS_DEFAULT_REGION: target.region,
		AWS_PAGER: '',
		RCLONE_CONFIG: rcloneConfig,
		RCLONE_CONFIG_BENCH_TYPE: 's3',
		RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
		RCLONE_CONFIG_BENCH_ENDPOINT: target.endpoint,
		RCLONE_CONFIG_BENCH_REGION: target.region,
		RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: target.accessKeyId,
		RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: target.secretAccessKey,
		RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: String(target.forcePathStyle),
		RCLONE_CONFIG_BENCH2_TYPE: 's3',
		RCLONE_CONFIG_BENCH2_PROVIDER: 'Other',
		RCLONE_CONFIG_BENCH2_ENDPOINT: target.endpoint,
		RCLONE_CONFIG_BENCH2_REGION: target.region,
		RCLONE_CONFIG_BENCH2_ACCESS_KEY_ID: other.accessKeyId,
		RCLONE_CONFIG_BENCH2_SECRET_ACCESS_KEY: other.secretAccessKey,
		RCLONE_CONFIG_BENCH2_FORCE_PATH_STYLE: String(target.forcePathStyle),
	};
}

/**
 * The command a tool runs for a job, or a string saying why it has none.
 * `countFrom`: how the orchestrator learns how many objects the command handled
 * ('stdout-number': the numbers printed, summed; 'stdout-lines'; or undefined: it checks the server / the disk instead).
 * `program`: run this instead of the tool itself (a shell for a pipe); `note`: goes into the table.
 */
function toolCommand(tool, job, target, tools) {
	const s3url = (key) => `s3://${job.bucket}/${key}`;
	const remote = (key) => `bench:${job.bucket}/${key}`;
	if (tool === 'awscli') {
		const base = ['--endpoint-url', target.endpoint];
		switch (job.kind) {
			case 'upload':
				return { args: ['s3', 'cp', job.file, s3url(job.key), '--only-show-errors', ...base] };
			case 'download':
				return { args: ['s3', 'cp', s3url(job.key), path.join(job.outDir, 'download.bin'), '--only-show-errors', ...base] };
			case 'upload-items':
				return { args: ['s3', 'cp', job.dir, s3url(job.prefix), '--recursive', '--only-show-errors', ...base] };
			case 'download-items':
				return { args: ['s3', 'cp', s3url(job.prefix), job.outDir, '--recursive', '--only-show-errors', ...base] };
			case 'list':
				return {
					args: ['s3api', 'list-objects-v2', '--bucket', job.bucket, '--prefix', job.prefix, '--query', 'length(Contents)', '--output', 'text', ...base],
					countFrom: 'stdout-number',
				};
			case 'delete-folder':
				return { args: ['s3', 'rm', s3url(job.prefix), '--recursive', '--only-show-errors', ...base] };
			case 'transfer': {
				// no copy between two users: a download piped into an upload, as a user would script it
				const aws = tools.awscli;
				const from = `${aws} s3 cp ${s3url(job.key)} - --only-show-errors ${base.join(' ')}`;
				const to = `${aws} --profile other s3 cp - s3://${job.destinationBucket}/${job.destinationKey} --expected-size ${job.size} --only-show-errors ${base.join(' ')}`;
				return { program: '/bin/sh', args: ['-c', `set -e; ${from} | ${to}`], note: 'aws s3 cp to stdout piped into aws s3 cp from stdin (two processes: peak RSS is the larger one\'s)' };
			}
			case 'sync':
				// awscli compares size and time as well; its copies within one endpoint are server-side
				return { args: ['s3', 'sync', s3url(job.prefix), s3url(job.destinationPrefix), '--only-show-errors', ...base] };
			default:
				return 'no equivalent command';
		}
	}
	if (tool === 'rclone') {
		const many = ['--transfers', '16', '--checkers', '16'];
		const quiet = ['--s3-no-check-bucket', '-q'];
		switch (job.kind) {
			case 'upload':
				return { args: ['copyto', job.file, remote(job.key), ...quiet] };
			case 'download':
				return { args: ['copyto', remote(job.key), path.join(job.outDir, 'download.bin'), ...quiet] };
			case 'upload-items':
				return { args: ['copy', job.dir, remote(job.prefix), ...many, ...quiet] };
			case 'download-items':
				return { args: ['copy', remote(job.prefix), job.outDir, ...many, ...quiet] };
			case 'list':
				return { args: ['lsf', '-R', '--files-only', remote(job.prefix), ...quiet], countFrom: 'stdout-lines' };
			case 'delete-folder':
				return { args: ['purge', remote(job.prefix), ...many, ...quiet] };
			case 'transfer':
				// two remotes (two users): rclone streams GET -> multipart upload, as the node does
				return { args: ['copyto', remote(job.key), `bench2:${job.destinationBucket}/${job.destinationKey}`, ...quiet] };
			case 'sync':
				// --checksum: size + MD5 from the listings (rclone's advice for S3: its default
				// modification-time check reads every object's metadata with a HEAD, and rewrites
				// objects whose time differs); the copies are server-side (one remote)
				return { args: ['sync', remote(job.prefix), remote(job.destinationPrefix), '--checksum', ...many, ...quiet] };
			default:
				return 'no equivalent command';
		}
	}
	return `unknown tool ${tool}`;
}

module.exports = { detectTools, measureStartup, parseTimeLine, toolEnv, toolCommand, INSTALL_HINT, TIME_FORMAT };
