import type { INodeProperties } from 'n8n-workflow';

import { storageClassOption } from './object/writeOptions.descriptions';

/**
 * The "Filters" of the listing operations (Object > Get Many, Folder > Get Many, Folder > Delete).
 * Parsed in one place: helpers/listingFilter.ts. Field names are saved in workflows: keep them.
 */
export function filtersCollection(what: string): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description: `Only ${what} objects that match every filter set here. Folders (grouped keys) have no size or date, so they are left out while a filter is set.`,
		options: [
			{
				displayName: 'Key Pattern',
				name: 'keyPattern',
				type: 'string',
				default: '',
				placeholder: 'e.g. reports/**/2024-*.json',
				description:
					'Glob: * is any text without "/", ** any text including "/", ? one character, {a,b} either, [abc] one of; a leading ! inverts it. A glob without "/" (e.g. *.csv) is matched against the file name in any folder, one with "/" against the whole key; text before the first wildcard narrows the listing. A regular expression is searched for in the whole key (anchor it with ^ and $).',
			},
			{
				displayName: 'Modified After',
				name: 'modifiedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only objects last modified after this moment. Without a time zone, the workflow\'s time zone is used.',
			},
			{
				displayName: 'Modified Before',
				name: 'modifiedBefore',
				type: 'dateTime',
				default: '',
				description: 'Only objects last modified before this moment. Without a time zone, the workflow\'s time zone is used.',
			},
			{
				displayName: 'Newer Than (Days)',
				name: 'newerThanDays',
				type: 'number',
				default: 7,
				typeOptions: { minValue: 0 },
				description: 'Only objects last modified less than this many days before the node runs, e.g. 7 for the last week',
			},
			{
				displayName: 'Older Than (Days)',
				name: 'olderThanDays',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 0 },
				description:
					'Only objects last modified more than this many days before the node runs, e.g. 30. Days are 24 hours counted from now; fractions are allowed.',
			},
			{
				displayName: 'Pattern Type',
				name: 'patternType',
				type: 'options',
				default: 'glob',
				description: 'How "Key Pattern" is read',
				options: [
					{ name: 'Glob', value: 'glob', description: 'Wildcards such as *.csv or logs/**/2024-*.gz' },
					{ name: 'Regular Expression', value: 'regex', description: 'A JavaScript regular expression such as ^logs/\\d{4}/' },
				],
			},
			{
				displayName: 'Size At Least (Bytes)',
				name: 'sizeAtLeast',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Only objects of at least this many bytes (1 MiB = 1,048,576)',
			},
			{
				displayName: 'Size At Most (Bytes)',
				name: 'sizeAtMost',
				type: 'number',
				default: 1048576,
				typeOptions: { minValue: 0 },
				description: 'Only objects of at most this many bytes (1 MiB = 1,048,576)',
			},
			{
				displayName: 'Storage Class',
				name: 'storageClasses',
				type: 'multiOptions',
				default: [],
				description: 'Only objects stored in one of these classes. Stores that report no class count as Standard.',
				options: storageClassOption.options,
			},
		],
	};
}
