'use strict';
// Runs s3rver on a free loopback port and prints {"port": N} as its first stdout line.
const S3rver = require('s3rver');

const directory = process.argv[2];
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, allowMismatchedSignatures: false });
server.run().then(({ port }) => {
	process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
