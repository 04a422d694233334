/**
 * Parameters read once per execution where n8n allows it. A parameter whose saved value holds no
 * expression (no string starting with "=" at any depth) resolves to the same value for every item,
 * so it is resolved once, by getNodeParameter itself (defaults, resource locator values and n8n's
 * validation exactly as n8n does them), and that one frozen value serves every item. A parameter
 * with an expression is still resolved per item. Measured on 1,000 small uploads: about five
 * getNodeParameter calls per item (n8n's expression context, luxon's time zones) were ~11 % of the
 * node's CPU; `getNode()` deep-copies the node on every call, so the node is copied once here too.
 */
import type { IExecuteFunctions, INode, INodeParameters, NodeParameterValueType } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { S3Connection } from '../transport';
import { assertKeyLength, resolveBucket, textOf } from './utils';

export interface ReadOptions {
	/** A resource locator's value rather than the locator (getNodeParameter's `extractValue`). */
	extractValue?: boolean;
}

/** Whether a saved parameter value holds an expression anywhere in it. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.charAt(0) === '=';
	if (value === null || typeof value !== 'object') return false;
	const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
	return children.some(holdsExpression);
}

/** The raw value at a dotted path ("options.folder") of the node's saved parameters. */
function rawValueAt(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const step of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[step];
	}
	return value;
}

/** Shared by every item, so no item may change it for the next one. */
function deepFreeze<T>(value: T): T {
	if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) deepFreeze(child);
	}
	return value;
}

export class ExecutionParameters {
	/** The node, copied once for this execution. */
	readonly node: INode;
	private readonly constant = new Map<string, boolean>();
	private readonly resolved = new Map<string, unknown>();

	constructor(private readonly context: IExecuteFunctions) {
		this.node = context.getNode();
	}

	/** Whether `name` resolves to the same value for every item (no expression in its saved value). */
	isConstant(name: string): boolean {
		let constant = this.constant.get(name);
		if (constant === undefined) {
			constant = !holdsExpression(rawValueAt(this.node.parameters, name));
			this.constant.set(name, constant);
		}
		return constant;
	}

	/**
	 * What `getNodeParameter(name, itemIndex, fallback, options)` returns for this item. A constant
	 * value is frozen: copy it before changing it. A failure is not kept: each item meets it itself,
	 * under its own item number.
	 */
	get<T = NodeParameterValueType>(name: string, itemIndex: number, fallback?: unknown, options: ReadOptions = {}): T {
		const read = () => this.context.getNodeParameter(name, itemIndex, fallback, options.extractValue ? { extractValue: true } : undefined) as T;
		if (!this.isConstant(name)) return read();
		// The fallback is only used where nothing is saved; it is part of what was asked all the same.
		const cacheKey = `${name}\u0000${options.extractValue ? 1 : 0}\u0000${typeof fallback}:${JSON.stringify(fallback) ?? ''}`;
		if (this.resolved.has(cacheKey)) return this.resolved.get(cacheKey) as T;
		const value = deepFreeze(read());
		this.resolved.set(cacheKey, value);
		return value;
	}

	/** A text parameter of an item (see utils.getText): numbers become their digits, other types are refused naming `field`. */
	text(name: string, itemIndex: number, field: string): string {
		return textOf(this.node, this.get(name, itemIndex, ''), field, itemIndex);
	}

	/** The bucket an item works on (see utils.getBucket): the field's value, or the credential's default bucket. */
	bucket(connection: S3Connection, itemIndex: number, name = 'bucket', field = 'Bucket'): string {
		const value = this.get(name, itemIndex, '', { extractValue: true });
		return resolveBucket(this.node, value, connection.defaultBucket, 'node', itemIndex, field);
	}

	/** A key or folder field's text, of a resource locator or plain text alike (see utils.getLocatorText). */
	locatorText(name: string, itemIndex: number, field: string): string {
		return textOf(this.node, this.get(name, itemIndex, '', { extractValue: true }), field, itemIndex);
	}

	/** An object key (see utils.getKey): not empty, at most 1,024 bytes. */
	key(itemIndex: number, name = 'key', field = 'Key'): string {
		const key = this.locatorText(name, itemIndex, field);
		if (key === '') {
			// Worded as utils.getKey words it.
			throw new NodeOperationError(this.node, 'No object key given', {
				itemIndex,
				description: `Fill in "${field}" with the object's full key, e.g. "reports/2024/summary.csv".`,
			});
		}
		assertKeyLength(this.node, key, itemIndex);
		return key;
	}

	/** A version ID option (empty or blank: the current version). */
	versionId(itemIndex: number, optionName = 'versionId', field = 'Version ID'): string | undefined {
		return this.text(`options.${optionName}`, itemIndex, field).trim() || undefined;
	}
}

const executions = new WeakMap<IExecuteFunctions, ExecutionParameters>();

/**
 * The parameters of this execution. n8n gives each run of the node its own context object, so the
 * context is the execution's identity: a later run (a new context) reads the parameters afresh.
 */
export function parametersOf(context: IExecuteFunctions): ExecutionParameters {
	let parameters = executions.get(context);
	if (!parameters) {
		parameters = new ExecutionParameters(context);
		executions.set(context, parameters);
	}
	return parameters;
}
