#!/usr/bin/env node
'use strict';
/**
 * The demo: runs the workflows in examples/ through n8n's own engine with this package's built
 * node (dist/) against an embedded S3 server, and tells what each step did.
 */
const fs = require('node:fs');
const path = require('node:path');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const engine = require('../test/support/engine');
const { startS3rver } = require('../test/support/s3rver');

const DEMO_WORKFLOWS = ['round-trip.json'];

function describeItem(json) {
	const text = JSON.stringify(json);
	return text.length > 140 ? `${text.slice(0, 137)}...` : text;
}

async function main() {
	const { S3Storage } = require('../dist/nodes/S3Storage/S3Storage.node.js');
	const server = await startS3rver();
	let failed = false;
	try {
		await engine.setBinaryMode('filesystem');
		console.log(`Embedded S3 server (s3rver) at ${server.endpoint}; binary data in n8n's filesystem mode\n`);
		for (const file of DEMO_WORKFLOWS) {
			const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'examples', file), 'utf8'));
			console.log(`▶ ${workflow.name}  (examples/${file})`);
			const run = await engine.runWorkflow(workflow, {
				nodes: { s3Storage: new S3Storage() },
				credentials: {
					s3StorageApi: {
						provider: 'other',
						authentication: 'accessKeys',
						endpoint: server.endpoint,
						region: server.region,
						forcePathStyle: true,
						accessKeyId: server.accessKeyId,
						secretAccessKey: server.secretAccessKey,
					},
				},
			});
			for (const node of workflow.nodes) {
				const error = run.nodeError(node.name);
				if (error) {
					console.log(`  ✗ ${node.name}: ${error.message}`);
					failed = true;
					continue;
				}
				const items = run.output(node.name);
				if (!items) continue;
				console.log(`  ✓ ${node.name}: ${items.length} item(s)`);
				for (const item of items.slice(0, 3)) {
					const binaries = Object.entries(item.binary ?? {}).map(
						([field, b]) => ` + binary "${field}": ${b.fileName} (${b.mimeType}, ${b.fileSize})`,
					);
					console.log(`      ${describeItem(item.json)}${binaries.join('')}`);
				}
			}
			if (file === 'round-trip.json') failed = (await checkRoundTrip(run)) || failed;
			console.log('');
		}
	} finally {
		await server.stop();
	}
	if (failed) {
		console.log('Demo FAILED');
		process.exit(1);
	}
	console.log('Demo finished: every step succeeded.');
}

/** The file that came back must be byte-identical to the one that went up. */
async function checkRoundTrip(run) {
	const sent = await engine.binaryToBuffer(run.output('Make a File')[0].binary.data);
	const received = await engine.binaryToBuffer(run.output('Download')[0].binary.data);
	const listed = run.output('List').map((item) => item.json.key);
	const identical = sent.equals(received);
	console.log(`  ${identical ? '✓' : '✗'} downloaded ${received.length} bytes, ${identical ? 'byte-identical to' : 'DIFFERENT from'} the ${sent.length} uploaded; listed: ${listed.join(', ')}`);
	const gone = run.output('Delete')?.[0]?.json.deleted === true;
	console.log(`  ${gone ? '✓' : '✗'} object deleted`);
	return !identical || !gone;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
