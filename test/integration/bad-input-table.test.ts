/**
 * Bad input, table by table: every operation of the node and the credential, each case run as a
 * real workflow. Each case asserts the message, the item it names, and that nothing changed on the
 * server (the test bucket's objects and the bucket list, read with a raw client before and after).
 * The bucket is seeded with keys a bad value could turn into ("[object Object]", "null", "true"),
 * so a value stringified on its way to S3 would show up as a changed or missing object.
 */
import {
	DeleteBucketCommand,
	DeleteObjectCommand,
	ListBucketsCommand,
	ListObjectsV2Command,
	type ListObjectsV2CommandOutput,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { bucketParam, makeBinary, runNode, runSteps, setBinaryMode } from '../support/harness';
import { credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const target = getTarget();
const s3 = rawClient(target);
const bucket = uniqueBucket('badtbl');
const otherBucket = uniqueBucket('badtbl-dst');
const SEEDED = ['seed/a.txt', 'seed/b.txt', '[object Object]', '[object Object]/inside.txt', 'null', 'true', 'undefined'];

/** The values an expression can hand a field, on every input item. */
const ITEM_JSON: IDataObject = {
	file: { name: 'report.txt' },
	names: ['a.txt', 'b.txt'],
	flag: true,
	nothing: null,
	year: 2024,
};
const ITEM: INodeExecutionData = { json: ITEM_JSON };

/** Everything a case could have changed: the test buckets' objects (key, ETag, size) and our buckets. */
async function serverState(): Promise<{ objects: string[]; buckets: string[] }> {
	const objects: string[] = [];
	for (const name of [bucket, otherBucket]) {
		let token: string | undefined;
		do {
			const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: name, ContinuationToken: token }));
			for (const object of page.Contents ?? []) objects.push(`${name}/${object.Key} ${object.ETag} ${object.Size}`);
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
	}
	// Other test files (and benchmarks) make their own buckets on a shared server at the same time:
	// those are left out; any other bucket appearing or vanishing counts.
	const listed = await s3.send(new ListBucketsCommand({}));
	const buckets = (listed.Buckets ?? [])
		.map((entry) => entry.Name ?? '')
		.filter((name) => name.startsWith('t-badtbl') || !/^(t-|n8n-bench-)/.test(name))
		.sort();
	return { objects: objects.sort(), buckets };
}

/** The item an error names: n8n's itemIndex, else the "[item N]" the transport appends. */
function itemOf(error: Error & { context?: { itemIndex?: number } }): number | undefined {
	if (typeof error.context?.itemIndex === 'number') return error.context.itemIndex;
	const match = /\[item (\d+)\]/.exec(error.message);
	return match ? Number(match[1]) : undefined;
}

interface BadCase {
	title: string;
	parameters: IDataObject;
	items?: INodeExecutionData[];
	credential?: IDataObject;
	message: string | RegExp;
	description?: RegExp;
	/** The item the error names; `null` for credential settings refused before any item runs. */
	item: number | null;
}

const TEXT_FIX = /\{\{ \$json\.file\.name \}\}/;
const typed = (field: string, item: number, type: string) => `The "${field}" of item ${item} is ${type}, not text`;
const bucketRl = (value: string) => ({ __rl: true, mode: 'name', value });
const object = (operation: string, parameters: IDataObject = {}): IDataObject => ({
	resource: 'object',
	operation,
	bucket: bucketParam(bucket),
	...parameters,
});
const folder = (operation: string, parameters: IDataObject = {}): IDataObject => ({
	resource: 'folder',
	operation,
	bucket: bucketParam(bucket),
	...parameters,
});
const textUpload = (parameters: IDataObject = {}) => object('upload', { dataSource: 'text', text: 'hello', key: 'new.txt', ...parameters });
const listsUpload = (objectNames: string, base64DataList: string, options: IDataObject = {}) =>
	object('uploadMany', { dataSource: 'lists', objectNames, base64DataList, options });
const copy = (parameters: IDataObject = {}, operation = 'copy') =>
	object(operation, { key: 'seed/a.txt', destinationBucket: bucketParam(''), destinationKey: 'copied.txt', ...parameters });

const objectCases: BadCase[] = [
	// Upload
	{ title: 'Upload: a key that is an object', parameters: textUpload({ key: '={{ $json.file }}' }), message: typed('Key', 0, 'an object'), description: TEXT_FIX, item: 0 },
	{ title: 'Upload: a key that is a list', parameters: textUpload({ key: '={{ $json.names }}' }), message: typed('Key', 0, 'a list'), item: 0 },
	{ title: 'Upload: a key that is a boolean', parameters: textUpload({ key: '={{ $json.flag }}' }), message: typed('Key', 0, 'a boolean'), item: 0 },
	{ title: 'Upload: a key that is null', parameters: textUpload({ key: '={{ $json.nothing }}' }), message: typed('Key', 0, 'null'), item: 0 },
	{ title: 'Upload: a Folder option that is an object', parameters: textUpload({ options: { folder: '={{ $json.file }}' } }), message: typed('Folder', 0, 'an object'), item: 0 },
	{ title: 'Upload: a Content Type option that is a list', parameters: textUpload({ options: { contentType: '={{ $json.names }}' } }), message: typed('Content Type', 0, 'a list'), item: 0 },
	{ title: 'Upload: a bucket that is an object', parameters: textUpload({ bucket: bucketRl('={{ $json.file }}') }), message: typed('Bucket', 0, 'an object'), item: 0 },
	{ title: 'Upload: a bucket name S3 refuses', parameters: textUpload({ bucket: bucketParam('Bad_Bucket') }), message: '"Bad_Bucket" is not a valid bucket name: it contains uppercase letters; bucket names are lowercase', item: 0 },
	{ title: 'Upload: no key for text', parameters: textUpload({ key: '' }), message: 'No object key given for item 0', item: 0 },
	{ title: 'Upload: a key longer than 1,024 bytes', parameters: textUpload({ key: 'k'.repeat(1025) }), message: 'The object key is longer than 1,024 bytes', item: 0 },
	{ title: 'Upload: invalid base64', parameters: textUpload({ dataSource: 'base64', base64Data: 'not*base64' }), message: 'The base64 data of item 0 is not valid base64: character "*" at position 4 is not a base64 character', item: 0 },
	{ title: 'Upload: invalid JSON', parameters: textUpload({ dataSource: 'json', jsonData: '{"a":' }), message: /^The JSON of item 0 is not valid: /, item: 0 },
	{ title: 'Upload: a missing binary field', parameters: textUpload({ dataSource: 'binary', binaryPropertyName: 'attachment' }), message: /attachment/, item: 0 },
	// Upload Many
	{ title: 'Upload Many: a repeated name', parameters: listsUpload('["dup.txt","dup.txt"]', '["aGVsbG8=","d29ybGQ="]'), message: 'Object names 1 and 2 of item 0 would both upload to "dup.txt"', item: 0 },
	{ title: 'Upload Many: a repeated name from an expression', parameters: listsUpload('={{ ["x.txt", "y.txt", "x.txt"] }}', '={{ ["YQ==", "Yg==", "Yw=="] }}'), message: 'Object names 1 and 3 of item 0 would both upload to "x.txt"', item: 0 },
	{ title: 'Upload Many: names that meet in the folder', parameters: listsUpload('["a.txt","/a.txt"]', '["YQ==","Yg=="]', { folder: 'in' }), message: 'Object names 1 and 2 of item 0 would both upload to "in/a.txt"', item: 0 },
	{ title: 'Upload Many: a repeated line', parameters: listsUpload('same.txt\nother.txt\nsame.txt', '["YQ==","Yg==","Yw=="]'), message: 'Object names 1 and 3 of item 0 would both upload to "same.txt"', item: 0 },
	{ title: 'Upload Many: a name that is an object', parameters: listsUpload('={{ ["a.txt", $json.file] }}', '["YQ==","Yg=="]'), message: 'Object name 2 of item 0 is an object, not text', item: 0 },
	{ title: 'Upload Many: a name that is null', parameters: listsUpload('={{ [null] }}', '["YQ=="]'), message: 'Object name 1 of item 0 is null, not text', item: 0 },
	{ title: 'Upload Many: an empty name', parameters: listsUpload('["a.txt", " "]', '["YQ==","Yg=="]'), message: 'Object name 2 of item 0 is empty', item: 0 },
	{ title: 'Upload Many: lists of different lengths', parameters: listsUpload('["a.txt","b.txt"]', '["YQ=="]'), message: 'The lists have different lengths: 2 object names but 1 base64 data entry (item 0)', item: 0 },
	{ title: 'Upload Many: both lists empty', parameters: listsUpload('={{ "" }}', '={{ "" }}'), message: 'No objects to upload for item 0: both lists are empty', item: 0 },
	{ title: 'Upload Many: names that are not a list', parameters: listsUpload('={{ $json.file }}', '["YQ=="]'), message: '"Object Names" of item 0 is not a list (it is an object)', item: 0 },
	{ title: 'Upload Many: names that are not valid JSON', parameters: listsUpload('["a.txt",', '["YQ=="]'), message: /^"Object Names" of item 0 is not a valid JSON array: /, item: 0 },
	{ title: 'Upload Many: invalid base64 in the list', parameters: listsUpload('["a.txt","b.txt"]', '["YQ==","b!"]'), message: 'Base64 data entry 2 ("b.txt") of item 0 is not valid base64: character "!" at position 2 is not a base64 character', item: 0 },
	{ title: 'Upload Many: a Folder option that is a list', parameters: listsUpload('["a.txt"]', '["YQ=="]', { folder: '={{ $json.names }}' }), message: typed('Folder', 0, 'a list'), item: 0 },
	{ title: 'Upload Many: a bucket that is a boolean', parameters: { ...listsUpload('["a.txt"]', '["YQ=="]'), bucket: bucketRl('={{ $json.flag }}') }, message: typed('Bucket', 0, 'a boolean'), item: 0 },
	{ title: 'Upload Many: an item without binaries', parameters: object('uploadMany', { dataSource: 'binary' }), message: 'Item 0 has no binary fields to upload', item: 0 },
	// Download
	{ title: 'Download: a key that is an object', parameters: object('download', { key: '={{ $json.file }}' }), message: typed('Key', 0, 'an object'), item: 0 },
	{ title: 'Download: a Version ID that is an object', parameters: object('download', { key: 'seed/a.txt', options: { versionId: '={{ $json.file }}' } }), message: typed('Version ID', 0, 'an object'), item: 0 },
	{ title: 'Download: a Range that is not a byte range', parameters: object('download', { key: 'seed/a.txt', options: { range: 'first ten' } }), message: '"first ten" is not a byte range', item: 0 },
	{ title: 'Download: a Range that is a list', parameters: object('download', { key: 'seed/a.txt', options: { range: '={{ $json.names }}' } }), message: typed('Range', 0, 'a list'), item: 0 },
	{ title: 'Download: a File Name that is an object', parameters: object('download', { key: 'seed/a.txt', options: { fileName: '={{ $json.file }}' } }), message: typed('File Name', 0, 'an object'), item: 0 },
	{ title: 'Download: a missing key', parameters: object('download', { key: 'seed/missing.txt' }), message: `Object "seed/missing.txt" not found in bucket "${bucket}" [item 0]`, item: 0 },
	{ title: 'Download: an empty key', parameters: object('download', { key: '={{ "" }}' }), message: 'No object key given', item: 0 },
	// Read
	{ title: 'Read: a key that is a list', parameters: object('read', { key: '={{ $json.names }}' }), message: typed('Key', 0, 'a list'), item: 0 },
	{ title: 'Read: Max Size -1', parameters: object('read', { key: 'seed/a.txt', options: { maxSizeMiB: -1 } }), message: 'The "Max Size (MiB)" of item 0 is -1; it must be a number above 0', description: /Download/, item: 0 },
	{ title: 'Read: Max Size 0', parameters: object('read', { key: 'seed/a.txt', options: { maxSizeMiB: 0 } }), message: 'The "Max Size (MiB)" of item 0 is 0; it must be a number above 0', item: 0 },
	{ title: 'Read: a Version ID that is a boolean', parameters: object('read', { key: 'seed/a.txt', options: { versionId: '={{ $json.flag }}' } }), message: typed('Version ID', 0, 'a boolean'), item: 0 },
	{ title: 'Read: JSON that is not JSON', parameters: object('read', { key: 'seed/a.txt', readAs: 'json' }), message: /^Object "seed\/a.txt" is not valid JSON: /, item: 0 },
	// Get Metadata, tags
	{ title: 'Get Metadata: a key that is an object, on item 2', parameters: object('getMetadata', { key: '={{ $json.key }}' }), items: [{ json: { key: 'seed/a.txt' } }, { json: { key: 'seed/b.txt' } }, { json: { key: { name: 'x' } } }], message: typed('Key', 2, 'an object'), item: 2 },
	{ title: 'Get Metadata: a bucket that is a list', parameters: object('getMetadata', { key: 'seed/a.txt', bucket: bucketRl('={{ $json.names }}') }), message: typed('Bucket', 0, 'a list'), item: 0 },
	{ title: 'Get Tags: a key that is null', parameters: object('getTags', { key: '={{ $json.nothing }}' }), message: typed('Key', 0, 'null'), item: 0 },
	{ title: 'Set Tags: a key that is an object', parameters: object('setTags', { key: '={{ $json.file }}', tags: { tags: [{ key: 'a', value: 'b' }] } }), message: typed('Key', 0, 'an object'), item: 0 },
	{ title: 'Set Tags: a tag given twice', parameters: object('setTags', { key: 'seed/a.txt', tags: { tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } }), message: 'Tag "a" is given twice', item: 0 },
	{ title: 'Set Tags: eleven tags', parameters: object('setTags', { key: 'seed/a.txt', tags: { tags: Array.from({ length: 11 }, (_, i) => ({ key: `t${i}`, value: 'v' })) } }), message: '11 tags given; an object can have at most 10', item: 0 },
	{ title: 'Delete Tags: a key that is a boolean', parameters: object('deleteTags', { key: '={{ $json.flag }}' }), message: typed('Key', 0, 'a boolean'), item: 0 },
	{ title: 'Delete Tags: a Version ID that is a list', parameters: object('deleteTags', { key: 'seed/a.txt', options: { versionId: '={{ $json.names }}' } }), message: typed('Version ID', 0, 'a list'), item: 0 },
	// Delete
	{ title: 'Delete: a key that is an object (the stored "[object Object]" stays)', parameters: object('delete', { key: '={{ $json.file }}' }), message: typed('Key', 0, 'an object'), item: 0 },
	{ title: 'Delete: a key that is null (the stored "null" stays)', parameters: object('delete', { key: '={{ $json.nothing }}' }), message: typed('Key', 0, 'null'), item: 0 },
	{ title: 'Delete: a key that is true (the stored "true" stays)', parameters: object('delete', { key: '={{ $json.flag }}' }), message: typed('Key', 0, 'a boolean'), item: 0 },
	{ title: 'Delete: a Version ID that is an object', parameters: object('delete', { key: 'seed/a.txt', options: { versionId: '={{ $json.file }}' } }), message: typed('Version ID', 0, 'an object'), item: 0 },
	{ title: 'Delete: a bucket that is null', parameters: object('delete', { key: 'seed/a.txt', bucket: bucketRl('={{ $json.nothing }}') }), message: typed('Bucket', 0, 'null'), item: 0 },
	{ title: 'Delete Many: a bucket that is an object', parameters: object('deleteMany', { keys: '["seed/a.txt"]', bucket: bucketRl('={{ $json.file }}') }), message: typed('Bucket', 0, 'an object'), item: 0 },
	// Copy, Move
	{ title: 'Copy: a source key that is an object', parameters: copy({ key: '={{ $json.file }}' }), message: typed('Source Key', 0, 'an object'), item: 0 },
	{ title: 'Copy: a destination key that is a list', parameters: copy({ destinationKey: '={{ $json.names }}' }), message: typed('Destination Key', 0, 'a list'), item: 0 },
	{ title: 'Copy: a destination bucket that is an object', parameters: copy({ destinationBucket: bucketRl('={{ $json.file }}') }), message: typed('Destination Bucket', 0, 'an object'), item: 0 },
	{ title: 'Copy: a source bucket that is a boolean', parameters: copy({ bucket: bucketRl('={{ $json.flag }}') }), message: typed('Source Bucket', 0, 'a boolean'), item: 0 },
	{ title: 'Copy: a source version ID that is an object', parameters: copy({ options: { sourceVersionId: '={{ $json.file }}' } }), message: typed('Source Version ID', 0, 'an object'), item: 0 },
	{ title: 'Copy: a destination bucket name S3 refuses', parameters: copy({ destinationBucket: bucketParam('x') }), message: '"x" is not a valid bucket name: it is 1 characters long; bucket names are 3 to 63 characters', item: 0 },
	{ title: 'Copy: no destination key', parameters: copy({ destinationKey: '={{ "" }}' }), message: 'No object key given', description: /"Destination Key"/, item: 0 },
	{ title: 'Copy: a New Content Type that is an object', parameters: copy({ metadataDirective: 'replace', newContentType: '={{ $json.file }}' }), message: typed('New Content Type', 0, 'an object'), item: 0 },
	{ title: 'Copy: a missing source', parameters: copy({ key: 'seed/missing.txt' }), message: /seed\/missing\.txt.*\[item 0\]/, item: 0 },
	{ title: 'Move: onto itself', parameters: copy({ destinationKey: 'seed/a.txt' }, 'move'), message: 'Cannot move "seed/a.txt" onto itself', item: 0 },
	{ title: 'Move: a destination key that is null (the source stays)', parameters: copy({ destinationKey: '={{ $json.nothing }}' }, 'move'), message: typed('Destination Key', 0, 'null'), item: 0 },
	// Lists
	{ title: 'Get Many: Limit -1', parameters: object('getMany', { returnAll: false, limit: -1 }), message: 'The "Limit" of item 0 is -1; it must be a whole number of at least 1', description: /Return All/, item: 0 },
	{ title: 'Get Many: Limit 0', parameters: object('getMany', { returnAll: false, limit: 0 }), message: 'The "Limit" of item 0 is 0; it must be a whole number of at least 1', item: 0 },
	{ title: 'Get Many: Limit 2.5', parameters: object('getMany', { returnAll: false, limit: 2.5 }), message: 'The "Limit" of item 0 is 2.5; it must be a whole number of at least 1', item: 0 },
	{ title: 'Get Many: a Prefix that is an object', parameters: object('getMany', { returnAll: true, options: { prefix: '={{ $json.file }}' } }), message: typed('Prefix', 0, 'an object'), item: 0 },
	{ title: 'Get Many: a Start After that is a list', parameters: object('getMany', { returnAll: true, options: { startAfter: '={{ $json.names }}' } }), message: typed('Start After', 0, 'a list'), item: 0 },
	{ title: 'Get Many: a Delimiter that is a boolean', parameters: object('getMany', { returnAll: true, options: { delimiter: '={{ $json.flag }}' } }), message: typed('Delimiter', 0, 'a boolean'), item: 0 },
	{ title: 'Get Many: a Continuation Token that is an object', parameters: object('getMany', { returnAll: true, options: { continuationToken: '={{ $json.file }}' } }), message: typed('Continuation Token', 0, 'an object'), item: 0 },
	{ title: 'Get Many: Max Keys per Request 0', parameters: object('getMany', { returnAll: true, options: { maxKeys: 0 } }), message: 'The "Max Keys per Request" of item 0 is 0; it must be a whole number of at least 1', item: 0 },
	{ title: 'Get Many: a negative presigned URL expiry', parameters: object('getMany', { returnAll: true, options: { includePresignedUrl: true, presignExpiryMinutes: -5 } }), message: 'The "Presigned URL Expiry (Minutes)" of item 0 is -5; it must be a number above 0', item: 0 },
	{ title: 'Get Many: a missing bucket', parameters: object('getMany', { returnAll: true, bucket: bucketParam('t-badtbl-no-such-bucket') }), message: 'Bucket "t-badtbl-no-such-bucket" does not exist [item 0]', item: 0 },
	{ title: 'Get Many Versions: a Key or Prefix that is an object', parameters: object('getManyVersions', { returnAll: true, prefix: '={{ $json.file }}' }), message: typed('Key or Prefix', 0, 'an object'), item: 0 },
	{ title: 'Get Many Versions: Limit -1', parameters: object('getManyVersions', { returnAll: false, limit: -1 }), message: 'The "Limit" of item 0 is -1; it must be a whole number of at least 1', item: 0 },
	{ title: 'Get Presigned URL: a key that is an object', parameters: object('getPresignedUrl', { method: 'get', key: '={{ $json.file }}' }), message: typed('Key', 0, 'an object'), item: 0 },
];

const folderCases: BadCase[] = [
	{ title: 'Folder Create: a folder that is an object', parameters: folder('create', { folder: '={{ $json.file }}' }), message: typed('Folder', 0, 'an object'), description: TEXT_FIX, item: 0 },
	{ title: 'Folder Create: a folder that is null', parameters: folder('create', { folder: '={{ $json.nothing }}' }), message: typed('Folder', 0, 'null'), item: 0 },
	{ title: 'Folder Create: no folder', parameters: folder('create', { folder: '/' }), message: 'No folder given to create', item: 0 },
	{ title: 'Folder Create: a bucket that is a list', parameters: folder('create', { folder: 'f', bucket: bucketRl('={{ $json.names }}') }), message: typed('Bucket', 0, 'a list'), item: 0 },
	{ title: 'Folder Create: a path longer than 1,024 bytes', parameters: folder('create', { folder: 'f'.repeat(1024) }), message: 'The folder path is longer than 1,024 bytes', item: 0 },
	{ title: 'Folder Delete: a folder that is an object ("[object Object]/" stays)', parameters: folder('delete', { folder: '={{ $json.file }}' }), message: typed('Folder', 0, 'an object'), item: 0 },
	{ title: 'Folder Delete: a folder that is a list', parameters: folder('delete', { folder: '={{ $json.names }}' }), message: typed('Folder', 0, 'a list'), item: 0 },
	{ title: 'Folder Delete: a folder that is a boolean', parameters: folder('delete', { folder: '={{ $json.flag }}' }), message: typed('Folder', 0, 'a boolean'), item: 0 },
	{ title: 'Folder Delete: no folder (never the whole bucket)', parameters: folder('delete', { folder: '={{ "" }}' }), message: 'No folder given to delete', description: /Delete All Objects First/, item: 0 },
	{ title: 'Folder Delete: a bucket that is an object', parameters: folder('delete', { folder: 'seed', bucket: bucketRl('={{ $json.file }}') }), message: typed('Bucket', 0, 'an object'), item: 0 },
	{ title: 'Folder Get Many: a parent folder that is an object', parameters: folder('getMany', { folder: '={{ $json.file }}', returnAll: true }), message: typed('Parent Folder', 0, 'an object'), item: 0 },
	{ title: 'Folder Get Many: Limit -1', parameters: folder('getMany', { folder: '', returnAll: false, limit: -1 }), message: 'The "Limit" of item 0 is -1; it must be a whole number of at least 1', item: 0 },
];

const bucketCases: BadCase[] = [
	{ title: 'Bucket Create: a name that is an object', parameters: { resource: 'bucket', operation: 'create', bucketName: '={{ $json.file }}' }, message: typed('Bucket Name', 0, 'an object'), item: 0 },
	{ title: 'Bucket Create: a name that is null', parameters: { resource: 'bucket', operation: 'create', bucketName: '={{ $json.nothing }}' }, message: typed('Bucket Name', 0, 'null'), item: 0 },
	{ title: 'Bucket Create: a name with uppercase letters', parameters: { resource: 'bucket', operation: 'create', bucketName: 'Bad_Name' }, message: '"Bad_Name" is not a valid bucket name: it contains uppercase letters; bucket names are lowercase', item: 0 },
	{ title: 'Bucket Create: a name too short', parameters: { resource: 'bucket', operation: 'create', bucketName: 'ab' }, message: '"ab" is not a valid bucket name: it is 2 characters long; bucket names are 3 to 63 characters', item: 0 },
	{ title: 'Bucket Create: a name like an IP address', parameters: { resource: 'bucket', operation: 'create', bucketName: '10.0.0.1' }, message: /^"10\.0\.0\.1" is not a valid bucket name: .*IP address/, item: 0 },
	{ title: 'Bucket Create: a Region that is a list', parameters: { resource: 'bucket', operation: 'create', bucketName: 't-badtbl-region-x', options: { region: '={{ $json.names }}' } }, message: typed('Region', 0, 'a list'), item: 0 },
	{ title: 'Bucket Create: a bucket that exists', parameters: { resource: 'bucket', operation: 'create', bucketName: bucket }, message: `Bucket "${bucket}" already exists (you own it)`, item: 0 },
	{ title: 'Bucket Get: a bucket that is an object', parameters: { resource: 'bucket', operation: 'get', bucket: bucketRl('={{ $json.file }}') }, message: typed('Bucket', 0, 'an object'), item: 0 },
	{ title: 'Bucket Get Many: Limit -1', parameters: { resource: 'bucket', operation: 'getMany', returnAll: false, limit: -1 }, message: 'The "Limit" of item 0 is -1; it must be a whole number of at least 1', item: 0 },
	{ title: 'Bucket Get Many: Limit given as text that is no number', parameters: { resource: 'bucket', operation: 'getMany', returnAll: false, limit: '={{ "many" }}' }, message: 'The "Limit" of item 0 is "many"; it must be a whole number of at least 1', item: 0 },
	{ title: 'Bucket Set Versioning: a bucket that is a list', parameters: { resource: 'bucket', operation: 'setVersioning', status: 'Enabled', bucket: bucketRl('={{ $json.names }}') }, message: typed('Bucket', 0, 'a list'), item: 0 },
	{ title: 'Bucket Delete: a bucket that is an object', parameters: { resource: 'bucket', operation: 'delete', bucket: bucketRl('={{ $json.file }}') }, message: typed('Bucket', 0, 'an object'), item: 0 },
	{ title: 'Bucket Delete: a bucket name S3 refuses', parameters: { resource: 'bucket', operation: 'delete', bucket: bucketParam('UPPER') }, message: '"UPPER" is not a valid bucket name: it contains uppercase letters; bucket names are lowercase', item: 0 },
	// Bucket configuration: refused before any request, so the bucket's configuration is not touched either
	{ title: 'Bucket Get Lifecycle Rules: a bucket that is an object', parameters: { resource: 'bucket', operation: 'getLifecycle', bucket: bucketRl('={{ $json.file }}') }, message: typed('Bucket', 0, 'an object'), item: 0 },
	{ title: 'Bucket Set Lifecycle Rules: negative days', parameters: { resource: 'bucket', operation: 'setLifecycle', bucket: bucketParam(bucket), specifyRules: 'form', prefix: 'logs/', expireAfterDays: -30 }, message: 'The "Expire Objects After (Days)" of item 0 is -30; it must be a whole number of days (0 turns it off)', item: 0 },
	{ title: 'Bucket Set Lifecycle Rules: a rule that does nothing', parameters: { resource: 'bucket', operation: 'setLifecycle', bucket: bucketParam(bucket), specifyRules: 'form', expireAfterDays: 0, abortIncompleteUploadsAfterDays: 0, noncurrentVersionsExpireAfterDays: 0 }, message: 'The lifecycle rule of item 0 does nothing: every period is 0', description: /Delete Lifecycle Rules/, item: 0 },
	{ title: 'Bucket Set Lifecycle Rules: an empty list of rules', parameters: { resource: 'bucket', operation: 'setLifecycle', bucket: bucketParam(bucket), specifyRules: 'json', lifecycleRules: '[]' }, message: 'The "Lifecycle Rules (JSON)" of item 0 holds no rules', description: /Delete Lifecycle Rules/, item: 0 },
	{ title: 'Bucket Set Lifecycle Rules: invalid JSON', parameters: { resource: 'bucket', operation: 'setLifecycle', bucket: bucketParam(bucket), specifyRules: 'json', lifecycleRules: '[{"Status": "Enabled",' }, message: /^The "Lifecycle Rules \(JSON\)" of item 0 is not valid JSON: /, item: 0 },
	{ title: 'Bucket Set Lifecycle Rules: rules that are an object without "Rules"', parameters: { resource: 'bucket', operation: 'setLifecycle', bucket: bucketParam(bucket), specifyRules: 'json', lifecycleRules: '={{ $json.file }}' }, message: 'The "Lifecycle Rules (JSON)" of item 0 is an object; it must be a list of rules or an object with "Rules"', item: 0 },
	{ title: 'Bucket Delete Lifecycle Rules: a bucket that is a list', parameters: { resource: 'bucket', operation: 'deleteLifecycle', bucket: bucketRl('={{ $json.names }}') }, message: typed('Bucket', 0, 'a list'), item: 0 },
	{ title: 'Bucket Get CORS Rules: a bucket that is a boolean', parameters: { resource: 'bucket', operation: 'getCors', bucket: bucketRl('={{ $json.flag }}') }, message: typed('Bucket', 0, 'a boolean'), item: 0 },
	{ title: 'Bucket Set CORS Rules: no allowed origins', parameters: { resource: 'bucket', operation: 'setCors', bucket: bucketParam(bucket), specifyRules: 'form', allowedOrigins: '={{ "" }}', allowedMethods: ['GET'] }, message: 'The "Allowed Origins" of item 0 is empty', item: 0 },
	{ title: 'Bucket Set CORS Rules: a method S3 does not know', parameters: { resource: 'bucket', operation: 'setCors', bucket: bucketParam(bucket), specifyRules: 'json', corsRules: '[{"AllowedOrigins": ["*"], "AllowedMethods": ["get"]}]' }, message: 'Rule 1 in "CORS Rules (JSON)" of item 0 allows the method "get"; S3 allows GET, PUT, POST, DELETE, HEAD', item: 0 },
	{ title: 'Bucket Delete CORS Rules: a bucket that is null', parameters: { resource: 'bucket', operation: 'deleteCors', bucket: bucketRl('={{ $json.nothing }}') }, message: typed('Bucket', 0, 'null'), item: 0 },
	{ title: 'Bucket Get Policy: a bucket name S3 refuses', parameters: { resource: 'bucket', operation: 'getPolicy', bucket: bucketParam('Bad_Bucket') }, message: '"Bad_Bucket" is not a valid bucket name: it contains uppercase letters; bucket names are lowercase', item: 0 },
	{ title: 'Bucket Set Policy: invalid JSON', parameters: { resource: 'bucket', operation: 'setPolicy', bucket: bucketParam(bucket), policy: '{"Version": "2012-10-17", "Statement": [' }, message: /^The "Policy \(JSON\)" of item 0 is not valid JSON: /, item: 0 },
	{ title: 'Bucket Set Policy: a list', parameters: { resource: 'bucket', operation: 'setPolicy', bucket: bucketParam(bucket), policy: '={{ $json.names }}' }, message: 'The "Policy (JSON)" of item 0 is a list; a bucket policy is a JSON object', item: 0 },
	{ title: 'Bucket Delete Policy: a bucket that is an object', parameters: { resource: 'bucket', operation: 'deletePolicy', bucket: bucketRl('={{ $json.file }}') }, message: typed('Bucket', 0, 'an object'), item: 0 },
	{ title: 'Bucket Get Default Encryption: a bucket that is a list', parameters: { resource: 'bucket', operation: 'getEncryption', bucket: bucketRl('={{ $json.names }}') }, message: typed('Bucket', 0, 'a list'), item: 0 },
	{ title: 'Bucket Set Default Encryption: an unknown algorithm', parameters: { resource: 'bucket', operation: 'setEncryption', bucket: bucketParam(bucket), encryption: '={{ "aws:fsx" }}' }, message: 'The "Encryption" of item 0 is "aws:fsx"; it must be "AES256" or "aws:kms"', item: 0 },
	{ title: 'Bucket Set Default Encryption: a KMS Key ID that is an object', parameters: { resource: 'bucket', operation: 'setEncryption', bucket: bucketParam(bucket), encryption: 'aws:kms', kmsKeyId: '={{ $json.file }}' }, message: typed('KMS Key ID', 0, 'an object'), item: 0 },
];

const listBuckets = { resource: 'bucket', operation: 'getMany', returnAll: true };
const credentialCases: BadCase[] = [
	{ title: 'Credential: an endpoint that is not a URL', parameters: listBuckets, credential: credentialFor(target, { endpoint: 'not a url' }), message: 'The endpoint "https://not a url" is not a valid URL: use a form such as https://s3.example.com or http://127.0.0.1:9000', item: null },
	{ title: 'Credential: a preset that needs an endpoint, without one', parameters: listBuckets, credential: credentialFor(target, { provider: 'minio', endpoint: '' }), message: /^The MinIO preset needs an endpoint: fill in "Endpoint" in the credential/, item: null },
	{ title: 'Credential: a preset that needs an account ID, without one', parameters: listBuckets, credential: credentialFor(target, { provider: 'r2', endpoint: '' }), message: /preset needs your account ID: fill in "Account ID" \(or "Endpoint"\) in the credential/, item: null },
	{ title: 'Credential: an unknown authentication mode', parameters: listBuckets, credential: credentialFor(target, { authentication: 'password' }), message: /Unknown authentication mode "password"/, item: null },
	{ title: 'Credential: Assume Role without a role', parameters: listBuckets, credential: credentialFor(target, { authentication: 'assumeRole', sourceCredentials: 'accessKeys', roleArn: '' }), message: /Assume Role needs a role: fill in "Role ARN" in the credential/, item: null },
	{ title: 'Credential: a role ARN that is not one', parameters: listBuckets, credential: credentialFor(target, { authentication: 'assumeRole', sourceCredentials: 'accessKeys', roleArn: 'my-role' }), message: /"my-role" is not a role ARN/, item: null },
	{ title: 'Credential: a role session name too short', parameters: listBuckets, credential: credentialFor(target, { authentication: 'assumeRole', sourceCredentials: 'accessKeys', roleArn: 'arn:aws:iam:::role/x', roleSessionName: 'x' }), message: /The role session name "x" is not valid/, item: null },
	{ title: 'Credential: a session duration out of range', parameters: listBuckets, credential: credentialFor(target, { authentication: 'assumeRole', sourceCredentials: 'accessKeys', roleArn: 'arn:aws:iam:::role/x', sessionDuration: 60 }), message: /The session duration 60 is not valid/, item: null },
	{ title: 'Credential: an STS endpoint that is not a URL', parameters: listBuckets, credential: credentialFor(target, { authentication: 'assumeRole', sourceCredentials: 'accessKeys', roleArn: 'arn:aws:iam:::role/x', stsEndpoint: 'sts host' }), message: /The STS endpoint "https:\/\/sts host" is not a valid URL/, item: null },
	{ title: 'Credential: the machine identity where it is not allowed', parameters: listBuckets, credential: credentialFor(target, { authentication: 'machineIdentity' }), message: /Sign-in with the machine identity is not allowed on this n8n instance/, item: null },
	{ title: 'Credential: an unreachable endpoint', parameters: listBuckets, credential: credentialFor(target, { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }), message: /S3 endpoint at http:\/\/127\.0\.0\.1:9 is unreachable \(the connection was refused\)/, item: 0 },
];

const ALL_CASES = [...objectCases, ...folderCases, ...bucketCases, ...credentialCases];

beforeAll(async () => {
	await setBinaryMode('filesystem');
	await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
	await runNode({ resource: 'bucket', operation: 'create', bucketName: otherBucket });
	for (const key of SEEDED) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `seeded ${key}` }));
});

afterAll(async () => {
	// With the raw client, key by key: s3rver's DeleteObjects stumbles over keys such as "[object Object]".
	for (const name of [bucket, otherBucket]) {
		const listed = await s3.send(new ListObjectsV2Command({ Bucket: name }));
		for (const entry of listed.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: name, Key: entry.Key }));
		await s3.send(new DeleteBucketCommand({ Bucket: name }));
	}
});

it('the table has at least 60 cases and covers every operation', () => {
	expect(ALL_CASES.length).toBeGreaterThanOrEqual(60);
	const covered = new Set(ALL_CASES.map((entry) => `${String(entry.parameters.resource)}.${String(entry.parameters.operation)}`));
	const expected = [
		...['upload', 'uploadMany', 'download', 'read', 'getMetadata', 'getTags', 'setTags', 'deleteTags', 'delete', 'deleteMany', 'copy', 'move', 'getMany', 'getManyVersions', 'getPresignedUrl'].map((op) => `object.${op}`),
		...['create', 'delete', 'getMany'].map((op) => `folder.${op}`),
		...['create', 'get', 'getMany', 'setVersioning', 'delete'].map((op) => `bucket.${op}`),
	];
	expect([...covered].sort()).toEqual(expect.arrayContaining(expected));
});

describe.each([
	['object', objectCases],
	['folder', folderCases],
	['bucket', bucketCases],
	['credential', credentialCases],
])('%s', (_group, cases) => {
	it.each(cases.map((entry) => [entry.title, entry] as const))('%s', async (_title, entry) => {
		const before = await serverState();
		const run = await runSteps([{ name: 'S3', parameters: entry.parameters }], entry.items ?? [ITEM], { credential: entry.credential });
		const error = run.nodeError('S3');
		if (!error) throw new Error(`Expected the node to fail, but it returned ${JSON.stringify(run.output('S3'))}`);
		if (typeof entry.message === 'string') expect(error.message).toBe(entry.message);
		else expect(error.message).toMatch(entry.message);
		if (entry.description) expect(error.description).toMatch(entry.description);
		if (entry.item === null) {
			// Refused while reading the credential, before any item ran: no item to name (one item went in).
			expect([undefined, 0]).toContain(itemOf(error));
		} else {
			expect(itemOf(error)).toBe(entry.item);
		}
		expect(await serverState()).toEqual(before);
	});
});

describe('several items under Continue On Fail: the bad one fails alone, the others go through', () => {
	it('Upload: item 1 has an object as key; items 0 and 2 are stored', async () => {
		const before = await serverState();
		const run = await runSteps(
			[{ name: 'S3', continueOnFail: true, parameters: textUpload({ key: '={{ $json.key }}', text: '={{ $json.text }}' }) }],
			[{ json: { key: 'multi/one.txt', text: '1' } }, { json: { key: { name: 'two.txt' }, text: '2' } }, { json: { key: 'multi/three.txt', text: '3' } }],
		);
		const output = run.output('S3')!;
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ key: 'multi/one.txt', size: 1 });
		expect(output[1].json.error).toBe(typed('Key', 1, 'an object'));
		expect(output[2].json).toMatchObject({ key: 'multi/three.txt', size: 1 });
		const after = await serverState();
		expect(after.buckets).toEqual(before.buckets);
		expect(after.objects.filter((entry) => !before.objects.includes(entry)).map((entry) => entry.split(' ')[0])).toEqual([
			`${bucket}/multi/one.txt`,
			`${bucket}/multi/three.txt`,
		]);
		expect(before.objects.filter((entry) => !after.objects.includes(entry))).toEqual([]);
	});

	it('Folder Create: item 1 has a list as folder; folders of items 0 and 2 are created', async () => {
		const before = await serverState();
		const run = await runSteps(
			[{ name: 'S3', continueOnFail: true, parameters: folder('create', { folder: '={{ $json.folder }}' }) }],
			[{ json: { folder: 'mf/a' } }, { json: { folder: ['mf/b'] } }, { json: { folder: 'mf/c' } }],
		);
		const output = run.output('S3')!;
		expect(output[1].json.error).toBe(typed('Folder', 1, 'a list'));
		expect(output.map((item) => item.json.folder)).toEqual(['mf/a/', undefined, 'mf/c/']);
		const after = await serverState();
		expect(after.objects.filter((entry) => !before.objects.includes(entry)).map((entry) => entry.split(' ')[0])).toEqual([
			`${bucket}/mf/a/`,
			`${bucket}/mf/c/`,
		]);
	});

	it('Delete: item 1 has null as key; the objects of items 0 and 2 are deleted, "null" stays', async () => {
		for (const key of ['del/one.txt', 'del/three.txt']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
		const before = await serverState();
		const run = await runSteps(
			[{ name: 'S3', continueOnFail: true, parameters: object('delete', { key: '={{ $json.key }}' }) }],
			[{ json: { key: 'del/one.txt' } }, { json: { key: null } }, { json: { key: 'del/three.txt' } }],
		);
		const output = run.output('S3')!;
		expect(output.map((item) => item.json.deleted ?? item.json.error)).toEqual([true, typed('Key', 1, 'null'), true]);
		const after = await serverState();
		expect(before.objects.filter((entry) => !after.objects.includes(entry)).map((entry) => entry.split(' ')[0])).toEqual([
			`${bucket}/del/one.txt`,
			`${bucket}/del/three.txt`,
		]);
		expect(after.objects.some((entry) => entry.startsWith(`${bucket}/null `))).toBe(true);
	});

	it('Get Many: item 1 has Limit -1; items 0 and 2 list', async () => {
		const before = await serverState();
		const run = await runSteps(
			[{ name: 'S3', continueOnFail: true, parameters: object('getMany', { returnAll: false, limit: '={{ $json.limit }}', options: { prefix: 'seed/' } }) }],
			[{ json: { limit: 1 } }, { json: { limit: -1 } }, { json: { limit: 5 } }],
		);
		const output = run.output('S3')!;
		expect(output.map((item) => [item.pairedItem, item.json.key ?? item.json.error])).toEqual([
			[{ item: 0 }, 'seed/a.txt'],
			[{ item: 1 }, 'The "Limit" of item 1 is -1; it must be a whole number of at least 1'],
			[{ item: 2 }, 'seed/a.txt'],
			[{ item: 2 }, 'seed/b.txt'],
		]);
		expect(await serverState()).toEqual(before);
	});

	it('Upload Many: item 1 repeats a name; item 0 is stored, nothing of item 1', async () => {
		const before = await serverState();
		const run = await runSteps(
			[{ name: 'S3', continueOnFail: true, parameters: listsUpload('={{ $json.names }}', '={{ $json.data }}', { folder: 'many' }) }],
			[{ json: { names: ['p.txt', 'q.txt'], data: ['cA==', 'cQ=='] } }, { json: { names: ['dup.txt', 'dup.txt'], data: ['YQ==', 'Yg=='] } }],
		);
		const output = run.output('S3')!;
		expect(output.map((item) => item.json.key ?? item.json.error)).toEqual([
			'many/p.txt',
			'many/q.txt',
			'Object names 1 and 2 of item 1 would both upload to "many/dup.txt"',
		]);
		const after = await serverState();
		expect(after.objects.filter((entry) => !before.objects.includes(entry)).map((entry) => entry.split(' ')[0])).toEqual([
			`${bucket}/many/p.txt`,
			`${bucket}/many/q.txt`,
		]);
	});

	it('Bucket Create: item 1 has an object as name; the buckets of items 0 and 2 are created', async () => {
		const names = [uniqueBucket('badtbl-c0'), uniqueBucket('badtbl-c2')];
		const before = await serverState();
		try {
			const run = await runSteps(
				[{ name: 'S3', continueOnFail: true, parameters: { resource: 'bucket', operation: 'create', bucketName: '={{ $json.name }}' } }],
				[{ json: { name: names[0] } }, { json: { name: { bucket: 'x' } } }, { json: { name: names[1] } }],
			);
			const output = run.output('S3')!;
			expect(output.map((item) => item.json.bucket ?? item.json.error)).toEqual([names[0], typed('Bucket Name', 1, 'an object'), names[1]]);
			const after = await serverState();
			expect(after.buckets.filter((name) => !before.buckets.includes(name)).sort()).toEqual([...names].sort());
		} finally {
			for (const name of names) await s3.send(new DeleteBucketCommand({ Bucket: name })).catch(() => undefined);
		}
	});

	it('without Continue On Fail and one item at a time, a bad first item stops the node before the others run', async () => {
		const before = await serverState();
		const run = await runSteps(
			[{ name: 'S3', parameters: textUpload({ key: '={{ $json.key }}', options: { concurrency: 1 } }) }],
			[{ json: { key: ['x'] } }, { json: { key: 'never/one.txt' } }, { json: { key: 'never/two.txt' } }],
		);
		const error = run.nodeError('S3')!;
		expect(error.message).toBe(typed('Key', 0, 'a list'));
		expect(itemOf(error)).toBe(0);
		expect(await serverState()).toEqual(before);
	});
});

describe('numbers are text where a key is wanted', () => {
	it('a key of 2024 is stored as "2024", and a folder of 7 as "7/"', async () => {
		try {
			const uploaded = await runNode(textUpload({ key: '={{ $json.year }}' }), [ITEM]);
			expect(uploaded[0].json).toMatchObject({ key: '2024' });
			const created = await runNode(folder('create', { folder: '={{ 7 }}' }), [ITEM]);
			expect(created[0].json).toMatchObject({ folder: '7/' });
			const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: '' }));
			expect((listed.Contents ?? []).map((entry) => entry.Key)).toEqual(expect.arrayContaining(['2024', '7/']));
		} finally {
			for (const key of ['2024', '7/']) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
		}
	});

	it('Upload Many takes numbers in its name list as names', async () => {
		try {
			const items = await runNode(listsUpload('={{ [1, 2] }}', '["YQ==","Yg=="]', { folder: 'numbered' }), [ITEM]);
			expect(items.map((item) => item.json.key)).toEqual(['numbered/1', 'numbered/2']);
		} finally {
			for (const key of ['numbered/1', 'numbered/2']) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
		}
	});
});

it('a binary upload still works with the folder and key read as text', async () => {
	const binary = await makeBinary(Buffer.from('bin'), 'b.txt', 'text/plain');
	try {
		const items = await runNode(object('upload', { dataSource: 'binary', binaryPropertyName: 'data', key: '', options: { folder: 'bin' } }), [
			{ json: {}, binary: { data: binary as never } },
		]);
		expect(items[0].json).toMatchObject({ key: 'bin/b.txt', size: 3 });
	} finally {
		await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'bin/b.txt' }));
	}
});
