// The AI Agent test's data and checks (driven by tools/n8n-e2e-agent.sh):
//   node agent-workflow.mjs prepare <dir> <model-port>
//     seeds a fresh bucket, writes <dir>/script.json (what the scripted model does, step by step),
//     <dir>/credentials.json (the S3 credential and an OpenAI credential whose Base URL is the
//     scripted model) and <dir>/workflows/agent.json: examples/ai-agent-tools.json as it is, but
//     started by a Manual Trigger with the chat message as the agent's prompt (`n8n execute` starts
//     at a Manual Trigger) and its bucket swapped for the fresh one.
//   node agent-workflow.mjs check <dir> <execute-output> <model-record.json>
//     checks the run, what the model saw, and the S3 side; prints one line per check; removes the bucket.
// env: E2E_S3_ENDPOINT, E2E_S3_REGION, E2E_S3_ACCESS_KEY_ID, E2E_S3_SECRET_ACCESS_KEY,
//      E2E_S3_FORCE_PATH_STYLE; E2E_S3_CREDENTIAL_ID (default e2eS3Credential1).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(ROOT, 'package.json'));
const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, DeleteObjectsCommand, DeleteBucketCommand } =
	require('@aws-sdk/client-s3');

const EXAMPLE = path.join(ROOT, 'examples', 'ai-agent-tools.json');
const EXAMPLE_BUCKET = 'n8n-agent-files';
const WORKFLOW_ID = 'e2eAgentTools001';
const S3_CREDENTIAL_ID = process.env.E2E_S3_CREDENTIAL_ID || 'e2eS3Credential1';
const MODEL_CREDENTIAL_ID = 'e2eScriptedModel';

const NOTE = 'Meeting moved to Thursday 10:00 — bring the Q3 numbers (ünïcödé ✓).';
const SUMMARY = 'Summary by the agent: the meeting is on Thursday at 10:00; bring the Q3 numbers.';
// 25,000 characters: the Read tool gives the first 20,000 and names the range for the rest.
const LONG = `${'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-\n'.repeat(384)}${'x'.repeat(424)}END-OF-LOG`;
const env = (name) => {
	const value = process.env[name];
	if (!value) throw new Error(`agent-workflow.mjs: ${name} is not set`);
	return value;
};
const s3 = () =>
	new S3Client({
		endpoint: env('E2E_S3_ENDPOINT'),
		region: env('E2E_S3_REGION'),
		forcePathStyle: process.env.E2E_S3_FORCE_PATH_STYLE !== 'false',
		credentials: { accessKeyId: env('E2E_S3_ACCESS_KEY_ID'), secretAccessKey: env('E2E_S3_SECRET_ACCESS_KEY') },
	});

/** The model's script: one tool call per request, each checking what the previous call returned. */
function scriptFor() {
	return {
		steps: [
			{ call: { tool: 'List_objects', args: { prefix: 'inbox/' } } },
			{ expect: ['inbox/note.txt', 'inbox/todo.txt', 'inbox/long-log.txt'], call: { tool: 'Read_object', args: { key: 'inbox/missing.txt', range: '' } } },
			{ expect: ['not found', 'What to do', 'List the objects under the prefix'], call: { tool: 'Read_object', args: { key: 'inbox/note.txt', range: '' } } },
			{ expect: [NOTE, '"truncated":false'], call: { tool: 'Read_object', args: { key: 'inbox/long-log.txt', range: '' } } },
			{ expect: ['"truncated":true', 'Content cut to 20,000 characters', '"nextRange":"bytes=20000-"'], call: { tool: 'Read_object', args: { key: 'inbox/long-log.txt', range: 'bytes=20000-' } } },
			{ expect: ['END-OF-LOG', '"truncated":false'], call: { tool: 'Upload_text', args: { key: 'outbox/summary.txt', text: SUMMARY } } },
			{ expect: ['outbox/summary.txt', '"etag"'], call: { tool: 'Get_download_link', args: { key: 'outbox/summary.txt' } } },
			{ expect: ['"url":"http', 'X-Amz-Signature', 'outbox/summary.txt'], call: { tool: 'Delete_object', args: { key: 'inbox/todo.txt' } } },
			{ expect: ['"deleted":true'], answer: 'Stored the summary at outbox/summary.txt, shared it, and deleted inbox/todo.txt.' },
		],
	};
}

async function prepare(dir, port) {
	const bucket = `n8n-agent-${Date.now()}-${process.pid}`;
	const client = s3();
	await client.send(new CreateBucketCommand({ Bucket: bucket }));
	const put = (Key, Body) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType: 'text/plain; charset=utf-8' }));
	await Promise.all([put('inbox/note.txt', NOTE), put('inbox/todo.txt', 'buy milk\n'), put('inbox/long-log.txt', LONG), put('archive/old.txt', 'old\n')]);

	fs.mkdirSync(path.join(dir, 'workflows'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'bucket'), bucket);
	fs.writeFileSync(path.join(dir, 'script.json'), JSON.stringify(scriptFor(), null, 2));
	fs.writeFileSync(
		path.join(dir, 'credentials.json'),
		JSON.stringify(
			[
				{
					id: S3_CREDENTIAL_ID,
					name: 'S3 Storage (e2e)',
					type: 's3StorageApi',
					data: {
						provider: 'other',
						authentication: 'accessKeys',
						endpoint: env('E2E_S3_ENDPOINT'),
						region: env('E2E_S3_REGION'),
						accessKeyId: env('E2E_S3_ACCESS_KEY_ID'),
						secretAccessKey: env('E2E_S3_SECRET_ACCESS_KEY'),
						forcePathStyle: process.env.E2E_S3_FORCE_PATH_STYLE !== 'false',
					},
				},
				{ id: MODEL_CREDENTIAL_ID, name: 'Scripted model (e2e)', type: 'openAiApi', data: { apiKey: 'scripted-model-needs-no-key', url: `http://127.0.0.1:${port}/v1` } },
			],
			null,
			2,
		),
	);

	const workflow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8').split(`"${EXAMPLE_BUCKET}`).join(`"${bucket}`).split(` ${EXAMPLE_BUCKET}.`).join(` ${bucket}.`));
	workflow.id = WORKFLOW_ID;
	workflow.active = false;
	for (const node of workflow.nodes) {
		if (node.type === '@n8n/n8n-nodes-langchain.chatTrigger') {
			// Same name, so the connections stay; `n8n execute` needs a Manual Trigger to start.
			Object.assign(node, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
			delete node.webhookId;
		} else if (node.type === '@n8n/n8n-nodes-langchain.agent') {
			node.parameters = {
				...node.parameters,
				promptType: 'define',
				text: 'Summarise the note in inbox/, store the summary as outbox/summary.txt, share a link to it, and delete inbox/todo.txt.',
			};
		} else if (node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi') {
			node.credentials = { openAiApi: { id: MODEL_CREDENTIAL_ID, name: 'Scripted model (e2e)' } };
		} else if (node.type.startsWith('n8n-nodes-s3-storage.')) {
			node.credentials = { s3StorageApi: { id: S3_CREDENTIAL_ID, name: 'S3 Storage (e2e)' } };
		}
	}
	fs.writeFileSync(path.join(dir, 'workflows', 'agent.json'), JSON.stringify(workflow, null, 2));
	console.log(`prepared: bucket ${bucket}, workflow ${WORKFLOW_ID} from examples/ai-agent-tools.json, model at 127.0.0.1:${port}`);
}

/** The execution result `n8n execute --rawOutput` printed (JSON log format: the message of one line). */
function executionResult(text) {
	for (const line of text.split('\n').reverse()) {
		if (!line.startsWith('{"')) continue;
		try {
			const entry = JSON.parse(line);
			if (typeof entry.message === 'string' && entry.message.startsWith('{')) {
				const data = JSON.parse(entry.message);
				if (data?.data?.resultData) return data;
			}
		} catch {
			// another log line
		}
	}
	const start = text.indexOf('\n{\n');
	if (start >= 0) {
		try {
			return JSON.parse(text.slice(start + 1, text.lastIndexOf('\n}') + 2));
		} catch {
			// not the raw output
		}
	}
	return null;
}

async function check(dir, outputFile, recordFile) {
	const bucket = fs.readFileSync(path.join(dir, 'bucket'), 'utf8').trim();
	const script = JSON.parse(fs.readFileSync(path.join(dir, 'script.json'), 'utf8'));
	const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
	const client = s3();
	const problems = [];
	const ok = (what) => console.log(`  ok    ${what}`);
	const expectThat = (condition, what, detail = '') => (condition ? ok(what) : problems.push(`${what}${detail ? `: ${detail}` : ''}`));

	// What the model was offered: one tool per S3 Storage node, named after the node, described by n8n.
	console.log('  tools the model was offered (name: description | parameters):');
	for (const tool of record.toolsOffered ?? []) {
		console.log(`        ${tool.name}: ${tool.description} | ${Object.keys(tool.parameters?.properties ?? {}).join(', ')}`);
	}
	const offered = (record.toolsOffered ?? []).map((tool) => tool.name).sort();
	expectThat(
		JSON.stringify(offered) === JSON.stringify(['Delete_object', 'Get_download_link', 'List_objects', 'Read_object', 'Upload_text']),
		'the model was offered the five S3 Storage tools',
		JSON.stringify(offered),
	);
	expectThat(record.failures.length === 0, 'every tool result held what the model expected (scripted-model checks)', record.failures.join(' | '));
	expectThat(record.requests.length === script.steps.length, `the agent asked the model ${script.steps.length} times, one step each`, `${record.requests.length} requests`);

	const result = executionResult(fs.readFileSync(outputFile, 'utf8'));
	expectThat(result !== null, 'n8n execute printed the execution result');
	if (result) {
		const runData = result.data.resultData.runData ?? {};
		const agentOutput = runData['AI Agent']?.at(-1)?.data?.main?.[0]?.[0]?.json?.output;
		expectThat(agentOutput === script.steps.at(-1).answer, "the AI Agent's output is the model's final answer", JSON.stringify(agentOutput));
		const toolRuns = (name) => runData[name]?.length ?? 0;
		expectThat(toolRuns('Read object') === 4 && toolRuns('List objects') === 1 && toolRuns('Upload text') === 1 && toolRuns('Get download link') === 1 && toolRuns('Delete object') === 1,
			'n8n ran each tool node as often as the model called it',
			JSON.stringify(Object.fromEntries(Object.entries(runData).map(([name, runs]) => [name, runs.length]))));
	}

	// The S3 side.
	const text = async (Key) => (await client.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body.transformToString();
	const exists = async (Key) => client.send(new HeadObjectCommand({ Bucket: bucket, Key })).then(() => true, () => false);
	expectThat((await text('outbox/summary.txt').catch((e) => e.name)) === SUMMARY, 'outbox/summary.txt holds the text the agent wrote');
	expectThat(!(await exists('inbox/todo.txt')), 'inbox/todo.txt was deleted');
	expectThat((await exists('inbox/note.txt')) && (await exists('inbox/long-log.txt')) && (await exists('archive/old.txt')), 'the other objects are untouched');
	const linkResult = record.toolResults.find((entry) => entry.tool === 'Get_download_link')?.content ?? '';
	const url = /"url":"([^"]+)"/.exec(linkResult)?.[1];
	const fetched = url ? await fetch(url).then(async (response) => `${response.status} ${await response.text()}`, (e) => String(e)) : 'no URL';
	expectThat(fetched === `200 ${SUMMARY}`, 'the link the model was given downloads the summary', fetched.slice(0, 200));

	// Clean up: the bucket was made for this run.
	const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
	if (listed.Contents?.length) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: listed.Contents.map(({ Key }) => ({ Key })) } }));
	await client.send(new DeleteBucketCommand({ Bucket: bucket }));

	for (const problem of problems) console.log(`  FAIL  ${problem}`);
	console.log(`agent: ${problems.length ? 'FAILED' : 'passed'} (${problems.length} problem(s))`);
	process.exit(problems.length ? 1 : 0);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'prepare') await prepare(args[0], args[1]);
else if (command === 'check') await check(args[0], args[1], args[2]);
else {
	console.error('usage: node agent-workflow.mjs prepare <dir> <model-port> | check <dir> <execute-output> <model-record.json>');
	process.exit(2);
}
