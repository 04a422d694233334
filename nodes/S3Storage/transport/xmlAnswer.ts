/**
 * S3's XML answers as JSON, read with the SDK's own XML parser (the one its commands read S3 with):
 * values stay text (a key "007" stays "007"), namespace attributes are dropped, and the elements
 * S3 repeats (Contents, Tag, Grant, Rule...) are always lists, so a workflow sees one shape whether
 * the answer holds one entry or many.
 */
import { parseXML } from '@aws-sdk/xml-builder';

/** Elements that are lists wherever they appear in S3's answers. */
const ALWAYS_LISTS = new Set([
	'AllowedHeader',
	'AllowedMethod',
	'AllowedOrigin',
	'CloudFunctionConfiguration',
	'CommonPrefixes',
	'Contents',
	'CORSRule',
	'Deleted',
	'DeleteMarker',
	'Event',
	'ExposeHeader',
	'FilterRule',
	'Grant',
	'NoncurrentVersionTransition',
	'Part',
	'QueueConfiguration',
	'RoutingRule',
	'Rule',
	'TopicConfiguration',
	'Transition',
	'Upload',
	'Version',
]);

/** Elements that are lists only inside a given parent (an `Error` of DeleteObjects, not S3's error answer). */
const LISTS_IN: Record<string, Set<string>> = {
	Buckets: new Set(['Bucket']),
	TagSet: new Set(['Tag']),
	DeleteResult: new Set(['Error']),
	Delete: new Set(['Object']),
	AccessControlList: new Set(['Grant']),
};

type Json = string | Json[] | { [key: string]: Json };

function normalize(value: Json, name: string): Json {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map((entry) => normalize(entry, name));
	const result: { [key: string]: Json } = {};
	for (const [key, child] of Object.entries(value)) {
		if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
		const normalized = normalize(child, key);
		const isList = ALWAYS_LISTS.has(key) || LISTS_IN[name]?.has(key);
		result[key] = isList && !Array.isArray(normalized) ? [normalized] : normalized;
	}
	return result;
}

/** Parses an XML document into JSON, its root element as the one key. Throws on malformed XML. */
export function xmlToJson(xml: string): Record<string, unknown> {
	const parsed = parseXML(xml) as Record<string, Json>;
	const [root] = Object.keys(parsed);
	return { [root]: normalize(parsed[root], root) };
}

/** Whether a content type is XML (application/xml, text/xml, anything +xml). */
export function isXmlContentType(contentType: string | undefined): boolean {
	return /^(application|text)\/([\w.-]+\+)?xml\b/i.test(contentType ?? '');
}
