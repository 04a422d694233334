import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { copyProperties, executeCopy } from '../../helpers/copyObject';
import { updateDisplayOptions } from '../../helpers/utils';
import type { S3Connection } from '../../transport';

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['move'] } }, copyProperties('move'));

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	return [{ json: await executeCopy.call(this, itemIndex, connection, 'move') }];
}
