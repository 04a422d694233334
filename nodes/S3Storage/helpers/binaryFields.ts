/**
 * Where an item's binaries are. n8n 2.x keeps them under `binary`, or, with the workflow setting
 * "binaryMode: combined", under `json._files` (n8n-core's convert-binary-data), where code that
 * looks only at `binary` finds nothing.
 */
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

/** n8n-workflow's BINARY_IN_JSON_PROPERTY, spelled out: older n8n versions do not export it. */
const BINARIES_IN_JSON = '_files';

function isBinary(value: unknown): value is IBinaryData {
	return typeof value === 'object' && value !== null && 'mimeType' in value && ('id' in value || 'data' in value);
}

/** Every binary of the item by field name, wherever the workflow keeps them. */
export function binariesOf(item: INodeExecutionData | undefined): Record<string, IBinaryData> {
	const inJson = item?.json?.[BINARIES_IN_JSON];
	const binaries: Record<string, IBinaryData> = {};
	if (inJson && typeof inJson === 'object' && !Array.isArray(inJson)) {
		for (const [field, value] of Object.entries(inJson as IDataObject)) if (isBinary(value)) binaries[field] = value;
	}
	return { ...binaries, ...item?.binary };
}

/**
 * The binary an "Input Binary Field" names, for n8n's binary helpers: the binary itself when the
 * field is found in either place (so "data" keeps working after a workflow is switched to combined
 * mode), else the name as given, which n8n resolves (a path such as "_files.data") or reports.
 */
export function inputBinaryField(item: INodeExecutionData | undefined, field: string | IBinaryData): string | IBinaryData {
	if (typeof field !== 'string') return field;
	return binariesOf(item)[field] ?? field;
}
