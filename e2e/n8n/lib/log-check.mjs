// Fails on n8n log lines at level warn or error that concern the package (its name, node type,
// credential type or files), and on any non-JSON output line (stderr: stack traces, Node
// warnings) that does. n8n runs with N8N_LOG_FORMAT=json, so each logger line is one JSON object.
// usage: node log-check.mjs <log-file>...
import fs from 'node:fs';
import path from 'node:path';

import { CREDENTIAL_TYPE, NODE_DISPLAY_NAME, NODE_NAME, PACKAGE_NAME } from './constants.mjs';

const ours = new RegExp([PACKAGE_NAME, NODE_NAME, CREDENTIAL_TYPE, NODE_DISPLAY_NAME].map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
const bad = [];
let warnings = 0;
let errors = 0;
for (const file of process.argv.slice(2)) {
	if (!fs.existsSync(file)) continue;
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	for (const [index, line] of lines.entries()) {
		if (!line.trim()) continue;
		let entry = null;
		if (line.startsWith('{"')) {
			try {
				entry = JSON.parse(line);
			} catch {
				entry = null;
			}
		}
		const where = `${path.basename(file)}:${index + 1}`;
		if (entry && typeof entry.level === 'string') {
			if (entry.level === 'warn') warnings++;
			if (entry.level === 'error') errors++;
			if ((entry.level === 'warn' || entry.level === 'error') && ours.test(line)) {
				bad.push(`${where} [${entry.level}] ${line.slice(0, 600)}`);
			}
		} else if (/warn|error|deprecat|exception/i.test(line) && ours.test(line) && !/^\s*"/.test(line)) {
			// Plain output (not the execute command's pretty-printed result JSON, whose lines start with a quote).
			bad.push(`${where} ${line.slice(0, 600)}`);
		}
	}
}
console.log(`n8n logs: ${warnings} warning(s) and ${errors} error(s) in all; ${bad.length} about ${PACKAGE_NAME}`);
for (const line of bad) console.log(`  ${line}`);
process.exit(bad.length ? 1 : 0);
