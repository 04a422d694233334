// Checks the output of `n8n execute --id <id> --rawOutput` for one workflow.
// Always: the JSON result is there, the run finished with status success, no node has an error,
// and every enabled node connected to the trigger ran. With an .expect.json beside the workflow:
// item counts and a subset of item 0's json/binary for the nodes it names.
// usage: node check-run.mjs <stdout-file> <workflow.json> [expect.json]
// env: E2E_BUCKET, E2E_TEXT (to fill the expect file's placeholders)
import fs from 'node:fs';

const [stdoutFile, workflowFile, expectFile] = process.argv.slice(2);
const problems = [];

/**
 * The result is printed with JSON.stringify(data, null, 2). With N8N_LOG_FORMAT=json it is the
 * message of one JSON log line; with the text format it runs from a line "{" to a line "}".
 */
function extractResult(text) {
	const lines = text.split('\n');
	for (const line of lines.slice().reverse()) {
		if (!line.startsWith('{"')) continue;
		try {
			const entry = JSON.parse(line);
			if (typeof entry.message === 'string' && entry.message.startsWith('{')) {
				const data = JSON.parse(entry.message);
				if (data?.data?.resultData) return data;
			}
		} catch {
			// not a log line with the result
		}
	}
	for (let start = lines.length - 1; start >= 0; start--) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// not this pair
			}
		}
	}
	return null;
}

function fill(text) {
	const textValue = process.env.E2E_TEXT ?? '';
	return text
		.split('"__E2E_TEXT_BYTES__"')
		.join(String(Buffer.byteLength(textValue, 'utf8')))
		.split('__E2E_BUCKET__')
		.join(JSON.stringify(process.env.E2E_BUCKET ?? '').slice(1, -1))
		.split('__E2E_TEXT__')
		.join(JSON.stringify(textValue).slice(1, -1));
}

function subsetMismatches(actual, expected, where) {
	const out = [];
	for (const [key, want] of Object.entries(expected)) {
		const got = actual?.[key];
		if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
			out.push(...subsetMismatches(got, want, `${where}.${key}`));
		} else if (JSON.stringify(got) !== JSON.stringify(want)) {
			out.push(`${where}.${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
		}
	}
	return out;
}

const stdout = fs.readFileSync(stdoutFile, 'utf8');
const workflow = JSON.parse(fs.readFileSync(workflowFile, 'utf8'));
const result = extractResult(stdout);
if (!result) {
	console.log(`FAIL ${workflow.name}: no execution result JSON in the output of n8n execute`);
	process.exit(1);
}
const runData = result.data?.resultData?.runData ?? {};
if (result.data?.resultData?.error) {
	const error = result.data.resultData.error;
	problems.push(`workflow error: ${error.message}${error.description ? ` (${error.description})` : ''}`);
}
if (result.status && result.status !== 'success') problems.push(`execution status is "${result.status}"`);

// Nodes reachable from the manual trigger, following main connections.
const reachable = new Set();
const queue = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.manualTrigger').map((node) => node.name);
while (queue.length) {
	const name = queue.shift();
	if (reachable.has(name)) continue;
	reachable.add(name);
	for (const outputs of workflow.connections[name]?.main ?? []) {
		for (const connection of outputs ?? []) queue.push(connection.node);
	}
}
const summary = [];
for (const node of workflow.nodes) {
	if (node.disabled || !reachable.has(node.name)) continue;
	const runs = runData[node.name];
	if (!runs || runs.length === 0) {
		problems.push(`node "${node.name}" did not run`);
		continue;
	}
	const last = runs[runs.length - 1];
	if (last.error) problems.push(`node "${node.name}" failed: ${last.error.message}${last.error.description ? ` (${last.error.description})` : ''}`);
	const items = last.data?.main?.[0] ?? [];
	summary.push(`${node.name}: ${items.length} item(s)`);
}

if (expectFile) {
	const expect = JSON.parse(fill(fs.readFileSync(expectFile, 'utf8')));
	for (const [name, want] of Object.entries(expect.nodes ?? {})) {
		const runs = runData[name];
		if (!runs) {
			problems.push(`expected node "${name}" is not in the run data`);
			continue;
		}
		const items = runs[runs.length - 1].data?.main?.[0] ?? [];
		if (want.items !== undefined && items.length !== want.items) {
			problems.push(`node "${name}": expected ${want.items} item(s), got ${items.length}`);
		}
		if (want.json) problems.push(...subsetMismatches(items[0]?.json, want.json, `"${name}" item 0 json`));
		if (want.binary) problems.push(...subsetMismatches(items[0]?.binary, want.binary, `"${name}" item 0 binary`));
	}
}

if (problems.length) {
	console.log(`FAIL ${workflow.name} (${workflow.id}):`);
	for (const problem of problems) console.log(`  - ${problem}`);
	console.log(`  run data: ${summary.join('; ')}`);
	process.exit(1);
}
console.log(`PASS ${workflow.name} (${workflow.id}): ${summary.join('; ')}${expectFile ? '; expectations met' : ''}`);
