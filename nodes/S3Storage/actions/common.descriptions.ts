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

export const objectKeyField: INodeProperties = {
	displayName: 'Key',
	name: 'key',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. reports/2024/summary.csv',
	description: 'The object\'s full key, including any folder prefix',
};

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
