import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { abortIncompleteUpload, incompleteUploadPages, olderThanHoursOf, type IncompleteUpload } from '../../helpers/incompleteUploads';
import { requestFailureOf, type RequestFailure } from '../../helpers/requestFailure';
import { compact, getBucket, getText, updateDisplayOptions } from '../../helpers/utils';
import { runPool, type S3Connection } from '../../transport';
import { bucketLocator, concurrencyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	bucketLocator,
	{
		displayName: 'Prefix',
		name: 'prefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. backups/2024/',
		description: 'Only abort uploads of keys that start with this. Empty: uploads anywhere in the bucket.',
	},
	{
		displayName: 'Older Than (Hours)',
		name: 'olderThanHours',
		type: 'number',
		default: 24,
		typeOptions: { minValue: 0 },
		description:
			'Only abort uploads started at least this many hours ago, so uploads still running are left alone. 0 aborts every incomplete upload, including ones in progress right now.',
	},
	optionsCollection([
		concurrencyOption,
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'summary',
			options: [
				{
					name: 'Summary',
					value: 'summary',
					description: 'One item with the number of uploads aborted and any that could not be',
				},
				{
					name: 'One Item per Upload',
					value: 'perUpload',
					description: 'One item per upload with its key, upload ID, age and whether it was aborted',
				},
			],
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['bucket'], operation: ['abortIncompleteUploads'] } },
	properties,
);

/** Abort requests of one item in flight at once. */
const ABORTS_IN_FLIGHT = 8;

type Outcome = { upload: IncompleteUpload; failure?: RequestFailure; error?: unknown };

/**
 * Aborts the incomplete multipart uploads under the prefix that are older than the given age,
 * which deletes their stored parts. Uploads the server refuses to abort are reported (not thrown);
 * only when every abort failed, so nothing was cleaned up, does the item fail.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: S3Connection,
): Promise<INodeExecutionData[]> {
	const bucket = getBucket.call(this, connection, itemIndex);
	const prefix = getText.call(this, 'prefix', itemIndex, 'Prefix');
	const olderThanHours = olderThanHoursOf(this.getNode(), this.getNodeParameter('olderThanHours', itemIndex, 24), itemIndex);
	const output = this.getNodeParameter('options.output', itemIndex, 'summary') as 'summary' | 'perUpload';
	const cancelled = () => this.getExecutionCancelSignal?.()?.aborted === true;

	const outcomes: Outcome[] = [];
	// Page by page: each page's uploads are aborted before the next page is asked for.
	for await (const uploads of incompleteUploadPages(connection, bucket, { prefix, olderThanHours }, itemIndex)) {
		const page = await runPool(uploads.length, ABORTS_IN_FLIGHT, async (index): Promise<Outcome> => {
			const upload = uploads[index];
			try {
				await abortIncompleteUpload(connection, bucket, upload, itemIndex);
				return { upload };
			} catch (error) {
					return { upload, failure: requestFailureOf(error), error };
			}
		});
		outcomes.push(...page);
		if (cancelled()) break;
	}
	const failed = outcomes.filter((outcome) => outcome.failure);
	// Nothing could be cleaned up (e.g. the credential may not abort uploads), or the execution was cancelled: the item fails.
	if (failed.length > 0 && (failed.length === outcomes.length || cancelled())) throw failed[0].error;

	if (output === 'perUpload') {
		return outcomes.map(({ upload, failure }) => ({
			json: compact({
				bucket,
				key: upload.key,
				uploadId: upload.uploadId,
				initiated: upload.initiated?.toISOString(),
				ageHours: upload.ageHours,
				aborted: !failure,
				errorCode: failure?.code,
				errorMessage: failure?.message,
			}),
		}));
	}
	const summary: IDataObject = {
		bucket,
		prefix,
		olderThanHours,
		uploadsAborted: outcomes.length - failed.length,
		uploadsFailed: failed.length,
	};
	if (failed.length > 0) {
		summary.errors = failed.map(({ upload, failure }) => ({
			key: upload.key,
			uploadId: upload.uploadId,
			code: failure!.code,
			message: failure!.message,
		}));
	}
	return [{ json: summary }];
}
