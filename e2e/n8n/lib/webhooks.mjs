// Calls the published webhook workflows (examples/webhook-upload.json, browser-direct-upload.json)
// on the running n8n, the way their users would, and checks what comes back.
// usage: node webhooks.mjs <manifest.json>     env: BASE_URL
import fs from 'node:fs';
import path from 'node:path';

const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const BASE_URL = process.env.BASE_URL.replace(/\/$/, '');
const body = Buffer.from(`webhook e2e ${new Date().toISOString()}: é ✓\n`, 'utf8');
const problems = [];
const results = [];

/**
 * n8n registers the webhooks of published workflows in the background after it reports ready
 * (its publication outbox): until then it answers 404 "... is not registered". Wait for it.
 */
async function callWebhook(url, init) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const response = await fetch(url, init);
		if (response.status !== 404 || Date.now() > deadline) return response;
		const text = await response.clone().text();
		if (!text.includes('is not registered')) return response;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

const scenarios = {
	// Receive a file, store it, answer with a presigned download link: the link must give the bytes back.
	async upload() {
		const form = new FormData();
		form.append('file', new Blob([body], { type: 'text/plain' }), 'webhook e2e.txt');
		const response = await callWebhook(`${BASE_URL}/webhook/upload`, { method: 'POST', body: form });
		const answer = await response.json().catch(() => null);
		if (!response.ok || !answer?.url) throw new Error(`POST /webhook/upload answered ${response.status} ${JSON.stringify(answer)?.slice(0, 300)}`);
		if (answer.size !== body.length) throw new Error(`answered size ${answer.size}, sent ${body.length} bytes`);
		const download = await fetch(answer.url);
		const got = Buffer.from(await download.arrayBuffer());
		if (!download.ok || !got.equals(body)) throw new Error(`the presigned link gave ${download.status} and ${got.length} bytes that ${got.equals(body) ? 'match' : 'differ'}`);
		return `stored ${answer.key} (${answer.size} B); its presigned link gives the same bytes`;
	},
	// Answer with a presigned POST form: a browser's multipart POST with those fields must be accepted.
	async 'upload-form'() {
		const response = await callWebhook(`${BASE_URL}/webhook/upload-form`);
		const answer = await response.json().catch(() => null);
		if (!response.ok || !answer?.url || !answer?.fields) throw new Error(`GET /webhook/upload-form answered ${response.status} ${JSON.stringify(answer)?.slice(0, 300)}`);
		const form = new FormData();
		for (const [name, value] of Object.entries(answer.fields)) form.append(name, String(value).replace('${filename}', 'browser e2e.txt'));
		form.append('file', new Blob([body], { type: 'text/plain' }), 'browser e2e.txt');
		const upload = await fetch(answer.url, { method: 'POST', body: form });
		if (upload.status >= 300) throw new Error(`POST to the presigned form ${answer.url} answered ${upload.status}: ${(await upload.text()).slice(0, 300)}`);
		return `presigned POST form for ${answer.url} with ${Object.keys(answer.fields).length} fields; the upload was accepted (${upload.status})`;
	},
};

for (const entry of manifest.filter((e) => e.trigger === 'webhook')) {
	for (const webhookPath of entry.webhookPaths) {
		const label = `${path.basename(entry.source)} /webhook/${webhookPath}`;
		const scenario = scenarios[webhookPath];
		if (!scenario) {
			results.push(`SKIP ${label}: no scenario for this webhook path in e2e/n8n/lib/webhooks.mjs`);
			continue;
		}
		try {
			results.push(`PASS ${label}: ${await scenario()}`);
		} catch (error) {
			problems.push(`FAIL ${label}: ${error.message}`);
		}
	}
}
for (const line of [...results, ...problems]) console.log(line);
process.exit(problems.length ? 1 : 0);
