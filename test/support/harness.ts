/**
 * Runs this package's node inside real n8n workflows (n8n-core's WorkflowExecute), fed by a
 * tiny "Input" node that passes on the items a test gives it.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IExecuteFunctions } from 'n8n-workflow';

import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import { recordCompat } from './compat';
import * as engine from './engine';
import type { WorkflowRun } from './engine';
import { credentialFor, getTarget } from './target';

export type { BinaryMode, BinaryModeOptions, WorkflowRun } from './engine';
export const { setBinaryMode, binaryToBuffer, makeBinary, databaseManagerInUse } = engine;

class PassThroughInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Input',
		name: 'input',
		group: ['input'],
		version: 1,
		description: 'Passes on the items the test put on its input',
		defaults: { name: 'Input' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export const S3_NODE_TYPE = 'n8n-nodes-s3-storage.s3Storage';

const nodeInstances = { s3Storage: new S3Storage(), 'test.input': new PassThroughInput() };

/** n8n's "On Error" setting of a node. */
export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface NodeStep {
	name?: string;
	parameters: IDataObject;
	/** Shorthand for `onError: 'continueRegularOutput'`. */
	continueOnFail?: boolean;
	onError?: OnError;
	/** The node's version as saved in the workflow; 1 unless told, so every test is also a saved version-1 workflow. */
	typeVersion?: number;
}

/** The node's "On Error" setting as n8n saves it (absent means Stop Workflow). */
function onErrorOf(step: NodeStep): { onError?: OnError } {
	const onError = step.onError ?? (step.continueOnFail ? 'continueRegularOutput' : undefined);
	return onError && onError !== 'stopWorkflow' ? { onError } : {};
}

export interface RunOptions {
	credential?: IDataObject;
	/**
	 * The server's answers are made up by a test proxy (e.g. Amazon S3's answers to Restore, which
	 * no server here gives): the run proves the node's handling, not the server, so it stays out of
	 * the compatibility matrix.
	 */
	answersFaked?: boolean;
}

/** Items -> Input -> step 1 -> step 2 ... ; returns the run. */
export async function runSteps(
	steps: NodeStep[],
	inputItems: INodeExecutionData[] = [{ json: {} }],
	options: RunOptions & { onStart?: (cancel: () => void) => void } = {},
): Promise<WorkflowRun> {
	const nodes = [
		{ id: 'input', name: 'Input', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} },
		...steps.map((step, index) => ({
			id: `step${index}`,
			name: step.name ?? `S3 ${index + 1}`,
			type: S3_NODE_TYPE,
			typeVersion: step.typeVersion ?? 1,
			position: [200 * (index + 1), 0],
			parameters: step.parameters,
			credentials: { s3StorageApi: { id: '1', name: 'S3' } },
			...onErrorOf(step),
		})),
	];
	const connections: Record<string, object> = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	const credential = options.credential ?? credentialFor(getTarget());
	const run = await engine.runWorkflow(
		{ nodes, connections },
		{
			nodes: nodeInstances,
			credentials: { s3StorageApi: credential },
			startData: { main: [inputItems] },
			onStart: options.onStart,
		},
	);
	if (!options.answersFaked) recordSuccesses(run, nodes.slice(1), credential);
	return run;
}

/** What ran cleanly against this server goes into the compatibility matrix. */
export function recordSuccesses(run: WorkflowRun, steps: Array<{ name: string; parameters: IDataObject }>, credential: IDataObject) {
	if (run.cancelled) return;
	const server = getTarget().server;
	for (const step of steps) {
		const output = run.output(step.name);
		const failedItems = run.errorOutput(step.name)?.length ?? 0;
		if (run.nodeError(step.name) || !output || failedItems > 0 || output.some((item) => item.json.error !== undefined)) continue;
		recordCompat(server, `${String(step.parameters.resource)}.${String(step.parameters.operation)}`);
		recordCompat(server, `credential.${String(credential.authentication ?? 'accessKeys')}`);
	}
}

/** Runs one S3 Storage node and returns its output items, failing the test on a node error. */
export async function runNode(
	parameters: IDataObject,
	inputItems?: INodeExecutionData[],
	options?: RunOptions,
): Promise<INodeExecutionData[]> {
	const run = await runSteps([{ name: 'S3', parameters }], inputItems, options);
	const error = run.nodeError('S3');
	if (error) throw error;
	return run.output('S3') ?? [];
}

/** Runs one S3 Storage node expecting it to fail; returns the node's error. */
export async function runNodeError(
	parameters: IDataObject,
	inputItems?: INodeExecutionData[],
	options?: RunOptions,
) {
	const run = await runSteps([{ name: 'S3', parameters }], inputItems, options);
	const error = run.nodeError('S3');
	if (!error) throw new Error(`Expected the node to fail, but it returned ${JSON.stringify(run.output('S3'))}`);
	return error;
}

/**
 * A list search of the S3 Storage node ("From List" of a resource locator) as the editor runs it
 * while the node has `parameters`; the node is at `typeVersion` (3 unless told).
 */
export async function searchList(
	method: string,
	parameters: IDataObject,
	options: { filter?: string; paginationToken?: string; typeVersion?: number; credential?: IDataObject; path?: string } = {},
) {
	return await engine.listSearch(
		{
			type: S3_NODE_TYPE,
			typeVersion: options.typeVersion ?? 3,
			parameters,
			credentials: { s3StorageApi: { id: '1', name: 'S3' } },
		},
		method,
		{
			nodes: nodeInstances,
			credentials: { s3StorageApi: options.credential ?? credentialFor(getTarget()) },
			filter: options.filter,
			paginationToken: options.paginationToken,
			path: options.path,
		},
	);
}

/** A bucket parameter as the editor stores it ("By Name" mode of the resource locator). */
export function bucketParam(name: string) {
	return { __rl: true, mode: 'name', value: name };
}
