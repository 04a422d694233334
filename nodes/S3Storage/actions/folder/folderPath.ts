import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertKeyLength, getLocatorText } from '../../helpers/utils';
import { folderPicker, versionedPicker, type PickerSpec } from '../common.descriptions';

/** The folder field of the Folder operations: a key prefix, typed with or without the trailing slash. */
export function folderPathField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Folder',
		name: 'folder',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. reports/2024/',
		description: 'The folder\'s path inside the bucket; a trailing "/" is added if missing',
		...overrides,
	};
}

/** A folder field that picks an existing folder from version 3 on (text in versions 1 and 2). */
export function folderPathFields(overrides: Partial<INodeProperties> = {}, picker: PickerSpec = folderPicker): INodeProperties[] {
	return versionedPicker(folderPathField(overrides), picker);
}

/**
 * Turns what the user typed into the folder's key prefix: no leading slashes, exactly one trailing
 * slash, so "reports" never matches "reports-old/". Empty stays empty (the bucket's root).
 */
export function toFolderPrefix(value: string): string {
	const path = value
		.trim()
		.replace(/^\/+/, '')
		.replace(/\/+$/, '');
	return path ? `${path}/` : '';
}

/** The folder prefix of an item; `field` is the folder field's name in the editor. Empty is the bucket's root. */
export function readFolderPrefix(this: IExecuteFunctions, itemIndex: number, field = 'Folder'): string {
	const prefix = toFolderPrefix(getLocatorText.call(this, 'folder', itemIndex, field));
	assertKeyLength(this.getNode(), prefix, itemIndex, { message: 'The folder path is longer than 1,024 bytes', shorten: 'the path' });
	return prefix;
}

/** The folder prefix of an item, refusing an empty one where that would mean the whole bucket. */
export function getFolderPrefix(this: IExecuteFunctions, itemIndex: number, purpose: string): string {
	const prefix = readFolderPrefix.call(this, itemIndex);
	if (!prefix) {
		throw new NodeOperationError(this.getNode(), `No folder given to ${purpose}`, {
			itemIndex,
			description:
				'Fill in "Folder" with a path such as "reports/2024/". An empty folder would mean the whole bucket; to empty a bucket, use Bucket > Delete with "Delete All Objects First".',
		});
	}
	return prefix;
}
