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
/**
 * Chooses where binary data lives: 'filesystem' (n8n 2.x's default: files on disk, streamed)
 * or 'memory' (base64 inside the items).
 */
async function setBinaryMode(mode) {
	const service = Container.get(core.BinaryDataService);
	const config = service.config;
	if (mode === 'filesystem') {
		config.mode = 'filesystem';
		config.localStoragePath ??= path.join(process.env.N8N_USER_FOLDER, 'binary');
		fs.mkdirSync(config.localStoragePath, { recursive: true });
	} else {
		config.mode = 'default';
	}
	await service.init();
	binaryModeInitialised = mode;
}

/**
 * Runs one workflow (an exported workflow JSON: nodes and connections) and resolves with its run.
 * @param {object} workflowJson
 * @param {{ nodes: Record<string, object>, credentials: Record<string, object>, staticData?: object, onStart?: (cancel: () => void) => void }} options
 */
async function runWorkflow(workflowJson, options) {
	if (!binaryModeInitialised) await setBinaryMode('memory');
	const nodeTypes = new NodeTypes(options.nodes);
	const workflow = new workflowLib.Workflow({
		id: workflowJson.id ?? 'test',
		name: workflowJson.name ?? 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		staticData: options.staticData ?? {},
		settings: workflowJson.settings ?? {},
	});
	const start =
		workflowJson.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger') ??
		workflowJson.nodes.find((node) => !Object.values(workflowJson.connections).some((c) => JSON.stringify(c).includes(`"node":"${node.name}"`)));

	const executionId = String(Date.now()) + Math.random().toString(16).slice(2, 6);
	const workflowData = { id: workflow.id, name: workflow.name, nodes: workflowJson.nodes, connections: workflowJson.connections, active: false, settings: {}, createdAt: new Date(), updatedAt: new Date(), isArchived: false, activeVersionId: null };
	const hooks = new core.ExecutionLifecycleHooks('manual', executionId, workflowData);
	const base = 'http://127.0.0.1:5678';
	const additionalData = {
		credentialsHelper: new CredentialsHelper(options.credentials ?? {}),
		hooks,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used here');
		},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		variables: {},
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		setExecutionStatus: () => {},
		logAiEvent: () => {},
	};
	const startData = options.startData ?? { main: [[{ json: {} }]] };
	const runExecutionData = workflowLib.createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: start, data: startData, source: null }] },
	});
	const execute = new core.WorkflowExecute(additionalData, 'manual', runExecutionData);
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

module.exports = { runWorkflow, setBinaryMode, binaryToBuffer, makeBinary, WorkflowRun, PACKAGE_PREFIX };
