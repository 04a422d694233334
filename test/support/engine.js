'use strict';
/**
 * Runs real workflows through n8n's own engine (n8n-core's WorkflowExecute), in-process,
 * with this package's node and any n8n-nodes-base node they use. Shared by the tests, the
 * demo and the benchmark, so all three exercise exactly the same path as n8n itself.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// n8n-core reads its folder on first use; it must point somewhere private before n8n-core loads.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-s3-storage-'));
}
process.env.N8N_BLOCK_ENV_ACCESS_IN_NODE ??= 'false';

const { Container } = require('@n8n/di');
const core = require('n8n-core');
const workflowLib = require('n8n-workflow');

const PACKAGE_PREFIX = 'n8n-nodes-s3-storage.';

/** n8n-nodes-base node files by type name (e.g. "manualTrigger"), loaded only when a workflow uses them. */
let baseNodeFiles;
function baseNodeFile(typeName) {
	if (!baseNodeFiles) {
		const pkgDir = path.dirname(require.resolve('n8n-nodes-base/package.json'));
		const pkg = require('n8n-nodes-base/package.json');
		baseNodeFiles = new Map(
			pkg.n8n.nodes.map((file) => {
				const base = path.basename(file, '.node.js');
				return [base.charAt(0).toLowerCase() + base.slice(1), path.join(pkgDir, file)];
			}),
		);
	}
	return baseNodeFiles.get(typeName);
}

class NodeTypes {
	/** @param {Record<string, object>} ownNodes type name (without package prefix) -> node instance */
	constructor(ownNodes) {
		this.ownNodes = ownNodes;
		this.loaded = new Map();
	}

	getByName(type) {
		if (this.loaded.has(type)) return this.loaded.get(type);
		let instance = this.ownNodes[type];
		if (instance) {
			// a node registered under its full type name (tests' own helper nodes)
		} else if (type.startsWith(PACKAGE_PREFIX) || type.startsWith('CUSTOM.')) {
			instance = this.ownNodes[type.slice(type.indexOf('.') + 1)];
		} else if (type.startsWith('n8n-nodes-base.')) {
			const file = baseNodeFile(type.slice('n8n-nodes-base.'.length));
			if (file) {
				const exported = require(file);
				const NodeClass = Object.values(exported).find((value) => typeof value === 'function');
				instance = new NodeClass();
			}
		}
		if (!instance) throw new Error(`Unknown node type "${type}" in the test engine`);
		this.loaded.set(type, instance);
		return instance;
	}

	getByNameAndVersion(type, version) {
		return workflowLib.NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

class CredentialsHelper extends workflowLib.ICredentialsHelper {
	/** @param {Record<string, object>} byType credential type -> decrypted data */
	constructor(byType) {
		super();
		this.byType = byType;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(_credentials, _type, requestOptions) {
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials() {
		throw new Error('not used');
	}
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const data = this.byType[type];
		if (!data) throw new Error(`No test credential of type "${type}"`);
		return { ...data };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}

let binaryModeInitialised;
/** Workflow settings every run gets unless its JSON says otherwise (`binaryMode: 'combined'`). */
let defaultWorkflowSettings = {};

/**
 * The rows of n8n's `binary_data` table, kept in memory: the repository n8n's DatabaseManager
 * writes through (insert, findOneOrFail, update, delete, copyStoredFile), without TypeORM.
 */
class InMemoryBinaryDataRepository {
	constructor() {
		this.rows = new Map();
	}
	async insert(row) {
		this.rows.set(row.fileId, { ...row });
	}
	async findOneOrFail({ where }) {
		const row = this.rows.get(where.fileId);
		if (!row) throw new Error(`Could not find any entity of type "BinaryDataFile" matching: {"fileId":"${where.fileId}"}`);
		return { ...row };
	}
	/** `where` values are plain or a TypeORM In(...) (an object holding the list in `value`). */
	matches(row, where) {
		return Object.entries(where).every(([column, wanted]) =>
			wanted && typeof wanted === 'object' && Array.isArray(wanted.value) ? wanted.value.includes(row[column]) : row[column] === wanted,
		);
	}
	async update(where, values) {
		let affected = 0;
		for (const [fileId, row] of [...this.rows]) {
			if (!this.matches(row, where)) continue;
			this.rows.delete(fileId);
			const updated = { ...row, ...values };
			this.rows.set(updated.fileId, updated);
			affected += 1;
		}
		return { affected };
	}
	async delete(where) {
		for (const [fileId, row] of [...this.rows]) if (this.matches(row, where)) this.rows.delete(fileId);
	}
	async copyStoredFile(sourceFileId, targetFileId, sourceType, sourceId) {
		const row = this.rows.get(sourceFileId);
		if (!row) return false;
		this.rows.set(targetFileId, { ...row, fileId: targetFileId, sourceType, sourceId });
		return true;
	}
}

/**
 * n8n's `database` binary data manager. It is not part of n8n-core: it lives in the n8n package
 * (packages/cli/src/binary-data/database.manager.ts) and takes @n8n/db's TypeORM repository, and
 * neither package is a dependency here (the n8n package is some 1,500 packages; its SQLite driver
 * is a native module). When an installed n8n package is found (N8N_PACKAGE_DIR, or the e2e
 * install in e2e/n8n/node_modules/n8n), its own DatabaseManager class is used over the in-memory
 * table; otherwise this copy of it, line for line in behaviour: the whole file read into one
 * buffer, FileTooLargeError above `dbMaxFileSize` (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, MiB),
 * `database://<id>` as its path, and reads served from one buffer.
 */
class DatabaseBinaryManager {
	constructor(repository, config) {
		this.repository = repository;
		this.config = config;
	}
	async init() {}
	checkSize(fileSize, fileId, metadata) {
		const fileSizeMb = fileSize / (1024 * 1024);
		if (fileSizeMb > this.config.dbMaxFileSize) {
			throw new core.FileTooLargeError({ fileSizeMb, maxFileSizeMb: this.config.dbMaxFileSize, fileId, fileName: metadata.fileName });
		}
	}
	async insert(location, buffer, metadata) {
		const fileId = require('node:crypto').randomUUID();
		this.checkSize(buffer.length, fileId, metadata);
		await this.repository.insert({
			fileId,
			sourceType: 'execution',
			sourceId: location.executionId || core.TEMP_EXECUTION_ID,
			data: buffer,
			mimeType: metadata.mimeType ?? null,
			fileName: metadata.fileName ?? null,
			fileSize: buffer.length,
		});
		return { fileId, fileSize: buffer.length };
	}
	async store(location, bufferOrStream, metadata) {
		return await this.insert(location, await require('@n8n/backend-network').binaryToBuffer(bufferOrStream), metadata);
	}
	async copyByFilePath(location, sourcePath, metadata) {
		return await this.insert(location, await fs.promises.readFile(sourcePath), metadata);
	}
	getPath(fileId) {
		return `database://${fileId}`;
	}
	async getAsBuffer(fileId) {
		return (await this.repository.findOneOrFail({ where: { fileId }, select: ['data'] })).data;
	}
	async getAsStream(fileId) {
		return require('node:stream').Readable.from(await this.getAsBuffer(fileId));
	}
	async getMetadata(fileId) {
		const file = await this.repository.findOneOrFail({ where: { fileId }, select: ['fileName', 'mimeType', 'fileSize'] });
		return { fileName: file.fileName ?? undefined, mimeType: file.mimeType ?? undefined, fileSize: file.fileSize };
	}
	async deleteMany(locations) {
		const executionIds = locations.flatMap((location) => (location.type === 'execution' ? [location.executionId] : []));
		if (executionIds.length) await this.repository.delete({ sourceType: 'execution', sourceId: { value: executionIds } });
	}
	async deleteManyByFileId(ids) {
		if (ids.length) await this.repository.delete({ fileId: { value: ids } });
	}
	async copyByFileId(targetLocation, sourceFileId) {
		const targetFileId = require('node:crypto').randomUUID();
		const copied = await this.repository.copyStoredFile(sourceFileId, targetFileId, 'execution', targetLocation.executionId || core.TEMP_EXECUTION_ID);
		if (!copied) throw new core.BinaryDataFileNotFoundError(sourceFileId);
		return targetFileId;
	}
	async rename(oldFileId, newFileId) {
		const { affected } = await this.repository.update({ fileId: oldFileId }, { fileId: newFileId });
		if (affected === 0) throw new core.BinaryDataFileNotFoundError(oldFileId);
	}
}

/** n8n's own DatabaseManager class, when an n8n package is installed where the engine can find it. */
function installedDatabaseManagerClass() {
	const candidates = [process.env.N8N_PACKAGE_DIR, path.join(__dirname, '../../e2e/n8n/node_modules/n8n')].filter(Boolean);
	for (const dir of candidates) {
		const file = path.join(dir, 'dist/binary-data/database.manager.js');
		if (fs.existsSync(file)) return { DatabaseManager: require(file).DatabaseManager, file };
	}
	return undefined;
}

let databaseManager;
/** Which database manager the engine uses: 'n8n package (<file>)' or 'engine copy'. */
let databaseManagerSource;

/**
 * Chooses where binary data lives, as n8n 2.x's binary data config does:
 * 'filesystem' (the default in regular mode: files on disk, streamed), 'database' (the default in
 * queue mode: each file whole in a database row, refused above `databaseMaxFileSizeMiB`, default
 * N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE or 512) or 'memory' (base64 inside the items).
 * `workflowBinaryMode: 'combined'` is the workflow setting that moves binaries into `json._files`.
 * @param {'memory' | 'filesystem' | 'database'} mode
 * @param {{ workflowBinaryMode?: 'separate' | 'combined', databaseMaxFileSizeMiB?: number }} [options]
 */
async function setBinaryMode(mode, options = {}) {
	const service = Container.get(core.BinaryDataService);
	const config = service.config;
	if (mode === 'filesystem' || mode === 'database') {
		config.mode = mode;
		config.localStoragePath ??= path.join(process.env.N8N_USER_FOLDER, 'binary');
		fs.mkdirSync(config.localStoragePath, { recursive: true });
	} else if (mode === 'memory') {
		config.mode = 'default';
	} else {
		throw new Error(`Unknown binary mode "${mode}"`);
	}
	config.dbMaxFileSize = options.databaseMaxFileSizeMiB ?? Number(process.env.N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE || 512);
	await service.init();
	if (mode === 'database') {
		if (!databaseManager) {
			const installed = installedDatabaseManagerClass();
			const Manager = installed?.DatabaseManager ?? DatabaseBinaryManager;
			databaseManager = new Manager(new InMemoryBinaryDataRepository(), config);
			databaseManagerSource = installed ? `n8n package (${installed.file})` : 'engine copy';
		}
		service.setManager('database', databaseManager);
	}
	// What an n8n process is told through its environment, so a node sees the same settings.
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = config.mode;
	if (mode === 'database') process.env.N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE = String(config.dbMaxFileSize);
	else delete process.env.N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE;
	defaultWorkflowSettings = options.workflowBinaryMode ? { binaryMode: options.workflowBinaryMode } : {};
	binaryModeInitialised = mode;
}

/** Where the engine's `database` mode manager comes from (see DatabaseBinaryManager). */
function databaseManagerInUse() {
	return databaseManagerSource;
}

function makeWorkflow(workflowJson, nodeTypes, staticData) {
	return new workflowLib.Workflow({
		id: workflowJson.id ?? 'test',
		name: workflowJson.name ?? 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		staticData: staticData ?? {},
		settings: { ...defaultWorkflowSettings, ...workflowJson.settings },
	});
}

const BASE_URL = 'http://127.0.0.1:5678';

function makeAdditionalData(credentials, hooks) {
	return {
		credentialsHelper: new CredentialsHelper(credentials ?? {}),
		hooks,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used here');
		},
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: BASE_URL,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		variables: {},
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		setExecutionStatus: () => {},
		logAiEvent: () => {},
	};
}

function newExecutionId() {
	return String(Date.now()) + Math.random().toString(16).slice(2, 6);
}

/**
 * Runs one workflow (an exported workflow JSON: nodes and connections) and resolves with its run.
 * By default it runs as a manual execution from the Manual Trigger (or the first node without
 * inputs); `mode` and `startNode` run it as n8n does after a trigger fired ('trigger', 'webhook'),
 * with `startData` as the trigger node's output.
 * @param {object} workflowJson
 * @param {{ nodes: Record<string, object>, credentials: Record<string, object>, staticData?: object,
 *   startData?: object, mode?: string, startNode?: string, onResponse?: (response: object) => void,
 *   onStart?: (cancel: () => void) => void }} options
 */
async function runWorkflow(workflowJson, options) {
	if (!binaryModeInitialised) await setBinaryMode('memory');
	const mode = options.mode ?? 'manual';
	const nodeTypes = options.nodeTypes ?? new NodeTypes(options.nodes);
	const workflow = makeWorkflow(workflowJson, nodeTypes, options.staticData);
	const start = options.startNode
		? workflowJson.nodes.find((node) => node.name === options.startNode)
		: (workflowJson.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger') ??
			workflowJson.nodes.find((node) => !Object.values(workflowJson.connections).some((c) => JSON.stringify(c).includes(`"node":"${node.name}"`))));
	if (!start) throw new Error(`No start node "${options.startNode ?? ''}" in the workflow`);

	const executionId = newExecutionId();
	const workflowData = { id: workflow.id, name: workflow.name, nodes: workflowJson.nodes, connections: workflowJson.connections, active: false, settings: workflow.settings, createdAt: new Date(), updatedAt: new Date(), isArchived: false, activeVersionId: null };
	const hooks = new core.ExecutionLifecycleHooks(mode, executionId, workflowData);
	if (options.onResponse) hooks.addHandler('sendResponse', async (response) => options.onResponse(response));
	const additionalData = makeAdditionalData(options.credentials, hooks);
	const startData = options.startData ?? { main: [[{ json: {} }]] };
	const runExecutionData = workflowLib.createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: start, data: startData, source: null }] },
	});
	const execute = new core.WorkflowExecute(additionalData, mode, runExecutionData);
	const running = execute.processRunExecutionData(workflow);
	options.onStart?.(() => running.cancel());
	let run;
	try {
		run = await running;
	} catch (error) {
		if (error && error.name === 'CancelError') return { cancelled: true, error };
		throw error;
	}
	return new WorkflowRun(run, workflow);
}

/**
 * A resource locator's "From List", as n8n's editor asks for it (the CLI's DynamicNodeParametersService):
 * the node alone in a workflow, with the parameters it has in the editor, a LoadOptionsContext whose
 * getCurrentNodeParameter reads them, and the node's list search method called with the text typed
 * into the list's search box and the previous page's token.
 * @param {{ name?: string, type: string, typeVersion: number, parameters: object, credentials?: object }} node
 * @param {string} method the `searchListMethod`
 * @param {{ nodes: Record<string, object>, credentials: Record<string, object>, filter?: string,
 *   paginationToken?: string, path?: string }} options
 */
async function listSearch(node, method, options) {
	const nodeTypes = new NodeTypes(options.nodes);
	const saved = { id: 'temp', name: 'Temp-Node', position: [0, 0], ...node };
	const workflow = makeWorkflow({ nodes: [saved], connections: {} }, nodeTypes);
	const additionalData = makeAdditionalData(options.credentials);
	additionalData.currentNodeParameters = saved.parameters;
	const context = new core.LoadOptionsContext(workflow, workflow.getNode(saved.name), additionalData, options.path ?? 'parameters.key');
	const nodeType = nodeTypes.getByNameAndVersion(saved.type, saved.typeVersion);
	const search = nodeType.methods?.listSearch?.[method];
	if (typeof search !== 'function') throw new Error(`The node has no list search "${method}"`);
	return await search.call(context, options.filter, options.paginationToken);
}

/**
 * One poll of a polling trigger, as n8n's active-workflow machinery does it: a PollContext
 * over the workflow with its saved static data, `poll()` through n8n-core's TriggersAndPollers,
 * then (when the poll returned items and `run` is not false) the workflow runs in 'trigger'
 * mode from the trigger node with those items. Static data comes back as n8n would store it:
 * serialized to JSON when the poll changed it, otherwise the same as before.
 * @param {object} workflowJson
 * @param {{ nodes: Record<string, object>, credentials: Record<string, object>, staticData?: object,
 *   node?: string, mode?: string, activation?: string, run?: boolean }} options
 */
async function pollTrigger(workflowJson, options) {
	if (!binaryModeInitialised) await setBinaryMode('memory');
	const nodeTypes = new NodeTypes(options.nodes);
	// What n8n reads back from its database: a fresh copy of the saved JSON.
	const saved = JSON.stringify(options.staticData ?? {});
	const workflow = makeWorkflow(workflowJson, nodeTypes, JSON.parse(saved));
	const node = options.node ? workflow.getNode(options.node) : workflow.getPollNodes()[0];
	if (!node) throw new Error('No polling trigger node in the workflow');
	const mode = options.mode ?? 'trigger';
	const additionalData = makeAdditionalData(options.credentials);
	const context = new core.PollContext(workflow, node, additionalData, mode, options.activation ?? (mode === 'manual' ? 'manual' : 'trigger'));
	const response = await Container.get(core.TriggersAndPollers).runPollFunction(workflow, node, context);
	const staticDataChanged = workflow.staticData.__dataChanged === true;
	const staticData = JSON.parse(staticDataChanged ? JSON.stringify(workflow.staticData) : saved);
	let run;
	if (response && options.run !== false) {
		run = await runWorkflow(workflowJson, {
			...options,
			nodeTypes,
			mode,
			startNode: node.name,
			startData: { main: response },
			staticData,
		});
	}
	return { response, items: response?.[0] ?? [], staticData, staticDataChanged, run };
}

/** What n8n's webhook server does to a request before the Webhook node sees it. */
async function prepareWebhookRequest(req, url) {
	req.query = Object.fromEntries(url.searchParams);
	req.params = {};
	req.ip = '127.0.0.1';
	req.ips = [];
	req.contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() || undefined;
	const disposition = req.headers['content-disposition'];
	if (disposition) {
		const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
		if (match) req.contentDisposition = { type: disposition.split(';')[0].trim(), filename: decodeURIComponent(match[1]) };
	}
	const readAll = async () => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		return Buffer.concat(chunks);
	};
	req.readRawBody = async () => {
		req.rawBody ??= await readAll();
	};
	if (req.contentType === 'multipart/form-data') {
		// n8n parses forms with formidable: fields in `data`, files saved to temporary paths in `files`.
		const form = await new Request(url, { method: req.method, headers: req.headers, body: req, duplex: 'half' }).formData();
		const data = {};
		const files = {};
		for (const [name, value] of form.entries()) {
			const target = typeof value === 'string' ? data : files;
			let entry = value;
			if (typeof value !== 'string') {
				const filepath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-webhook-')), 'upload');
				fs.writeFileSync(filepath, Buffer.from(await value.arrayBuffer()));
				entry = { filepath, originalFilename: value.name, newFilename: path.basename(filepath), mimetype: value.type || 'application/octet-stream', size: value.size };
			}
			target[name] = name in target ? [].concat(target[name], entry) : entry;
		}
		req.body = { data, files };
	} else if (req.contentType === 'application/json' || req.contentType?.endsWith('+json')) {
		const raw = await readAll();
		req.rawBody = raw;
		req.body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
	} else if (req.contentType === 'application/x-www-form-urlencoded') {
		const raw = await readAll();
		req.rawBody = raw;
		req.body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
	} else if (req.contentType?.startsWith('text/')) {
		const raw = await readAll();
		req.rawBody = raw;
		req.body = raw.toString('utf8');
	}
	// Any other body (a file sent as-is) stays unread: the Webhook node streams it to a binary.
}

/** Writes what Respond to Webhook handed over ({ body, headers, statusCode }) to the HTTP response. */
async function writeWebhookResponse(res, response) {
	if (res.headersSent) return;
	const headers = { ...(response.headers ?? {}) };
	let body = response.body;
	if (body && typeof body === 'object' && body.binaryData) {
		body = await Container.get(core.BinaryDataService).getAsStream(body.binaryData.id);
	}
	if (body && typeof body.pipe === 'function') {
		res.writeHead(response.statusCode ?? 200, headers);
		body.pipe(res);
		return;
	}
	if (!Buffer.isBuffer(body) && typeof body !== 'string') {
		body = JSON.stringify(body ?? {});
		headers['content-type'] ??= 'application/json; charset=utf-8';
	}
	res.writeHead(response.statusCode ?? 200, headers);
	res.end(body);
}

/**
 * Serves a workflow's Webhook nodes on a loopback port, the way n8n's production webhook URL
 * (`/webhook/<path>`) does: the request is prepared as n8n's server prepares it, the real Webhook
 * node's `webhook()` turns it into the first item (files into binaries), the workflow runs through
 * WorkflowExecute in 'webhook' mode, and the response is the one Respond to Webhook sends
 * ("Using 'Respond to Webhook' Node"), the last node's first item ("When Last Node Finishes"),
 * or an immediate acknowledgement ("Immediately").
 * Resolves with `{ url(path), runs, close() }`; `runs` collects each request's WorkflowRun.
 */
async function serveWebhooks(workflowJson, options) {
	if (!binaryModeInitialised) await setBinaryMode('memory');
	const http = require('node:http');
	const nodeTypes = new NodeTypes(options.nodes);
	const runs = [];
	const pending = new Set();

	async function handle(req, res) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const webhookPath = decodeURIComponent(url.pathname.replace(/^\/webhook\//, ''));
		const webhookNode = workflowJson.nodes.find(
			(node) =>
				node.type === 'n8n-nodes-base.webhook' &&
				!node.disabled &&
				node.parameters.path === webhookPath &&
				(node.parameters.httpMethod ?? 'GET') === req.method,
		);
		if (!webhookNode) {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: `The requested webhook "${req.method} ${webhookPath}" is not registered.` }));
			return;
		}
		await prepareWebhookRequest(req, url);

		const workflow = makeWorkflow(workflowJson, nodeTypes, options.staticData);
		const node = workflow.getNode(webhookNode.name);
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const additionalData = makeAdditionalData(options.credentials);
		additionalData.httpRequest = req;
		additionalData.httpResponse = res;
		additionalData.executionId = newExecutionId();
		const webhookData = {
			httpMethod: req.method,
			node: node.name,
			path: webhookPath,
			webhookDescription: nodeType.description.webhooks[0],
			workflowId: workflow.id,
			isTest: false,
		};
		const context = new core.WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
		const result = workflowLib.isNodeClassInstance?.(nodeType)
			? await nodeType.webhook(context)
			: await nodeType.webhook.call(context);
		if (result.noWebhookResponse) return;
		if (!result.workflowData) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'Workflow was started' }));
			return;
		}

		const responseMode = node.parameters.responseMode ?? 'onReceived';
		if (responseMode === 'onReceived') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'Workflow was started' }));
		}
		const responded = [];
		const run = await runWorkflow(workflowJson, {
			...options,
			nodeTypes,
			mode: 'webhook',
			startNode: node.name,
			startData: { main: result.workflowData },
			onResponse: (response) => responded.push(writeWebhookResponse(res, response)),
		});
		runs.push(run);
		await Promise.all(responded);
		if (res.headersSent) return;
		if (responseMode === 'lastNode' && !run.error) {
			const lastNode = run.run.data.resultData.lastNodeExecuted;
			await writeWebhookResponse(res, { body: run.output(lastNode)?.[0]?.json ?? {} });
			return;
		}
		const message = run.error?.message ?? 'The workflow finished without sending a response';
		res.writeHead(500, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ code: 0, message }));
	}

	const server = http.createServer((req, res) => {
		const work = handle(req, res)
			.catch((error) => {
				if (!res.headersSent) {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ message: error.message }));
				}
			})
			.finally(() => pending.delete(work));
		pending.add(work);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: (webhookPath) => `http://127.0.0.1:${port}/webhook/${webhookPath}`,
		runs,
		async close() {
			await Promise.all(pending);
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

class WorkflowRun {
	constructor(run, workflow) {
		this.run = run;
		this.workflow = workflow;
		this.runData = run.data.resultData.runData;
		this.error = run.data.resultData.error;
	}

	/** Output items of a node's last run (first output). */
	output(nodeName) {
		const runs = this.runData[nodeName];
		if (!runs || runs.length === 0) return undefined;
		const last = runs[runs.length - 1];
		if (last.error) return undefined;
		return last.data?.main?.[0] ?? [];
	}

	/** Items a node sent to its error output ("On Error: Continue (using error output)"). */
	errorOutput(nodeName) {
		const runs = this.runData[nodeName];
		if (!runs || runs.length === 0) return undefined;
		const last = runs[runs.length - 1];
		if (last.error) return undefined;
		return last.data?.main?.[1] ?? [];
	}

	/** The error a node raised, if any. */
	nodeError(nodeName) {
		const runs = this.runData[nodeName];
		return runs?.[runs.length - 1]?.error;
	}
}

/** Reads a binary back as a Buffer, whichever mode stored it. */
async function binaryToBuffer(binary) {
	if (binary.id) {
		const stream = await Container.get(core.BinaryDataService).getAsStream(binary.id);
		const chunks = [];
		for await (const chunk of stream) chunks.push(chunk);
		return Buffer.concat(chunks);
	}
	return Buffer.from(binary.data, 'base64');
}

/** Stores bytes (or a stream) as an n8n binary in the current mode, as an upstream node would. */
async function makeBinary(content, fileName, mimeType) {
	const service = Container.get(core.BinaryDataService);
	const binary = { data: '', mimeType: mimeType ?? 'application/octet-stream', fileName, fileExtension: path.extname(fileName).slice(1) || undefined };
	return await service.store({ type: 'execution', workflowId: 'test', executionId: 'input' }, content, binary);
}

module.exports = { runWorkflow, listSearch, pollTrigger, serveWebhooks, setBinaryMode, databaseManagerInUse, binaryToBuffer, makeBinary, WorkflowRun, PACKAGE_PREFIX };
