#!/usr/bin/env node
// A scripted stand-in for a chat model, for the AI Agent test (tools/n8n-e2e-agent.sh): it answers
// OpenAI-style POST /v1/chat/completions (plain or streamed) on 127.0.0.1 with the next step of a
// script, one step per request: a tool call, or the final answer. Before each step it checks that
// what the previous tool returned (the "tool" messages n8n sent back) holds the strings the step
// expects, and records every request (tools offered with their descriptions, tool results) in a
// JSON file. The rest of the chain (n8n, the AI Agent node, the OpenAI chat model node, this
// package as tools, the S3 server) is real.
//
// usage: node scripted-model.js <script.json> <record.json>
//   script.json: { "steps": [ { "expect": ["text the last tool result must contain"],
//                               "call": { "tool": "List_objects", "args": { ... } } },
//                             ..., { "expect": [...], "answer": "final text" } ] }
//   Prints {"port": N} as its first stdout line once listening; stops on SIGTERM, or by itself
//   after SCRIPTED_MODEL_LIFETIME seconds (default 600).
'use strict';
const fs = require('node:fs');
const http = require('node:http');

const [scriptFile, recordFile] = process.argv.slice(2);
if (!scriptFile || !recordFile) {
	console.error('usage: node scripted-model.js <script.json> <record.json>');
	process.exit(2);
}
// Read at each request: the script may be written after the server started (it needs the port).
const loadScript = () => JSON.parse(fs.readFileSync(scriptFile, 'utf8'));
const record = { requests: [], toolResults: [], failures: [], toolsOffered: null };
const save = () => fs.writeFileSync(recordFile, JSON.stringify(record, null, 2));
save();

/** Text of a message's content, which may be a string or a list of parts. */
function textOf(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return content == null ? '' : JSON.stringify(content);
}

/** The answer for one request: the step whose turn it is (one per assistant message so far). */
function answer(body) {
	const script = loadScript();
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const stepIndex = messages.filter((message) => message.role === 'assistant').length;
	// The tool results since the last assistant message: what the previous step's call returned.
	const lastAssistant = messages.map((message) => message.role).lastIndexOf('assistant');
	const results = lastAssistant < 0 ? [] : messages.slice(lastAssistant + 1).filter((message) => message.role === 'tool');
	const resultText = results.map((message) => textOf(message.content)).join('\n');
	const previousCall = stepIndex > 0 ? script.steps[stepIndex - 1]?.call : undefined;
	if (previousCall) record.toolResults.push({ step: stepIndex - 1, tool: previousCall.tool, content: resultText });
	if (!record.toolsOffered && Array.isArray(body.tools)) {
		record.toolsOffered = body.tools.map((tool) => ({
			name: tool.function?.name,
			description: tool.function?.description,
			parameters: tool.function?.parameters,
		}));
	}
	record.requests.push({ step: stepIndex, stream: body.stream === true, messages: messages.length, tools: (body.tools ?? []).map((t) => t.function?.name) });

	const step = script.steps[stepIndex];
	if (!step) return fail(`request ${record.requests.length} asks for step ${stepIndex + 1}, but the script has ${script.steps.length}`);
	const offered = new Set((body.tools ?? []).map((tool) => tool.function?.name));
	for (const expected of step.expect ?? []) {
		if (!resultText.includes(expected)) {
			return fail(`step ${stepIndex + 1}: the result of ${previousCall?.tool ?? 'the previous step'} does not contain ${JSON.stringify(expected)}; it was: ${resultText.slice(0, 500)}`);
		}
	}
	if (step.call) {
		if (!offered.has(step.call.tool)) return fail(`step ${stepIndex + 1}: tool ${step.call.tool} is not offered (offered: ${[...offered].join(', ')})`);
		return { toolCall: { id: `call_${stepIndex + 1}`, name: step.call.tool, arguments: JSON.stringify(step.call.args ?? {}) } };
	}
	return { content: step.answer ?? 'Done.' };
}

function fail(message) {
	record.failures.push(message);
	return { content: `SCRIPT FAILED: ${message}` };
}

function completion(body, reply) {
	const message = reply.toolCall
		? { role: 'assistant', content: null, tool_calls: [{ id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }] }
		: { role: 'assistant', content: reply.content };
	return {
		id: `chatcmpl-scripted-${record.requests.length}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? 'scripted',
		choices: [{ index: 0, message, logprobs: null, finish_reason: reply.toolCall ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

function streamed(res, body, reply) {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const base = { id: `chatcmpl-scripted-${record.requests.length}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model ?? 'scripted' };
	const send = (choice) => res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, logprobs: null, ...choice }] })}\n\n`);
	if (reply.toolCall) {
		const { id, name, arguments: args } = reply.toolCall;
		send({ delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: args } }] }, finish_reason: null });
		send({ delta: {}, finish_reason: 'tool_calls' });
	} else {
		send({ delta: { role: 'assistant', content: reply.content }, finish_reason: null });
		send({ delta: {}, finish_reason: 'stop' });
	}
	res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
	res.end('data: [DONE]\n\n');
}

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		const path = (req.url ?? '').split('?')[0];
		if (req.method === 'GET' && path.endsWith('/models')) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model', owned_by: 'test' }] }));
			return;
		}
		if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
			record.failures.push(`unexpected request ${req.method} ${req.url}`);
			save();
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `not served here: ${req.method} ${req.url}` } }));
			return;
		}
		let body;
		try {
			body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
		} catch (error) {
			res.writeHead(400, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `bad JSON: ${error.message}` } }));
			return;
		}
		const reply = answer(body);
		save();
		if (body.stream === true) return streamed(res, body, reply);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify(completion(body, reply)));
	});
});

server.listen(0, '127.0.0.1', () => {
	console.log(JSON.stringify({ port: server.address().port }));
});
const lifetime = setTimeout(() => process.exit(0), Number(process.env.SCRIPTED_MODEL_LIFETIME ?? 600) * 1000);
lifetime.unref();
process.on('SIGTERM', () => {
	save();
	process.exit(0);
});
