// The package in n8n's editor, driven with playwright-core and Debian's chromium.
// What the fields should be is computed with n8n's own rules (NodeHelpers.displayParameter on
// the descriptions n8n serves at /types/*.json), so the test follows the node as it changes.
//   1. canvas: the workflow opens, every S3 Storage node is known (icon served, no issues);
//   2. a run from the editor: every node succeeds, the output panel shows the downloaded file;
//   3. node panel: credential, resource/operation pickers list what the description declares,
//      the fields shown are exactly the ones displayOptions allow, the bucket list (listSearch)
//      finds the bucket; a version-3 node's key picker lists folders and objects of the bucket;
//   4. credential form: for every authentication mode the credential declares (Access Keys,
//      Assume Role and its source credentials, Machine Identity) the fields and notices shown are
//      exactly the ones displayOptions allow, one screenshot per mode; n8n's credential test
//      passes on the saved credential, which is closed unsaved and checked unchanged afterwards;
//   5. every resource/operation pair selected in the panel shows the fields it should;
//   6. the package's trigger nodes: their fields; "Fetch Test Event" returns the seeded object, and
//      on Ceph RGW "Listen for test event" receives an upload through a real bucket notification;
//   7. every other imported workflow opens with its S3 Storage nodes known and without issues.
// env: BASE_URL, E2E_OWNER_EMAIL, E2E_OWNER_PASSWORD, E2E_SCREENSHOTS, E2E_BROWSER_HOME,
//      E2E_MANIFEST, E2E_EDITOR_TEXT, E2E_EDITOR_BUCKET, E2E_S3_* (the imported credential's data),
//      E2E_FAIL_SHOTS (where screenshots of failed steps go)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { chromium, selectors } from 'playwright-core';

import {
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	EDITOR_WORKFLOW_ID,
	NODE_TYPE,
	PACKAGE_NAME,
} from './constants.mjs';

// n8n's own copy of n8n-workflow, as CommonJS (its ESM build does not resolve in 2.41.0).
const { NodeHelpers } = createRequire(import.meta.url)('n8n-workflow');
const env = (name) => {
	const value = process.env[name];
	if (!value) throw new Error(`editor.mjs: ${name} is not set`);
	return value;
};
const BASE_URL = env('BASE_URL').replace(/\/$/, '');
const SHOTS = env('E2E_SCREENSHOTS');
const FAIL_SHOTS = process.env.E2E_FAIL_SHOTS ?? SHOTS;
const BROWSER_HOME = env('E2E_BROWSER_HOME');
const manifest = JSON.parse(fs.readFileSync(env('E2E_MANIFEST'), 'utf8'));
const TIMEOUT = 30_000;
const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');

const problems = [];
const passed = [];
const notes = [];
const fail = (step, message) => problems.push(`${step}: ${message}`);

selectors.setTestIdAttribute('data-test-id');
fs.mkdirSync(SHOTS, { recursive: true });
fs.mkdirSync(FAIL_SHOTS, { recursive: true });
fs.mkdirSync(path.join(BROWSER_HOME, 'profile'), { recursive: true });
process.env.HOME = BROWSER_HOME;
process.env.XDG_CONFIG_HOME = path.join(BROWSER_HOME, '.config');
process.env.XDG_CACHE_HOME = path.join(BROWSER_HOME, '.cache');

const context = await chromium.launchPersistentContext(path.join(BROWSER_HOME, 'profile'), {
	executablePath: '/usr/bin/chromium',
	headless: true,
	viewport: { width: 1440, height: 900 },
	args: [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
	],
});
context.setDefaultTimeout(TIMEOUT);
const page = context.pages()[0] ?? (await context.newPage());
page.on('dialog', (dialog) => dialog.accept().catch(() => {}));

// What the browser sees about the package: failed requests, console errors, page errors.
const ours = new RegExp(`${PACKAGE_NAME}|s3Storage|S3 Storage`, 'i');
const packageRequests = [];
const missingSchemas = new Set();
page.on('response', (response) => {
	const url = response.url();
	// /schemas/<type>/<version>/<resource>/<operation>.json: optional output schemas n8n's editor
	// asks every node for (n8n-nodes-base's own Convert to File gets a 404 too); counted, not failed.
	if (url.includes('/schemas/') && response.status() === 404) {
		missingSchemas.add(url.replace(BASE_URL, ''));
		return;
	}
	if (url.includes(PACKAGE_NAME)) packageRequests.push(`${response.status()} ${url.replace(BASE_URL, '')}`);
	if (response.status() >= 400 && (url.includes(PACKAGE_NAME) || url.includes('dynamic-node-parameters') || url.includes('credentials/test'))) {
		fail('browser', `HTTP ${response.status()} for ${url.replace(BASE_URL, '')}`);
	}
});
page.on('console', (message) => {
	if ((message.type() === 'error' || message.type() === 'warning') && ours.test(message.text())) {
		fail('browser console', `${message.type()}: ${message.text().slice(0, 400)}`);
	}
});
page.on('pageerror', (error) => {
	if (ours.test(`${error.message}\n${error.stack}`)) fail('page error', error.message.slice(0, 400));
});

async function step(name, body) {
	const before = problems.length;
	try {
		await body();
	} catch (error) {
		fail(name, (error.message ?? String(error)).split('\n').slice(0, 4).join(' | '));
		await page.screenshot({ path: path.join(FAIL_SHOTS, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
	}
	if (problems.length === before) passed.push(name);
}

async function shot(file) {
	await page.screenshot({ path: path.join(SHOTS, file) });
	notes.push(`screenshot ${path.join(path.basename(SHOTS), file)}`);
}

// ------------------------------------------------------------------ login and descriptions
const login = await context.request.post(`${BASE_URL}/rest/login`, {
	data: { emailOrLdapLoginId: env('E2E_OWNER_EMAIL'), password: env('E2E_OWNER_PASSWORD') },
});
if (!login.ok()) {
	console.log(`FAIL login: HTTP ${login.status()} ${await login.text()}`);
	await context.close();
	process.exit(1);
}
const nodeTypes = await (await context.request.get(`${BASE_URL}/types/nodes.json`)).json();
const credentialTypes = await (await context.request.get(`${BASE_URL}/types/credentials.json`)).json();
const nodeType = nodeTypes.find((type) => type.name === NODE_TYPE);
const credentialType = credentialTypes.find((type) => type.name === CREDENTIAL_TYPE);
if (!nodeType || !credentialType) {
	console.log(`FAIL descriptions: n8n does not serve ${!nodeType ? NODE_TYPE : CREDENTIAL_TYPE} (package not loaded?)`);
	await context.close();
	process.exit(1);
}
passed.push(`n8n serves ${NODE_TYPE} v${[nodeType.version].flat().join(',')} and ${CREDENTIAL_TYPE}`);

/** The names of the top-level parameters n8n shows for these values (n8n's own display rules). */
function expectedFields(properties, values, description, typeVersion = 1) {
	const node = { name: 'x', type: description.name, typeVersion, parameters: values, position: [0, 0], id: 'x' };
	const full = NodeHelpers.getNodeParameters(properties, values, true, false, node, description) ?? values;
	const shown = new Map();
	for (const property of properties) {
		if (NodeHelpers.displayParameter(full, property, node, description)) shown.set(property.name, property);
	}
	return { shown, full };
}

/** Field names that are rendered in a container, by their parameter-input-<name> test ids. */
async function renderedFields(container, candidates) {
	const names = [];
	for (const name of candidates) {
		const input = container.locator(`[data-test-id="parameter-input-${name}"]`);
		if ((await input.count()) > 0 && (await input.first().isVisible())) names.push(name);
	}
	return names;
}

const SIMPLE = new Set(['string', 'number', 'boolean', 'options', 'multiOptions', 'resourceLocator', 'dateTime', 'color', 'json']);

/** The start of a notice as rendered (n8n renders its text as HTML). */
const noticeText = (property) => property.displayName.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim().slice(0, 60);

/** Compares the fields in the panel with what displayOptions allow for the given values. */
async function compareFields(where, container, properties, values, description, typeVersion = 1) {
	const { shown } = expectedFields(properties, values, description, typeVersion);
	const simpleNames = [...new Set(properties.filter((p) => SIMPLE.has(p.type)).map((p) => p.name))];
	const rendered = new Set(await renderedFields(container, simpleNames));
	const text = await container.innerText();
	const flat = text.replace(/\s+/g, ' ');
	for (const [name, property] of shown) {
		if (SIMPLE.has(property.type)) {
			if (!rendered.has(name)) fail(where, `field "${property.displayName}" (${name}) should be shown but is not`);
		} else if (property.type === 'collection' || property.type === 'fixedCollection') {
			if (!text.includes(property.displayName)) fail(where, `"${property.displayName}" (${property.type} ${name}) should be shown but is not`);
		} else if (property.type === 'notice') {
			if (!flat.includes(noticeText(property))) fail(where, `notice "${noticeText(property)}..." (${name}) should be shown but is not`);
		}
	}
	for (const name of rendered) {
		if (!shown.has(name)) fail(where, `field "${name}" is shown but its displayOptions hide it`);
	}
	for (const property of properties) {
		if (property.type === 'notice' && !shown.has(property.name) && flat.includes(noticeText(property))) {
			fail(where, `notice "${noticeText(property)}..." (${property.name}) is shown but its displayOptions hide it`);
		}
	}
	return shown;
}

async function openWorkflow(id) {
	await page.goto(`${BASE_URL}/workflow/${id}`);
	await page.getByTestId('canvas-node').first().waitFor();
}

async function checkCanvasNodes(where, workflow) {
	const ourNodes = workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
	for (const node of ourNodes) {
		const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name.replace(/"/g, '\\"')}"]`);
		if ((await canvasNode.count()) === 0) {
			fail(where, `node "${node.name}" is not on the canvas`);
			continue;
		}
		const type = await canvasNode.getAttribute('data-node-type');
		if (type !== node.type) fail(where, `node "${node.name}" has type ${type} on the canvas, not ${node.type}`);
		const icon = canvasNode.locator('img');
		if ((await icon.count()) === 0) {
			fail(where, `node "${node.name}" shows no icon image (unknown node?)`);
		} else {
			const loaded = await icon.first().evaluate((img) => img.complete && img.naturalWidth > 0);
			if (!loaded) fail(where, `node "${node.name}": icon ${await icon.first().getAttribute('src')} did not load`);
		}
		if ((await canvasNode.getByTestId('node-issues').count()) > 0) {
			await canvasNode.getByTestId('node-issues').first().hover().catch(() => {});
			const tooltip = await page.locator('.el-popper:visible, [role="tooltip"]:visible').allInnerTexts().catch(() => []);
			fail(where, `node "${node.name}" shows issues on the canvas: ${tooltip.join(' ').replace(/\s+/g, ' ').slice(0, 300)}`);
		}
	}
	return ourNodes.length;
}

async function openNode(name) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	const parameters = page.getByTestId('node-parameters');
	await parameters.waitFor();
	await page.waitForTimeout(500);
	return parameters;
}

async function closeNode() {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('node-parameters').waitFor({ state: 'hidden' });
}

async function closeCredentialModal() {
	const modal = page.getByTestId('credential-edit-dialog');
	const confirm = page.locator('.el-message-box:visible');
	for (let attempt = 0; attempt < 4 && (await modal.isVisible().catch(() => false)); attempt++) {
		if (await confirm.isVisible().catch(() => false)) {
			// Changed but unsaved: n8n asks "Close without saving?" (Keep Editing / Close).
			await confirm.getByRole('button', { name: 'Close', exact: true }).click();
		} else if (attempt === 0) {
			// The dialog's own close button (Escape goes to a focused select instead).
			await page.locator('.el-dialog:has([data-test-id="credential-edit-dialog"]) .el-dialog__headerbtn').first().click({ timeout: 5000 }).catch(() => {});
		} else {
			await page.keyboard.press('Escape');
		}
		await modal.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
	}
}

async function closeDropdown() {
	await page.keyboard.press('Escape');
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
	await page.waitForTimeout(300);
}

async function dropdownOptions(testId) {
	await page.getByTestId(testId).click();
	const list = page.locator('.el-select-dropdown:visible, .el-popper:visible [role="listbox"]').last();
	await list.waitFor();
	const texts = (await list.getByRole('option').allInnerTexts()).map((text) => text.split('\n')[0].trim());
	return texts;
}

/** Picks the option whose name (its first line; descriptions follow) is exactly optionName. */
async function selectOption(testId, optionName, scope = page) {
	await scope.getByTestId(testId).click();
	const list = page.locator('.el-select-dropdown:visible, .el-popper:visible [role="listbox"]').last();
	await list.waitFor();
	const options = list.getByRole('option');
	const names = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	const index = names.indexOf(optionName);
	if (index < 0) throw new Error(`no option "${optionName}" in ${testId} (has ${JSON.stringify(names)})`);
	await options.nth(index).click();
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
	await page.waitForTimeout(400);
}

const optionsOf = (properties, name, values) =>
	properties.find(
		(property) =>
			property.name === name &&
			NodeHelpers.displayParameter(values, property, { name: 'x', type: nodeType.name, typeVersion: 1, parameters: values }, nodeType),
	)?.options ?? [];

const editorEntry = manifest.find((entry) => entry.id === EDITOR_WORKFLOW_ID);
if (!editorEntry) throw new Error(`editor.mjs: workflow ${EDITOR_WORKFLOW_ID} is not in the manifest`);
const editorWorkflow = JSON.parse(fs.readFileSync(editorEntry.file, 'utf8'));
const panelNode = editorWorkflow.nodes.find((node) => node.name === 'Upload');

// ------------------------------------------------------------------ 1. canvas
await step('canvas', async () => {
	await openWorkflow(EDITOR_WORKFLOW_ID);
	await page.waitForTimeout(1000);
	const count = await checkCanvasNodes('canvas', editorWorkflow);
	notes.push(`canvas: ${count} S3 Storage nodes known, icons loaded`);
	await shot('n8n-canvas.png');
});

// ------------------------------------------------------------------ 2. a run from the editor (first: n8n autosaves, and the panel steps change the node)
await step('run from the editor', async () => {
	await page.getByTestId('execute-workflow-button').click();
	const names = editorWorkflow.nodes.map((node) => node.name);
	const deadline = Date.now() + 90_000;
	for (;;) {
		const done = await page.locator('[data-test-id="canvas-node"]').evaluateAll(
			(els, wanted) =>
				wanted.filter((name) => {
					const el = els.find((e) => e.getAttribute('data-node-name') === name);
					return el && el.querySelector('[data-test-id="canvas-node-status-success"]');
				}).length,
			names,
		);
		if (done === names.length) break;
		const errors = await page.locator('[data-test-id="canvas-node"].error, [data-test-id="canvas-node"] [data-test-id="node-issues"]').count();
		if (errors > 0 || Date.now() > deadline) {
			await shot('n8n-run-failed.png');
			throw new Error(`${done}/${names.length} nodes succeeded${errors ? `, ${errors} in error` : ''}`);
		}
		await page.waitForTimeout(500);
	}
	notes.push(`run from the editor: all ${names.length} nodes succeeded`);
	await openNode('Read text');
	const output = page.getByTestId('output-panel');
	await output.getByText(process.env.E2E_EDITOR_TEXT, { exact: false }).first().waitFor();
	await closeNode();
	await openNode('Download');
	await output.getByTestId('ndv-data-container').waitFor();
	const outputText = await output.innerText();
	if (!outputText.includes('hello.txt')) fail('run output', 'the Download output panel does not show the file hello.txt');
	await shot('n8n-run-output.png');
	await closeNode();
});

// ------------------------------------------------------------------ 3. node panel
let panel;
await step('node panel', async () => {
	panel = await openNode(panelNode.name);
	const credential = await page.getByTestId('node-credentials-select').locator('input').first().inputValue();
	if (credential !== CREDENTIAL_NAME) fail('node panel', `credential shows "${credential}", not "${CREDENTIAL_NAME}"`);
	const shown = await compareFields('node panel (object/upload)', panel, nodeType.properties, panelNode.parameters, nodeType);
	const issues = await panel.getByTestId('parameter-issues').count();
	if (issues > 0) fail('node panel', `${issues} parameter issue marker(s) on a correctly filled node`);
	notes.push(`node panel object/upload: ${shown.size} fields as displayOptions say`);
	await shot('n8n-node-panel.png');
});

await step('resource and operation pickers', async () => {
	const values = { resource: panelNode.parameters.resource, operation: panelNode.parameters.operation };
	const resources = await dropdownOptions('parameter-input-resource');
	const wantResources = optionsOf(nodeType.properties, 'resource', values).map((option) => option.name);
	if (JSON.stringify(resources) !== JSON.stringify(wantResources)) {
		fail('resource picker', `lists ${JSON.stringify(resources)}, description declares ${JSON.stringify(wantResources)}`);
	}
	await closeDropdown();
	const operations = await dropdownOptions('parameter-input-operation');
	const wantOperations = optionsOf(nodeType.properties, 'operation', values).map((option) => option.name);
	if (JSON.stringify(operations) !== JSON.stringify(wantOperations)) {
		fail('operation picker', `lists ${JSON.stringify(operations)}, description declares ${JSON.stringify(wantOperations)}`);
	}
	await page.waitForTimeout(600);
	await shot('n8n-operation-picker.png');
	await closeDropdown();
	notes.push(`pickers: resources ${resources.join(', ')}; ${values.resource} operations ${operations.join(', ')}`);
});

await step('bucket list (listSearch)', async () => {
	const locator = page.getByTestId('resource-locator-bucket');
	await locator.getByTestId('rlc-mode-selector').click();
	await page.locator('.el-select-dropdown:visible').last().getByRole('option').filter({ hasText: 'From List' }).first().click();
	await locator.getByTestId('rlc-input').click();
	const item = page.getByTestId('rlc-item').filter({ hasText: env('E2E_BUCKET') });
	await item.first().waitFor();
	const count = await page.getByTestId('rlc-item').count();
	notes.push(`bucket list: ${count} bucket(s) from searchBuckets, the test bucket among them`);
	await shot('n8n-bucket-list.png');
	await closeDropdown();
});

// ------------------------------------------------------------------ 4. credential form, every authentication mode
// The saved credential (provider "other", access keys) is opened from the node panel; its test
// runs. Then each other authentication mode is selected in the same form, its fields compared
// with what displayOptions allow, and screenshotted; the form is closed without saving.
const credentialDescription = { ...credentialType, name: credentialType.name };
const savedCredential = {
	provider: 'other',
	authentication: 'accessKeys',
	endpoint: process.env.E2E_S3_ENDPOINT,
	region: process.env.E2E_S3_REGION,
	accessKeyId: process.env.E2E_S3_ACCESS_KEY_ID,
	secretAccessKey: process.env.E2E_S3_SECRET_ACCESS_KEY,
	forcePathStyle: process.env.E2E_S3_FORCE_PATH_STYLE !== 'false',
};
const authModes = credentialType.properties.find((property) => property.name === 'authentication')?.options ?? [];
const modeFile = (value) => `n8n-credential-${String(value).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.png`;
const credentialModal = page.getByTestId('credential-edit-dialog');
let credentialModalOpen = false;

/** The form scrolled to the given field (the dialog has a fixed height), then a screenshot. */
async function credentialShot(file, fromField) {
	if (fromField) {
		await credentialModal.getByText(fromField, { exact: true }).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
	}
	await page.waitForTimeout(400);
	await shot(file);
}

await step('credential form (Access Keys)', async () => {
	if (authModes.length < 3) fail('credential form', `the credential declares ${authModes.length} authentication modes, expected at least 3`);
	await page.getByTestId('credential-edit-button').first().click();
	await credentialModal.waitFor();
	credentialModalOpen = true;
	await credentialModal.getByTestId('credential-connection-parameter').first().waitFor();
	await page.waitForTimeout(500);
	const data = savedCredential;
	const shown = await compareFields('credential form (Access Keys)', credentialModal, credentialType.properties, data, credentialDescription);
	const endpoint = await credentialModal.getByTestId('parameter-input-endpoint').locator('input').first().inputValue();
	if (endpoint !== data.endpoint) fail('credential form', `Endpoint shows "${endpoint}", imported "${data.endpoint}"`);
	notes.push(`credential form, Access Keys: ${shown.size} fields for provider "other" as displayOptions say`);
	// Opening a saved credential runs its test (testedBy) inside n8n, against the S3 server.
	const ok = credentialModal.getByText('Connection tested successfully').first();
	const bad = credentialModal.getByText(/Couldn.t connect/).first();
	await Promise.race([ok.waitFor(), bad.waitFor()]).catch(() => {});
	let result;
	if (await ok.isVisible()) {
		result = 'Connection tested successfully';
	} else {
		result = (await bad.isVisible())
			? (await bad.locator('xpath=ancestor::*[contains(@class,"banner") or @role="alert"][1]').innerText().catch(() => bad.innerText())).replace(/\s+/g, ' ')
			: 'no test result shown';
		fail('credential test', `n8n's credential test shows "${result.slice(0, 300)}"`);
	}
	await credentialShot(modeFile('accessKeys'));
	notes.push(`credential test in n8n: ${result}`);
});

for (const mode of authModes.filter((option) => option.value !== 'accessKeys')) {
	await step(`credential form (${mode.name})`, async () => {
		if (!credentialModalOpen) throw new Error('the credential form did not open');
		await selectOption('parameter-input-authentication', mode.name, credentialModal);
		const data = { ...savedCredential, authentication: mode.value };
		const shown = await compareFields(`credential form (${mode.name})`, credentialModal, credentialType.properties, data, credentialDescription);
		notes.push(`credential form, ${mode.name}: ${shown.size} fields as displayOptions say (${[...shown.keys()].join(', ')})`);
		await credentialShot(modeFile(mode.value), 'Authentication');
		// A mode's own choices (Assume Role: where its source credentials come from), each compared too.
		const modeOptions = credentialType.properties.filter(
			(property) =>
				property.type === 'options' &&
				property.displayOptions?.show?.authentication?.includes(mode.value) &&
				NodeHelpers.displayParameter(data, property, { name: 'x', type: credentialType.name, typeVersion: 1, parameters: data }, credentialDescription),
		);
		for (const property of modeOptions) {
			for (const option of property.options.filter((o) => o.value !== property.default)) {
				await selectOption(`parameter-input-${property.name}`, option.name, credentialModal);
				const sub = { ...data, [property.name]: option.value };
				const subShown = await compareFields(`credential form (${mode.name}, ${property.displayName}: ${option.name})`, credentialModal, credentialType.properties, sub, credentialDescription);
				notes.push(`credential form, ${mode.name} with ${property.displayName} ${option.name}: ${subShown.size} fields as displayOptions say`);
			}
			await selectOption(`parameter-input-${property.name}`, property.options.find((o) => o.value === property.default).name, credentialModal);
		}
	});
}
await closeCredentialModal();
// The node panel the form was opened from.
if (await page.getByTestId('node-parameters').isVisible().catch(() => false)) await closeNode().catch(() => {});

await step('credential unchanged', async () => {
	if (await credentialModal.isVisible()) throw new Error('the credential form is still open');
	const response = await context.request.get(`${BASE_URL}/rest/credentials/${CREDENTIAL_ID}?includeData=true`);
	if (!response.ok()) throw new Error(`GET /rest/credentials/${CREDENTIAL_ID}: HTTP ${response.status()}`);
	const body = await response.json();
	const saved = body.data?.data ?? {};
	if (saved.endpoint !== savedCredential.endpoint) throw new Error(`the saved credential's endpoint reads "${saved.endpoint}", not "${savedCredential.endpoint}"`);
	if ((saved.authentication ?? 'accessKeys') !== 'accessKeys') throw new Error(`the saved credential's authentication is now "${saved.authentication}"`);
	notes.push('credential form closed unsaved: the saved credential still signs in with access keys');
});

// ------------------------------------------------------------------ 5. every resource/operation pair
await step('all operations', async () => {
	const panelAll = await openNode(panelNode.name);
	const resources = optionsOf(nodeType.properties, 'resource', {}).map((option) => option);
	let pairs = 0;
	for (const resource of resources) {
		await selectOption('parameter-input-resource', resource.name);
		const operations = optionsOf(nodeType.properties, 'operation', { resource: resource.value });
		for (const operation of operations) {
			await selectOption('parameter-input-operation', operation.name);
			const values = { resource: resource.value, operation: operation.value };
			// Keep what the panel carries over between operations (e.g. the bucket) out of the comparison.
			await compareFields(`fields of ${resource.value}/${operation.value}`, panelAll, nodeType.properties, values, nodeType);
			pairs++;
		}
	}
	notes.push(`all operations: ${pairs} resource/operation pairs show the fields displayOptions allow`);
	await closeNode();
});

// A node at version 3 (Download, whose key was picked from the list and ran so in step 2): its
// list browses the bucket, folders first, and typing a folder's path lists what is inside
// (searchObjectKeys on the S3 server); picking an object sets the key.
await step('key list (listSearch, node version 3)', async () => {
	const download = editorWorkflow.nodes.find((node) => node.name === 'Download');
	const parameters = await openNode(download.name);
	const shown = await compareFields('fields of Download (version 3)', parameters, nodeType.properties, download.parameters, nodeType, download.typeVersion);
	// The saved key was picked from the list (mode "list", e2e/hello.txt): the list opens from it.
	const locator = page.getByTestId('resource-locator-key');
	// What the locator shows: list mode renders the chosen value as text, typed modes in an input.
	const shownKey = () => locator.evaluate((el) => `${el.innerText} ${[...el.querySelectorAll('input')].map((input) => input.value).join(' ')}`);
	const before = await shownKey();
	if (!before.includes('e2e/hello.txt')) fail('key list', `the saved key shows as "${before}"`);
	await locator.getByTestId('rlc-input').click();
	await page.getByTestId('rlc-item').filter({ hasText: 'e2e/' }).first().waitFor();
	const top = (await page.getByTestId('rlc-item').allInnerTexts()).map((text) => text.trim());
	await page.locator('input[data-test-id="rlc-search"], [data-test-id="rlc-search"] input').first().fill('e2e/');
	const file = page.getByTestId('rlc-item').filter({ hasText: 'hello.txt' });
	await file.first().waitFor();
	await page.waitForTimeout(400);
	await shot('n8n-key-list.png');
	await file.first().click();
	await page.waitForTimeout(300);
	const picked = await shownKey();
	if (!picked.includes('e2e/hello.txt')) fail('key list', `picking hello.txt set the key to "${picked}"`);
	notes.push(`key list: ${shown.size} fields of Download at version 3; the bucket's top level lists ${top.join(', ')}; typing "e2e/" lists hello.txt, which sets the key`);
	await closeNode();
});

// ------------------------------------------------------------------ 6. the trigger nodes
const EVENT_TRIGGER_TYPE = `${PACKAGE_NAME}.s3StorageEventTrigger`;

/** The bucket's notification configurations this run's triggers made (their ids start with n8n-). */
async function triggerNotifications(s3, bucket) {
	const { GetBucketNotificationConfigurationCommand } = s3.sdk;
	const answer = await s3.client.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
	return [...(answer.TopicConfigurations ?? []), ...(answer.QueueConfigurations ?? []), ...(answer.LambdaFunctionConfigurations ?? [])]
		.map((c) => c.Id ?? '')
		.filter((id) => id.startsWith('n8n-'));
}

async function until(what, check, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
		await page.waitForTimeout(500);
	}
}

/**
 * "Listen for test event" on the event trigger, as a user does it: n8n registers the node's test
 * webhook URL (the node creates a topic pushing there and a bucket notification), an upload
 * arrives in the output panel, and n8n's removal of the test webhook leaves no notification behind.
 * Needs a server that pushes notifications over HTTP (Ceph RGW: E2E_EVENTS=1).
 */
async function listenForTestEvent(node, fieldCount) {
	if (process.env.E2E_EVENTS !== '1') {
		notes.push(`trigger ${node.type}: ${fieldCount} fields as displayOptions say; "Listen for test event" not exercised: this S3 server pushes no bucket notifications (run on Ceph RGW)`);
		return;
	}
	const require = createRequire(path.join(REPO_ROOT, 'package.json'));
	const sdk = require('@aws-sdk/client-s3');
	const s3 = {
		sdk,
		client: new sdk.S3Client({
			endpoint: env('E2E_S3_ENDPOINT'),
			region: env('E2E_S3_REGION'),
			forcePathStyle: process.env.E2E_S3_FORCE_PATH_STYLE !== 'false',
			credentials: { accessKeyId: env('E2E_S3_ACCESS_KEY_ID'), secretAccessKey: env('E2E_S3_SECRET_ACCESS_KEY') },
		}),
	};
	const bucket = node.parameters.bucket.value;
	const before = await triggerNotifications(s3, bucket);
	if (before.length) throw new Error(`bucket ${bucket} already has trigger notifications ${before.join(', ')}`);
	await page.getByTestId('node-execute-button').first().click();
	const made = await until('n8n to register the test webhook (a notification on the bucket)', () => triggerNotifications(s3, bucket).then((ids) => ids.length && ids), 30_000);
	const key = `${node.parameters.prefix}editor-${Date.now()}.txt`;
	await s3.client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: 'a test event from the editor', ContentType: 'text/plain' }));
	const output = page.getByTestId('output-panel');
	await output.getByText(key, { exact: false }).first().waitFor({ timeout: 60_000 });
	const outputText = await output.innerText();
	if (!/created/.test(outputText)) fail('event trigger output', `the output panel shows ${key} but not the event "created"`);
	await page.waitForTimeout(500);
	await shot('n8n-event-trigger-panel.png');
	await until('n8n to remove the test webhook (no notification left on the bucket)', () => triggerNotifications(s3, bucket).then((ids) => ids.length === 0), 30_000);
	notes.push(
		`trigger ${node.type}: ${fieldCount} fields as displayOptions say; "Listen for test event" registered ${made.join(', ')}, the upload of ${key} reached the output panel, and the notification was gone afterwards`,
	);
}

// Each workflow of the harness with one of the package's triggers: its panel shows the fields its
// description allows; the polling trigger's "Fetch Test Event" (a manual poll) returns the seeded
// object, the event trigger's "Listen for test event" receives a real upload's notification.
const triggerEntries = manifest.filter((entry) => entry.trigger.startsWith(`${PACKAGE_NAME}.`));
for (const entry of triggerEntries) {
	await step(`trigger node (${path.basename(entry.source)})`, async () => {
		const workflow = JSON.parse(fs.readFileSync(entry.file, 'utf8'));
		const node = workflow.nodes.find((n) => n.type === entry.trigger);
		const description = nodeTypes.find((type) => type.name === node.type);
		if (!description) throw new Error(`n8n does not serve ${node.type}`);
		await openWorkflow(entry.id);
		await checkCanvasNodes('trigger canvas', workflow);
		const parameters = await openNode(node.name);
		const shown = await compareFields(`trigger panel`, parameters, description.properties, node.parameters, description);
		if (node.type === EVENT_TRIGGER_TYPE) {
			await listenForTestEvent(node, shown.size);
		} else {
			await page.getByTestId('node-execute-button').first().click();
			const output = page.getByTestId('output-panel');
			const expected = process.env.E2E_TRIGGER_EXPECT ?? 'imports/orders.csv';
			await output.getByText(expected, { exact: false }).first().waitFor({ timeout: 60_000 });
			await page.waitForTimeout(500);
			await shot('n8n-trigger-panel.png');
			notes.push(`trigger ${node.type}: ${shown.size} fields as displayOptions say; Fetch Test Event returned ${expected}`);
		}
		await closeNode();
	});
}

// ------------------------------------------------------------------ 7. the other workflows
for (const entry of manifest) {
	if (entry.id === EDITOR_WORKFLOW_ID || triggerEntries.includes(entry)) continue;
	await step(`workflow ${path.basename(entry.source)}`, async () => {
		const workflow = JSON.parse(fs.readFileSync(entry.file, 'utf8'));
		await openWorkflow(entry.id);
		await page.waitForTimeout(500);
		const count = await checkCanvasNodes(`workflow ${path.basename(entry.source)}`, workflow);
		notes.push(`workflow ${path.basename(entry.source)}: ${count} S3 Storage node(s) known, no issues`);
	});
}

await context.close();
const served = packageRequests.filter((line) => /^(200|304) /.test(line)).length;
notes.push(`requests for ${PACKAGE_NAME} files: ${served} served, ${packageRequests.length - served} failed`);
if (missingSchemas.size) notes.push(`output schemas the editor asked for and n8n has none of (404, not an error): ${[...missingSchemas].join(', ')}`);
for (const note of notes) console.log(`  ${note}`);
for (const name of passed) console.log(`PASS ${name}`);
for (const problem of problems) console.log(`FAIL ${problem}`);
console.log(`editor: ${passed.length} passed, ${problems.length} failed`);
process.exit(problems.length ? 1 : 0);
