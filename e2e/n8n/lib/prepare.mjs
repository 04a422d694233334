// Writes what `n8n import:credentials` and `n8n import:workflow` read, for one harness run:
//   <out>/credentials.json   one s3StorageApi credential (plain data; n8n encrypts it on import)
//   <out>/workflows/*.json   every workflow given, with placeholders filled in, an id, and each
//                            S3 Storage node pointed at that credential
//   <out>/manifest.json      [{ id, name, file, expect }] for check-run.mjs and the editor test
// usage: node prepare.mjs <out-dir> <workflow.json>...
// env: E2E_S3_ENDPOINT, E2E_S3_REGION, E2E_S3_ACCESS_KEY_ID, E2E_S3_SECRET_ACCESS_KEY,
//      E2E_S3_FORCE_PATH_STYLE (true|false), E2E_BUCKET, E2E_TEXT
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { fileURLToPath } from 'node:url';

import { CREDENTIAL_ID, CREDENTIAL_NAME, CREDENTIAL_TYPE, EDITOR_WORKFLOW_ID, NODE_TYPE, PACKAGE_NAME } from './constants.mjs';

/** Expectations for workflows kept outside e2e/n8n (examples/): expect/<name>.expect.json. */
const EXPECT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'expect');

const [outDir, ...workflowFiles] = process.argv.slice(2);
if (!outDir || workflowFiles.length === 0) {
	console.error('usage: node prepare.mjs <out-dir> <workflow.json>...');
	process.exit(2);
}
const env = (name) => {
	const value = process.env[name];
	if (value === undefined || value === '') throw new Error(`prepare.mjs: ${name} is not set`);
	return value;
};

const credential = {
	id: CREDENTIAL_ID,
	name: CREDENTIAL_NAME,
	type: CREDENTIAL_TYPE,
	data: {
		provider: 'other',
		authentication: 'accessKeys',
		endpoint: env('E2E_S3_ENDPOINT'),
		region: env('E2E_S3_REGION'),
		accessKeyId: env('E2E_S3_ACCESS_KEY_ID'),
		secretAccessKey: env('E2E_S3_SECRET_ACCESS_KEY'),
		forcePathStyle: env('E2E_S3_FORCE_PATH_STYLE') !== 'false',
	},
};

const placeholders = {
	__E2E_BUCKET__: env('E2E_BUCKET'),
	__E2E_TEXT__: env('E2E_TEXT'),
	__E2E_CREDENTIAL_ID__: CREDENTIAL_ID,
	__E2E_CREDENTIAL_NAME__: CREDENTIAL_NAME,
};

/** n8n workflow ids are 16 characters of [0-9A-Za-z]; derive one from the file name when absent. */
function workflowIdFor(file) {
	const digest = createHash('sha256').update(path.basename(file)).digest('hex');
	return `e2e${digest}`.replace(/[^0-9A-Za-z]/g, '').slice(0, 16);
}

fs.mkdirSync(path.join(outDir, 'workflows'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'credentials.json'), JSON.stringify([credential], null, 2));

const manifest = [];
const seenIds = new Set();
// The editor test runs its own copy of one workflow, on a bucket of its own, so that the
// headless run and the run from the editor do not meet.
const jobs = workflowFiles.map((file) => ({ file, placeholders, id: null }));
if (process.env.E2E_EDITOR_SOURCE) {
	jobs.push({
		file: process.env.E2E_EDITOR_SOURCE,
		placeholders: { ...placeholders, __E2E_BUCKET__: env('E2E_EDITOR_BUCKET'), __E2E_TEXT__: env('E2E_EDITOR_TEXT') },
		id: EDITOR_WORKFLOW_ID,
	});
}
for (const { file, placeholders: values, id } of jobs) {
	let text = fs.readFileSync(file, 'utf8');
	for (const [placeholder, value] of Object.entries(values)) {
		text = text.split(placeholder).join(JSON.stringify(value).slice(1, -1));
	}
	const workflow = JSON.parse(text);
	if (id) {
		workflow.id = id;
		workflow.name = `${workflow.name} (editor)`;
	}
	if (!Array.isArray(workflow.nodes) || typeof workflow.connections !== 'object') {
		throw new Error(`${file}: not an n8n workflow export (no nodes/connections)`);
	}
	workflow.id = typeof workflow.id === 'string' && /^[0-9A-Za-z]{16}$/.test(workflow.id) ? workflow.id : workflowIdFor(file);
	if (seenIds.has(workflow.id)) throw new Error(`${file}: workflow id ${workflow.id} used twice`);
	seenIds.add(workflow.id);
	workflow.name = workflow.name || path.basename(file, '.json');
	workflow.active = false;
	let ours = 0;
	for (const node of workflow.nodes) {
		// Exports made with N8N_CUSTOM_EXTENSIONS name the type CUSTOM.s3Storage; as a community
		// package it is <package>.s3Storage.
		if (node.type === 'CUSTOM.s3Storage') node.type = NODE_TYPE;
		if (node.type && node.type.startsWith(`${PACKAGE_NAME}.`)) {
			ours++;
			// Every node of the package (S3 Storage, its trigger) uses the one credential type.
			node.credentials = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
		}
	}
	// `n8n execute` starts at a Manual Trigger; webhook workflows are called over HTTP by
	// webhooks.mjs once n8n runs; others (schedule...) are only imported and opened in the editor.
	const triggers = workflow.nodes.filter((node) => !node.disabled && /trigger|webhook/i.test(node.type)).map((node) => node.type);
	const trigger = id
		? 'editor'
		: triggers.includes('n8n-nodes-base.manualTrigger')
		? 'manual'
		: triggers.includes('n8n-nodes-base.webhook')
			? 'webhook'
			: triggers[0] ?? 'none';
	const expectFile = id ? undefined : [file.replace(/\.json$/, '.expect.json'), path.join(EXPECT_DIR, path.basename(file).replace(/\.json$/, '.expect.json'))].find((f) => fs.existsSync(f));
	const target = path.join(outDir, 'workflows', `${workflow.id}.json`);
	fs.writeFileSync(target, JSON.stringify(workflow, null, 2));
	manifest.push({
		id: workflow.id,
		name: workflow.name,
		source: file,
		file: target,
		nodesOfPackage: ours,
		trigger,
		webhookPaths: workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook').map((node) => node.parameters?.path),
		expect: expectFile ?? null,
	});
}
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
for (const entry of manifest) {
	console.log(`prepared ${entry.id}  ${path.basename(entry.source)}: ${entry.nodesOfPackage} S3 Storage node(s), trigger ${entry.trigger}${entry.expect ? ', with expectations' : ''}`);
}
