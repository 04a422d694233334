/**
 * Bucket configuration JSON (helpers/bucketConfiguration): what the JSON fields accept, what they
 * refuse before any request (naming the field, the rule and the path), and the output shape that
 * Set takes back.
 */
import type { INode } from 'n8n-workflow';

import {
	corsRulesOf,
	lifecycleRulesForOutput,
	lifecycleRulesOf,
	optionalDaysOf,
	policyDocumentOf,
	textListOf,
	unlessNotConfigured,
} from '../../nodes/S3Storage/helpers/bucketConfiguration';

const node = { name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const LIFECYCLE = 'Lifecycle Rules (JSON)';

function failure(run: () => unknown): { message: string; description?: string } {
	try {
		run();
	} catch (error) {
		return error as { message: string; description?: string };
	}
	throw new Error('expected an error');
}

describe('lifecycleRulesOf', () => {
	const rule = { ID: 'r', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } };

	it('takes a list, an object with "Rules", JSON text of either, or what an expression gives', () => {
		for (const value of [[rule], { Rules: [rule] }, JSON.stringify([rule]), JSON.stringify({ Rules: [rule] })]) {
			expect(lifecycleRulesOf(node, value, LIFECYCLE, 0)).toEqual([rule]);
		}
	});

	it('turns ISO dates into dates for the request', () => {
		const [parsed] = lifecycleRulesOf(node, [{ ID: 'd', Status: 'Enabled', Expiration: { Date: '2030-01-01T00:00:00.000Z' } }], LIFECYCLE, 0);
		expect(parsed.Expiration?.Date).toEqual(new Date('2030-01-01T00:00:00.000Z'));
		expect(failure(() => lifecycleRulesOf(node, [{ Status: 'Enabled', Expiration: { Date: 'soon' } }], LIFECYCLE, 3)).message).toBe(
			'Rule 1\'s "Expiration.Date" in "Lifecycle Rules (JSON)" of item 3 is not a date',
		);
	});

	it.each([
		['', 'The "Lifecycle Rules (JSON)" of item 0 is empty'],
		['{', 'The "Lifecycle Rules (JSON)" of item 0 is not valid JSON: '],
		['[]', 'The "Lifecycle Rules (JSON)" of item 0 holds no rules'],
		['"rules"', 'The "Lifecycle Rules (JSON)" of item 0 is a string; it must be a list of rules or an object with "Rules"'],
		['[1]', 'Rule 1 in "Lifecycle Rules (JSON)" of item 0 is a number, not an object'],
		['[{"Status": "On"}]', 'Rule 1 in "Lifecycle Rules (JSON)" of item 0 has "Status" "On"; it must be "Enabled" or "Disabled"'],
		['[{"Status": "Enabled", "Expiration": {"Days": 0}}]', 'Rule 1\'s "Expiration.Days" in "Lifecycle Rules (JSON)" of item 0 is 0; it must be a whole number of days of at least 1'],
		['[{"Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": "7"}}]', 'Rule 1\'s "AbortIncompleteMultipartUpload.DaysAfterInitiation" in "Lifecycle Rules (JSON)" of item 0 is "7"; it must be a whole number of days of at least 1'],
		['[{"Status": "Enabled", "Expiration": {"Days": 1}}, {"Status": "Enabled", "expiration": {}}]', 'Rule 2 in "Lifecycle Rules (JSON)" of item 0 has a field the S3 API does not know: "expiration"'],
	])('refuses %j', (value, message) => {
		expect(failure(() => lifecycleRulesOf(node, value, LIFECYCLE, 0)).message).toContain(message);
	});

	it('points at Delete Lifecycle Rules when no rule is given', () => {
		expect(failure(() => lifecycleRulesOf(node, [], LIFECYCLE, 0)).description).toMatch(/Delete Lifecycle Rules/);
	});
});

describe('lifecycleRulesForOutput', () => {
	it('turns a rule-level Prefix into a Filter and dates into ISO text, so Set takes the rules back', () => {
		const output = lifecycleRulesForOutput([
			{ ID: 'a', Status: 'Enabled', Prefix: '', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
			{ ID: 'b', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Date: new Date('2030-01-01T00:00:00.000Z') } },
		]);
		expect(output).toEqual([
			{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
			{ ID: 'b', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Date: '2030-01-01T00:00:00.000Z' } },
		]);
		expect(lifecycleRulesOf(node, output, LIFECYCLE, 0)).toHaveLength(2);
		expect(lifecycleRulesForOutput(undefined)).toEqual([]);
	});
});

describe('optionalDaysOf', () => {
	it('reads 0 as off, whole days (also as text) as days, and refuses the rest naming the field', () => {
		expect(optionalDaysOf(node, 0, 'Expire Objects After (Days)', 0)).toBeUndefined();
		expect(optionalDaysOf(node, 30, 'Expire Objects After (Days)', 0)).toBe(30);
		expect(optionalDaysOf(node, '14', 'Expire Objects After (Days)', 0)).toBe(14);
		expect(failure(() => optionalDaysOf(node, -1, 'Expire Objects After (Days)', 2)).message).toBe(
			'The "Expire Objects After (Days)" of item 2 is -1; it must be a whole number of days (0 turns it off)',
		);
		expect(failure(() => optionalDaysOf(node, 'soon', 'Expire Objects After (Days)', 0)).message).toMatch(/is "soon"/);
	});
});

describe('corsRulesOf', () => {
	const FIELD = 'CORS Rules (JSON)';
	it('takes a list or an object with "CORSRules"', () => {
		const rule = { AllowedOrigins: ['*'], AllowedMethods: ['GET'], MaxAgeSeconds: 0 };
		expect(corsRulesOf(node, { CORSRules: [rule] }, FIELD, 0)).toEqual([rule]);
		expect(corsRulesOf(node, JSON.stringify([rule]), FIELD, 0)).toEqual([rule]);
	});

	it.each([
		[[{ AllowedOrigins: [], AllowedMethods: ['GET'] }], 'Rule 1 in "CORS Rules (JSON)" of item 0 needs "AllowedOrigins": a list of at least one text'],
		[[{ AllowedOrigins: ['*'] }], 'Rule 1 in "CORS Rules (JSON)" of item 0 needs "AllowedMethods": a list of at least one text'],
		[[{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }], 'Rule 1 in "CORS Rules (JSON)" of item 0 allows the method "PATCH"; S3 allows GET, PUT, POST, DELETE, HEAD'],
		[[{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], MaxAgeSeconds: -5 }], 'Rule 1 in "CORS Rules (JSON)" of item 0 has "MaxAgeSeconds" -5; it must be a whole number of seconds, 0 or more'],
		[[{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], allowedHeaders: ['*'] }], 'has a field the S3 API does not know: "allowedHeaders"'],
	])('refuses %j', (value, message) => {
		expect(failure(() => corsRulesOf(node, value, FIELD, 0)).message).toContain(message);
	});
});

describe('textListOf', () => {
	it('splits on commas and lines, trims, drops blanks, and takes a list as it is', () => {
		expect(textListOf('https://a.example, https://b.example\nhttps://c.example,,')).toEqual(['https://a.example', 'https://b.example', 'https://c.example']);
		expect(textListOf(['GET', ' PUT '])).toEqual(['GET', 'PUT']);
		expect(textListOf(undefined)).toEqual([]);
	});
});

describe('policyDocumentOf', () => {
	const FIELD = 'Policy (JSON)';
	const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };

	it('takes JSON text or an object and gives the text to send', () => {
		expect(JSON.parse(policyDocumentOf(node, JSON.stringify(policy, null, 2), FIELD, 0))).toEqual(policy);
		expect(JSON.parse(policyDocumentOf(node, policy, FIELD, 0))).toEqual(policy);
		expect(JSON.parse(policyDocumentOf(node, { ...policy, Statement: policy.Statement[0] }, FIELD, 0)).Statement).toEqual(policy.Statement[0]);
	});

	it.each([
		['{"Version": ', 'The "Policy (JSON)" of item 0 is not valid JSON: '],
		['null', 'The "Policy (JSON)" of item 0 is null; a bucket policy is a JSON object'],
		['{"Statement": []}', 'The "Policy (JSON)" of item 0 has no "Statement"'],
	])('refuses %j', (value, message) => {
		expect(failure(() => policyDocumentOf(node, value, FIELD, 0)).message).toContain(message);
	});
});

describe('unlessNotConfigured', () => {
	const apiError = (code: string) => Object.assign(new Error(code), { errorResponse: { s3ErrorCode: code } });

	it('gives undefined for the one "not configured" code and passes every other failure on', async () => {
		await expect(unlessNotConfigured(Promise.reject(apiError('NoSuchCORSConfiguration')), 'NoSuchCORSConfiguration')).resolves.toBeUndefined();
		await expect(unlessNotConfigured(Promise.reject(apiError('NoSuchBucket')), 'NoSuchCORSConfiguration')).rejects.toThrow('NoSuchBucket');
		await expect(unlessNotConfigured(Promise.resolve(1), 'NoSuchCORSConfiguration')).resolves.toBe(1);
	});
});
