/**
 * Turning what a workflow hands the node (base64 text, lists typed as JSON or produced by
 * expressions, file names) into bytes, lists and content types, with errors that name the item.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeType } from './utils';

/** Content types by file extension, for keys whose data does not say what it is. */
const CONTENT_TYPES: Record<string, string> = {
	'7z': 'application/x-7z-compressed',
	aac: 'audio/aac',
	avif: 'image/avif',
	avi: 'video/x-msvideo',
	bmp: 'image/bmp',
	bz2: 'application/x-bzip2',
	css: 'text/css',
	csv: 'text/csv',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	eml: 'message/rfc822',
	eot: 'application/vnd.ms-fontobject',
	epub: 'application/epub+zip',
	flac: 'audio/flac',
	gif: 'image/gif',
	gz: 'application/gzip',
	heic: 'image/heic',
	htm: 'text/html',
	html: 'text/html',
	ico: 'image/vnd.microsoft.icon',
	ics: 'text/calendar',
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	js: 'text/javascript',
	json: 'application/json',
	jsonl: 'application/x-ndjson',
	m4a: 'audio/mp4',
	md: 'text/markdown',
	mjs: 'text/javascript',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg',
	mp4: 'video/mp4',
	mpeg: 'video/mpeg',
	ndjson: 'application/x-ndjson',
	odp: 'application/vnd.oasis.opendocument.presentation',
	ods: 'application/vnd.oasis.opendocument.spreadsheet',
	odt: 'application/vnd.oasis.opendocument.text',
	oga: 'audio/ogg',
	ogg: 'audio/ogg',
	ogv: 'video/ogg',
	otf: 'font/otf',
	parquet: 'application/vnd.apache.parquet',
	pdf: 'application/pdf',
	png: 'image/png',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	rar: 'application/vnd.rar',
	rtf: 'application/rtf',
	svg: 'image/svg+xml',
	tar: 'application/x-tar',
	tgz: 'application/gzip',
	tif: 'image/tiff',
	tiff: 'image/tiff',
	ts: 'video/mp2t',
	tsv: 'text/tab-separated-values',
	ttf: 'font/ttf',
	txt: 'text/plain',
	wasm: 'application/wasm',
	wav: 'audio/wav',
	weba: 'audio/webm',
	webm: 'video/webm',
	webp: 'image/webp',
	woff: 'font/woff',
	woff2: 'font/woff2',
	xhtml: 'application/xhtml+xml',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	xml: 'application/xml',
	yaml: 'application/yaml',
	yml: 'application/yaml',
	zip: 'application/zip',
};

export const OCTET_STREAM = 'application/octet-stream';

/** The content type a key's extension suggests, if it is a known one. */
export function contentTypeOfKey(key: string): string | undefined {
	const name = key.slice(key.lastIndexOf('/') + 1);
	const dot = name.lastIndexOf('.');
	if (dot < 0) return undefined;
	return CONTENT_TYPES[name.slice(dot + 1).toLowerCase()];
}

/** The first candidate that says something (a generic "application/octet-stream" says nothing). */
export function chooseContentType(...candidates: Array<string | undefined>): string {
	for (const candidate of candidates) {
		const value = candidate?.trim();
		if (value && value.toLowerCase() !== OCTET_STREAM) return value;
	}
	return OCTET_STREAM;
}

/** Adds `; charset=utf-8` to textual types that do not name a charset (used for text and JSON uploads). */
export function withUtf8Charset(contentType: string): string {
	const textual = /^text\//i.test(contentType) || /^application\/(json|xml|javascript|x-ndjson|yaml)\b/i.test(contentType) || /\+(json|xml)\b/i.test(contentType);
	return textual && !/;\s*charset=/i.test(contentType) ? `${contentType}; charset=utf-8` : contentType;
}

export interface DecodedBase64 {
	data: Buffer;
	/** The MIME type of a `data:<type>;base64,` URL, if the input was one. */
	mimeType?: string;
}

const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*?);base64,/i;

/**
 * Decodes base64 strictly: standard or URL-safe alphabet, padding optional, whitespace and line
 * breaks ignored, an optional `data:...;base64,` prefix. Anything else is an error naming the item,
 * so base64 text is never stored as if it were the data.
 */
export function decodeBase64(this: IExecuteFunctions, value: unknown, itemIndex: number, what: string): DecodedBase64 {
	if (typeof value !== 'string') {
		throw new NodeOperationError(this.getNode(), `${what} of item ${itemIndex} is not base64 text (it is ${describeType(value)})`, {
			itemIndex,
			description: 'Give the data as a base64 string, e.g. "aGVsbG8=". To upload a file from an earlier node, choose the Binary data source.',
		});
	}
	let text = value;
	let mimeType: string | undefined;
	const dataUrl = DATA_URL.exec(text.trimStart());
	if (dataUrl) {
		mimeType = dataUrl[1] || undefined;
		text = text.trimStart().slice(dataUrl[0].length);
	}
	// Positions in messages count in the text as given (after any data URL prefix).
	const bad = /[^A-Za-z0-9+/=_\s-]/.exec(text);
	text = text.replace(/\s+/g, '');
	const problem = bad
		? `character "${bad[0]}" at position ${bad.index + 1} is not a base64 character`
		: /[+/]/.test(text) && /[-_]/.test(text)
			? 'it mixes the standard (+/) and URL-safe (-_) alphabets'
			: !/^[^=]*={0,2}$/.test(text)
				? '"=" padding may only appear at the end, at most twice'
				: text.replace(/=+$/, '').length % 4 === 1
					? 'its length is not a valid base64 length (it looks truncated)'
					: /=/.test(text) && text.length % 4 !== 0
						? 'the padding does not match the length'
						: undefined;
	if (problem) {
		throw new NodeOperationError(this.getNode(), `${what} of item ${itemIndex} is not valid base64: ${problem}`, {
			itemIndex,
			description:
				'Give standard base64 (A-Z, a-z, 0-9, + and /, "=" padding) or URL-safe base64, optionally as a data URL ("data:image/png;base64,..."). Plain text goes up with the Text data source.',
		});
	}
	return { data: Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'), mimeType };
}

/**
 * A list parameter: an array (from an expression), a JSON array typed into the field, or, when
 * `lines` is set, one entry per line. Anything else is an error naming the field and the item.
 */
export function parseList(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	fieldName: string,
	options: { lines?: boolean } = {},
): unknown[] {
	if (Array.isArray(value)) return value;
	const example = options.lines
		? 'a JSON array such as ["a.txt", "b.txt"], one entry per line, or an expression returning an array'
		: 'a JSON array such as ["aGVsbG8=", "d29ybGQ="], or an expression returning an array';
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return [];
		if (text.startsWith('[')) {
			let parsed: unknown;
			try {
				parsed = JSON.parse(text);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `"${fieldName}" of item ${itemIndex} is not a valid JSON array: ${(error as Error).message}`, {
					itemIndex,
					description: `Give ${example}.`,
				});
			}
			if (Array.isArray(parsed)) return parsed;
		} else if (options.lines) {
			return text
				.split(/\r?\n/)
				.map((line) => line.trim())
				.filter((line) => line !== '');
		}
	}
	throw new NodeOperationError(this.getNode(), `"${fieldName}" of item ${itemIndex} is not a list (it is ${describeType(value)})`, {
		itemIndex,
		description: `Give ${example}.`,
	});
}

/** Joins a folder prefix and a name with exactly one slash. */
export function underFolder(folder: string | undefined, name: string): string {
	const prefix = (folder ?? '').trim().replace(/\/+$/, '');
	return prefix ? `${prefix}/${name.replace(/^\/+/, '')}` : name;
}
