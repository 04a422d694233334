/**
 * The S3 Storage Trigger in an active workflow, polled the way n8n polls it (PollContext through
 * n8n-core's TriggersAndPollers, static data saved as JSON between polls, the workflow run in
 * 'trigger' mode with what the poll returned). Shared by the trigger-polling*.test.ts files.
 */
import type { IDataObject } from 'n8n-workflow';

import { S3StorageTrigger } from '../../nodes/S3StorageTrigger/S3StorageTrigger.node';
import { isTrackerState } from '../../nodes/S3StorageTrigger/tracker';
import { recordCompat } from './compat';
import * as engine from './engine';
import type { PollResult } from './engine';
import { bucketParam } from './harness';
import { credentialFor, getTarget } from './target';

export const TRIGGER = 'S3 Storage Trigger';
export const triggerNodes = { s3StorageTrigger: new S3StorageTrigger() };
export const triggerCredentials = (overrides: IDataObject = {}) => ({ s3StorageApi: credentialFor(getTarget(), overrides) });

export function triggerWorkflow(bucket: string, parameters: IDataObject = {}) {
	return {
		name: 'trigger test',
		nodes: [
			{
				id: 'trigger',
				name: TRIGGER,
				type: 'n8n-nodes-s3-storage.s3StorageTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, bucket: bucketParam(bucket), ...parameters },
				credentials: { s3StorageApi: { id: '1', name: 'S3' } },
			},
			{ id: 'next', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * A workflow that is active: each `poll()` starts from the static data n8n saved after the
 * previous one (as JSON text, the way it sits in n8n's database).
 */
export class ActiveWorkflow {
	saved = '{}';
	polls = 0;

	constructor(readonly workflow: ReturnType<typeof triggerWorkflow>) {}

	async poll(activation = this.polls === 0 ? 'activate' : 'trigger'): Promise<PollResult> {
		const result = await engine.pollTrigger(this.workflow, {
			nodes: triggerNodes,
			credentials: triggerCredentials(),
			staticData: JSON.parse(this.saved),
			activation,
		});
		this.polls += 1;
		if (result.items.length > 0) recordCompat(getTarget().server, 'trigger.objectEmitted');
		if (result.staticDataChanged) this.saved = JSON.stringify(result.staticData);
		if (result.response) {
			// What the trigger emitted went on through the workflow.
			expect(result.run?.error).toBeUndefined();
			expect(result.run?.output('Received')?.map((item) => item.json.key)).toEqual(result.items.map((item) => item.json.key));
		}
		return result;
	}

	async keys(): Promise<string[]> {
		return (await this.poll()).items.map((item) => String(item.json.key));
	}

	/** The node's static data as n8n stored it. */
	staticData(): IDataObject {
		return (JSON.parse(this.saved) as Record<string, IDataObject>)[`node:${TRIGGER}`] ?? {};
	}

	state() {
		const state = this.staticData().state;
		expect(isTrackerState(state)).toBe(true);
		return state as unknown as { floor: number; seen: string; names?: string[] };
	}
}
