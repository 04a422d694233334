'use strict';
/**
 * The command-line contestants: awscli (Debian's /usr/bin/aws, default settings: 10 concurrent
 * requests, 8 MiB parts) and rclone (16 transfers for many objects, defaults otherwise).
 * Each command runs under /usr/bin/time so its peak RSS is known; the time is the command's wall
 * time, start-up included.
 */
const fs = require('node:fs');
const path = require('node:path');

const AWS = '/usr/bin/aws';

function findOnPath(name) {
	for (const dir of (process.env.PATH ?? '').split(':')) {
		const file = path.join(dir, name);
		if (dir && fs.existsSync(file)) return file;
	}
	return undefined;
}

/** Which tools are here; a missing one is skipped with a note. */
function detectTools() {
	return {
		awscli: fs.existsSync(AWS) ? AWS : undefined,
		rclone: findOnPath('rclone'),
		time: fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined,
	};
}

/** Environment for the tools: credentials and endpoint, and no AWS_CA_BUNDLE (it breaks them on http). */
function toolEnv(target, workDir) {
	const env = { ...process.env };
	for (const name of ['AWS_CA_BUNDLE', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete env[name];
	const awsConfig = path.join(workDir, 'aws-config');
	fs.writeFileSync(
		awsConfig,
		`[default]\nregion = ${target.region}\ns3 =\n  addressing_style = ${target.forcePathStyle ? 'path' : 'virtual'}\n`,
	);
	const rcloneConfig = path.join(workDir, 'rclone.conf');
	fs.writeFileSync(rcloneConfig, '');
	return {
		...env,
		AWS_CONFIG_FILE: awsConfig,
		AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'aws-credentials-none'),
		AWS_ACCESS_KEY_ID: target.accessKeyId,
		AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
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
	};
}

/**
 * The command a tool runs for a job, or a string saying why it has none.
 * `countFrom`: how the orchestrator learns how many objects the command handled
 * ('stdout-number': the numbers printed, summed; 'stdout-lines'; or undefined: it checks the server / the disk instead).
 */
function toolCommand(tool, job, target) {
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
			default:
				return 'no equivalent command';
		}
	}
	return `unknown tool ${tool}`;
}

/** The scenario kinds both tools have a command for (Delete Many has none). */
const TOOL_KINDS = ['upload', 'download', 'upload-items', 'download-items', 'list', 'delete-folder'];

module.exports = { detectTools, toolEnv, toolCommand, TOOL_KINDS };
