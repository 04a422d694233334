#!/usr/bin/env node
'use strict';
/**
 * Builds the README's compatibility matrix from what the test suites recorded in
 * test-results/compat/ (one file per server, written by test/support/compat.ts), so the table
 * says only what was run and seen.
 *   node tools/compat-matrix.js          print the table
 *   node tools/compat-matrix.js --write  put it into README.md (section "compatibility")
 *   node tools/compat-matrix.js --check  fail if README.md disagrees with the recorded runs
 * Needs the build (dist/) for the list of operations.
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const compatDir = path.join(root, 'test-results', 'compat');
const SERVER_NAMES = { s3rver: 's3rver 3.7 (embedded)', rgw: 'Ceph RGW 16.2', minio: 'MinIO', aws: 'AWS S3', other: 'Other endpoint' };

function read(source) {
	const file = path.join(compatDir, `${source}.txt`);
	return fs.existsSync(file) ? new Set(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) : new Set();
}

function operations() {
	const { S3Storage } = require(path.join(root, 'dist/nodes/S3Storage/S3Storage.node.js'));
	const props = new S3Storage().description.properties;
	const resources = props.find((p) => p.name === 'resource').options;
	const rows = [];
	for (const resource of resources) {
		const picker = props.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value));
		for (const op of picker?.options ?? []) rows.push({ id: `${resource.value}.${op.value}`, label: `${resource.name}: ${op.name}` });
	}
	return rows;
}

function build() {
	const servers = ['s3rver', 'rgw', ...fs.readdirSync(fs.existsSync(compatDir) ? compatDir : root)
		.filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).filter((s) => !['s3rver', 'rgw', 'presets'].includes(s))];
	const seen = Object.fromEntries(servers.map((s) => [s, read(s)]));
	const lines = [
		`| Operation | ${servers.map((s) => SERVER_NAMES[s] ?? s).join(' | ')} |`,
		`|---|${servers.map(() => '---').join('|')}|`,
	];
	for (const row of operations()) lines.push(`| ${row.label} | ${servers.map((s) => (seen[s].has(row.id) ? 'verified' : '-')).join(' | ')} |`);
	lines.push(`| S3 Storage Trigger: new objects emitted | ${servers.map((s) => (seen[s].has('trigger.objectEmitted') ? 'verified' : '-')).join(' | ')} |`);
	const modes = [...new Set(servers.flatMap((s) => [...seen[s]].filter((f) => f.startsWith('credential.'))))].sort();
	for (const mode of modes) lines.push(`| Sign-in: ${mode.slice('credential.'.length)} | ${servers.map((s) => (seen[s].has(mode) ? 'verified' : '-')).join(' | ')} |`);
	const presets = [...read('presets')].map((p) => p.slice('preset.'.length)).sort();
	lines.push('', `Provider presets whose URLs (virtual-hosted or path-style, region in the signature) are checked by unit tests only: ${presets.map((p) => `\`${p}\``).join(', ') || 'none recorded'}.`);
	lines.push('Live runs above use the `other` preset pointed at each server. "-" means no test of that operation passed against that server in the recorded run.');
	return lines.join('\n');
}

function main() {
	const table = build();
	const mode = process.argv[2];
	if (!mode) return console.log(table);
	const readmePath = path.join(root, 'README.md');
	const readme = fs.readFileSync(readmePath, 'utf8');
	const pattern = /(<!-- section:compatibility -->\n)([\s\S]*?)(\n<!-- \/section:compatibility -->)/;
	if (!pattern.test(readme)) throw new Error('README.md has no <!-- section:compatibility --> section');
	const current = pattern.exec(readme)[2];
	if (mode === '--write') {
		fs.writeFileSync(readmePath, readme.replace(pattern, `$1${table}$3`));
		console.log('README.md compatibility matrix updated');
	} else if (mode === '--check') {
		if (current.trim() !== table.trim()) {
			console.error('README.md compatibility matrix differs from the recorded test runs. Expected:\n' + table);
			process.exit(1);
		}
		console.log('README.md compatibility matrix matches the recorded test runs');
	}
}

main();
