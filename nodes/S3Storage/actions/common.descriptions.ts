import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_LIMIT } from '../helpers/utils';

/** Wherever a bucket is chosen: pick from the account's buckets, or type its name. */
export const bucketLocator: INodeProperties = {
	displayName: 'Bucket',
	name: 'bucket',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description: 'The bucket to work in. Leave empty to use the credential\'s default bucket.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a bucket...',
			typeOptions: { searchListMethod: 'searchBuckets', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. my-bucket',
		},
	],
};

/** Shown to nodes saved at version 1 or 2: the plain text fields they were saved with. */
const TYPED_VERSIONS: IDisplayOptions['show'] = { '@version': [1, 2] };
/** Shown from version 3 on: the same fields as resource locators (pick from a list or type). */
const PICKER_VERSIONS: IDisplayOptions['show'] = { '@version': [{ _cnd: { gte: 3 } }] };

/** Adds `show` conditions to a field's own display options. */
function withShow(field: INodeProperties, show: IDisplayOptions['show']): INodeProperties['displayOptions'] {
	return { ...field.displayOptions, show: { ...field.displayOptions?.show, ...show } };
}

export interface PickerSpec {
	/** The list search that fills "From List". */
	searchListMethod: 'searchObjectKeys' | 'searchFolders';
	/** The typed mode: "By Key" for objects, "By Path" for folders. */
	typedMode: { name: 'key' | 'path'; displayName: string };
	/** Which mode a new node opens in: the list where the object or folder already exists, the typed mode where it may not. */
	defaultMode: 'list' | 'key' | 'path';
	listPlaceholder: string;
}

export const objectKeyPicker: PickerSpec = {
	searchListMethod: 'searchObjectKeys',
	typedMode: { name: 'key', displayName: 'By Key' },
	defaultMode: 'list',
	listPlaceholder: 'Select an object (type a path to look inside a folder)...',
};

export const folderPicker: PickerSpec = {
	searchListMethod: 'searchFolders',
	typedMode: { name: 'path', displayName: 'By Path' },
	defaultMode: 'list',
	listPlaceholder: 'Select a folder (type a path to look inside a folder)...',
};

/**
 * A key or folder field in both shapes: exactly as saved by versions 1 and 2 (text), and from
 * version 3 as a resource locator of the same name with "From List" and a typed mode. Both keep
 * the field's name, so the operations read either with one helper (utils.getLocatorText).
 */
export function versionedPicker(field: INodeProperties, picker: PickerSpec): INodeProperties[] {
	const locator: INodeProperties = {
		...field,
		type: 'resourceLocator',
		default: { mode: picker.defaultMode, value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: picker.listPlaceholder,
				typeOptions: { searchListMethod: picker.searchListMethod, searchable: true },
			},
			{ displayName: picker.typedMode.displayName, name: picker.typedMode.name, type: 'string', placeholder: field.placeholder },
		],
		displayOptions: withShow(field, PICKER_VERSIONS),
	};
	// The placeholder belongs to the typed mode; a locator has no text options of its own.
	delete locator.placeholder;
	delete locator.typeOptions;
	return [{ ...field, displayOptions: withShow(field, TYPED_VERSIONS) }, locator];
}

/** The key of an object that exists: text in versions 1 and 2, a picker from version 3. */
export function objectKeyFields(displayOptions?: IDisplayOptions): INodeProperties[] {
	return versionedPicker(
		{
			displayName: 'Key',
			name: 'key',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. reports/2024/summary.csv',
			description: 'The object\'s full key, including any folder prefix',
			...(displayOptions ? { displayOptions } : {}),
		},
		objectKeyPicker,
	);
}

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	default: DEFAULT_LIMIT,
	typeOptions: { minValue: 1 },
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/**
 * Items in flight when Concurrency is not set. Over a real network an item mostly waits for round
 * trips, so 8 left a distant server idle (issue 17: 1,000 x 4 KiB uploads through a 20 ms round
 * trip went faster at 16 and 32 than at 8). 16 is the usual choice of bulk copy tools and, with
 * Upload's byte bound, holds no more memory than 8 did. A workflow saved with a Concurrency keeps
 * it: n8n stores an option the user added, even at the default.
 */
export const DEFAULT_CONCURRENCY = 16;

/** How many items run at once; kept in each operation's Options so it sits with the rest. */
export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 1, maxValue: 64 },
	description:
		'How many input items are processed at the same time. Output order is always the input order. A higher value helps with a distant server and many small files; memory grows with it: up to this many small files at once, and for a large upload its parts in flight x part size.',
};

/** The version of one object an operation works on (versioned buckets); empty means the current one. */
export const versionIdOption: INodeProperties = {
	displayName: 'Version ID',
	name: 'versionId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
	description: 'A specific version of the object (versioned buckets; see Get Many Versions). Leave empty for the current version.',
};

/** Where a download puts the file: the name of the output item's binary field. */
export const binaryOutputField: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	placeholder: 'e.g. data',
	hint: 'The name of the output binary field to put the file in',
};

/** An operation's "Options" collection; `options` are its optional fields, alphabetically by display name. */
export function optionsCollection(options: INodeProperties[], displayOptions?: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		...(displayOptions ? { displayOptions } : {}),
		options,
	};
}
