import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';
import { copyOrMoveObject, copyOrMoveProperties } from './copyOrMove';

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['move'] } }, copyOrMoveProperties('move'));

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	return [{ json: await copyOrMoveObject.call(this, itemIndex, connection, 'move') }];
}
