import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { binariesOf } from '../../helpers/binaryFields';
import { chooseContentType, contentTypeOfKey, decodeBase64, parseList, underFolder } from '../../helpers/objectData';
import { binarySourceOf, type BinarySource } from '../../helpers/binarySource';
import { assertKeyLength, compact, describeType, getBucket, getText, updateDisplayOptions } from '../../helpers/utils';
import { writeParams, type WriteOptions } from '../../helpers/writeOptions';
import { DEFAULT_PART_SIZE, runPool, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';
import {
	aclOption,
	cacheControlOption,
	contentDispositionOption,
	doNotOverwriteOption,
	kmsKeyIdOption,
	metadataOption,
	serverSideEncryptionOption,
	storageClassOption,
	tagsOption,
} from './writeOptions.descriptions';
import { customerKeyOption } from './customerKey.descriptions';

/** Objects of one item uploaded at the same time. */
const UPLOADS_IN_FLIGHT = 4;

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Data Source',
		name: 'dataSource',
		type: 'options',
		default: 'lists',
		description: 'Where the objects come from. Every object becomes one output item.',
		options: [
			{
				name: 'Lists of Names and Base64 Data',
				value: 'lists',
				description: 'A list of object names and a list of base64 data of the same length',
			},
			{ name: 'All Binary Fields', value: 'binary', description: 'Every binary field of the item, each under its file name' },
		],
	},
	{
		displayName: 'Object Names',
		name: 'objectNames',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ["a.png", "b.png"] or {{ $json.names }}',
		description: 'The keys to upload to: a JSON array, one name per line, or an expression returning an array',
		displayOptions: { show: { dataSource: ['lists'] } },
	},
	{
		displayName: 'Base64 Data List',
		name: 'base64DataList',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ["aGVsbG8=", "d29ybGQ="] or {{ $json.files }}',
		description:
			'The contents, base64-encoded, in the same order as the names: a JSON array or an expression returning an array. Data URLs are accepted.',
		displayOptions: { show: { dataSource: ['lists'] } },
	},
	optionsCollection([
		aclOption,
		cacheControlOption,
		concurrencyOption,
		contentDispositionOption,
		{
			displayName: 'Content Type',
			name: 'contentType',
			type: 'string',
			default: '',
			placeholder: 'e.g. image/png',
			description:
				'The MIME type stored with every object. Defaults to each binary\'s (or data URL\'s) type, then to the type each key\'s extension suggests.',
		},
		customerKeyOption,
		doNotOverwriteOption,
		{
			displayName: 'Folder',
			name: 'folder',
			type: 'string',
			default: '',
			placeholder: 'e.g. uploads/2024',
			description: 'Prefix put in front of every object name, joined with a "/"',
		},
		kmsKeyIdOption,
		metadataOption,
		serverSideEncryptionOption,
		storageClassOption,
		tagsOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['object'], operation: ['uploadMany'] } }, properties);

interface UploadManyOptions extends WriteOptions {
	/** Read as text by the operation (see `execute`). */
	contentType: string;
	folder: string;
}

interface PlannedObject {
	key: string;
	contentType: string;
	size: number;
	body: BinarySource['open'];
}

function planFromLists(this: IExecuteFunctions, itemIndex: number, options: UploadManyOptions): PlannedObject[] {
	const names = parseList.call(this, this.getNodeParameter('objectNames', itemIndex, ''), itemIndex, 'Object Names', { lines: true });
	const data = parseList.call(this, this.getNodeParameter('base64DataList', itemIndex, ''), itemIndex, 'Base64 Data List');
	if (names.length !== data.length) {
		throw new NodeOperationError(
			this.getNode(),
			`The lists have different lengths: ${names.length} object name${names.length === 1 ? '' : 's'} but ${data.length} base64 data entr${data.length === 1 ? 'y' : 'ies'} (item ${itemIndex})`,
			{ itemIndex, description: 'Give one base64 data entry for each object name, in the same order.' },
		);
	}
	if (names.length === 0) {
		throw new NodeOperationError(this.getNode(), `No objects to upload for item ${itemIndex}: both lists are empty`, {
			itemIndex,
			description: 'Fill in "Object Names" and "Base64 Data List", e.g. ["a.txt"] and ["aGVsbG8="].',
		});
	}
	// Two entries for one key would both be uploaded, and which one survives would be a race.
	const entryOfKey = new Map<string, number>();
	return names.map((entry, index) => {
		const name = typeof entry === 'number' && Number.isFinite(entry) ? String(entry) : entry;
		if (typeof name !== 'string' || name.trim() === '') {
			const what = typeof name === 'string' ? 'empty' : `${describeType(name)}, not text`;
			throw new NodeOperationError(this.getNode(), `Object name ${index + 1} of item ${itemIndex} is ${what}`, {
				itemIndex,
				description: 'Every entry of "Object Names" must be a key such as "photos/a.png". If an expression builds the list, map it to text, e.g. {{ $json.files.map(file => file.name) }}.',
			});
		}
		const key = underFolder(options.folder, name);
		const earlier = entryOfKey.get(key);
		if (earlier !== undefined) {
			throw new NodeOperationError(
				this.getNode(),
				`Object names ${earlier + 1} and ${index + 1} of item ${itemIndex} would both upload to "${key}"`,
				{
					itemIndex,
					description: 'Give every object its own name: two uploads to one key overwrite each other, and which one is kept is a matter of chance.',
				},
			);
		}
		entryOfKey.set(key, index);
		const decoded = decodeBase64.call(this, data[index], itemIndex, `Base64 data entry ${index + 1} ("${name}")`);
		return {
			key,
			contentType: chooseContentType(options.contentType, decoded.mimeType, contentTypeOfKey(key)),
			size: decoded.data.length,
			body: async () => decoded.data,
		};
	});
}

async function planFromBinaries(this: IExecuteFunctions, itemIndex: number, options: UploadManyOptions): Promise<PlannedObject[]> {
	const binaries = binariesOf(this.getInputData()[itemIndex]);
	const fields = Object.keys(binaries);
	if (fields.length === 0) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex} has no binary fields to upload`, {
			itemIndex,
			description: 'Put files on the item with an earlier node (e.g. Read Files From Disk, HTTP Request), or use the lists data source.',
		});
	}
	const planned: PlannedObject[] = [];
	const fieldOfKey = new Map<string, string>();
	for (const field of fields) {
		const source = await binarySourceOf.call(this, itemIndex, binaries[field]);
		const key = underFolder(options.folder, source.fileName || field);
		const earlier = fieldOfKey.get(key);
		if (earlier !== undefined) {
			throw new NodeOperationError(this.getNode(), `Binary fields "${earlier}" and "${field}" of item ${itemIndex} would both upload to "${key}"`, {
				itemIndex,
				description: 'Give the files different names (e.g. with a Rename Keys or Edit Fields node) so no object overwrites another.',
			});
		}
		fieldOfKey.set(key, field);
		// Opened only when its turn comes, so files are read one slot at a time.
		planned.push({ key, contentType: chooseContentType(options.contentType, source.mimeType, contentTypeOfKey(key)), size: source.size, body: source.open });
	}
	return planned;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const dataSource = this.getNodeParameter('dataSource', itemIndex, 'lists') as string;
	const writeOptions = this.getNodeParameter('options', itemIndex, {}) as WriteOptions;
	const options: UploadManyOptions = {
		...writeOptions,
		contentType: getText.call(this, 'options.contentType', itemIndex, 'Content Type'),
		folder: getText.call(this, 'options.folder', itemIndex, 'Folder'),
	};
	const extra = writeParams.call(this, itemIndex, options);
	const planned =
		dataSource === 'binary' ? await planFromBinaries.call(this, itemIndex, options) : planFromLists.call(this, itemIndex, options);

	for (const object of planned) {
		assertKeyLength(this.getNode(), object.key, itemIndex, {
			message: `The key "${object.key.slice(0, 60)}..." is longer than 1,024 bytes`,
			shorten: 'the name or the folder',
		});
	}

	return await runPool(planned.length, UPLOADS_IN_FLIGHT, async (index) => {
		const object = planned[index];
		const result = await connection.upload(
			{ Bucket: bucket, Key: object.key, Body: await object.body(), ContentLength: object.size, ContentType: object.contentType, ...extra },
			{ partSize: DEFAULT_PART_SIZE },
			{ action: 'upload', bucket, key: object.key, itemIndex },
		);
		return {
			json: compact({
				bucket,
				key: object.key,
				size: object.size,
				contentType: object.contentType,
				etag: result.etag,
				versionId: result.versionId,
			}),
		};
	});
}
