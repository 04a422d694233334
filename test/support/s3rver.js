'use strict';
/**
 * The embedded S3 server (s3rver) for the demo, the tests and the benchmark: a child process on
 * a free port of 127.0.0.1 with a temporary directory, removed when stopped.
 * The child runs with --openssl-legacy-provider because s3rver's continuation tokens use DES,
 * without which truncated listings answer 500.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

async function startS3rver({ silent = true } = {}) {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
	const child = spawn(process.execPath, ['--openssl-legacy-provider', path.join(__dirname, 's3rver-child.js'), directory], {
		stdio: ['ignore', 'pipe', silent ? 'ignore' : 'inherit'],
	});
	const lines = readline.createInterface({ input: child.stdout });
	const port = await new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
		lines.once('line', (line) => resolve(JSON.parse(line).port));
	});
	return {
		endpoint: `http://127.0.0.1:${port}`,
		region: 'us-east-1',
		accessKeyId: ACCESS_KEY,
		secretAccessKey: SECRET_KEY,
		forcePathStyle: true,
		server: 's3rver',
		pid: child.pid,
		directory,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			fs.rmSync(directory, { recursive: true, force: true });
		},
	};
}

module.exports = { startS3rver };
