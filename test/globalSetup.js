'use strict';
// Starts the embedded S3 server unless the environment points the suite at another one.
const { startS3rver } = require('./support/s3rver');

const fs = require('node:fs');
const path = require('node:path');

module.exports = async () => {
	// Each run records afresh what it saw work on its server (test/support/compat.ts).
	const compatDir = path.join(__dirname, '..', 'test-results', 'compat');
	const serverName = process.env.S3_TEST_ENDPOINT ? (process.env.S3_TEST_SERVER ?? 'other') : 's3rver';
	for (const source of [serverName, 'presets']) fs.rmSync(path.join(compatDir, `${source}.txt`), { force: true });
	if (process.env.S3_TEST_ENDPOINT) return;
	const server = await startS3rver();
	globalThis.__S3RVER__ = server;
	Object.assign(process.env, {
		S3_TEST_ENDPOINT: server.endpoint,
		S3_TEST_REGION: server.region,
		S3_TEST_ACCESS_KEY_ID: server.accessKeyId,
		S3_TEST_SECRET_ACCESS_KEY: server.secretAccessKey,
		S3_TEST_FORCE_PATH_STYLE: 'true',
		S3_TEST_SERVER: 's3rver',
	});
};
