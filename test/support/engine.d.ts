/** Types for engine.js (plain JavaScript so tools/demo.js and the benchmark run it with node). */
import type { IDataObject, INodeExecutionData, INodeListSearchResult } from 'n8n-workflow';

/** Where n8n keeps binaries: 'database' is n8n 2.x's default in queue mode, 'filesystem' in regular mode. */
export type BinaryMode = 'memory' | 'filesystem' | 'database';

export interface BinaryModeOptions {
	/** The workflow setting: 'combined' moves every binary into `json._files`. */
	workflowBinaryMode?: 'separate' | 'combined';
	/** `database` mode's per-file limit (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, MiB; default 512). */
	databaseMaxFileSizeMiB?: number;
}

/** A finished run (or `{ cancelled: true, error }` when it was cancelled). */
export interface WorkflowRun {
	runData: Record<string, Array<{ error?: Error & { description?: string }; data?: { main: INodeExecutionData[][] } }>>;
	error?: Error;
	cancelled?: boolean;
	/** Output items of a node's last run (first output). */
	output(nodeName: string): INodeExecutionData[] | undefined;
	/** Items a node sent to its error output ("On Error: Continue (using error output)"). */
	errorOutput(nodeName: string): INodeExecutionData[] | undefined;
	nodeError(nodeName: string): (Error & { description?: string; httpCode?: string }) | undefined;
}

/** An exported workflow: nodes and connections. */
export type WorkflowJson = object;

export interface RunOptions {
	/** Node instances by type name without the package prefix (e.g. `s3Storage`). */
	nodes?: Record<string, object>;
	credentials?: Record<string, IDataObject>;
	staticData?: IDataObject;
	startData?: { main: INodeExecutionData[][] };
	mode?: string;
	startNode?: string;
	onResponse?: (response: object) => void;
	onStart?: (cancel: () => void) => void;
}

export interface PollOptions extends RunOptions {
	/** The trigger node's name (default: the workflow's first polling node). */
	node?: string;
	activation?: string;
	/** false: poll only, do not run the workflow with what the poll returned. */
	run?: boolean;
}

export interface PollResult {
	response: INodeExecutionData[][] | null;
	items: INodeExecutionData[];
	/** As n8n would store it: serialized when the poll changed it. */
	staticData: IDataObject;
	staticDataChanged: boolean;
	run?: WorkflowRun;
}

export interface WebhookServer {
	url(path: string): string;
	runs: WorkflowRun[];
	close(): Promise<void>;
}

export const PACKAGE_PREFIX: string;
export function runWorkflow(workflow: WorkflowJson, options: RunOptions): Promise<WorkflowRun>;
export interface ListSearchOptions extends RunOptions {
	/** What the user typed into the list's search box. */
	filter?: string;
	/** The previous page's `paginationToken`. */
	paginationToken?: string;
	/** The field's path, e.g. "parameters.key". */
	path?: string;
}
export function listSearch(
	node: { name?: string; type: string; typeVersion: number; parameters: IDataObject; credentials?: IDataObject },
	method: string,
	options: ListSearchOptions,
): Promise<INodeListSearchResult>;
export function pollTrigger(workflow: WorkflowJson, options: PollOptions): Promise<PollResult>;
export function serveWebhooks(workflow: WorkflowJson, options: RunOptions): Promise<WebhookServer>;
export function setBinaryMode(mode: BinaryMode, options?: BinaryModeOptions): Promise<void>;
/** Where the engine's `database` mode manager comes from (see DatabaseBinaryManager in engine.js). */
export function databaseManagerInUse(): string | undefined;
export function binaryToBuffer(binary: object): Promise<Buffer>;
export function makeBinary(content: Buffer | NodeJS.ReadableStream, fileName: string, mimeType?: string): Promise<IDataObject>;
