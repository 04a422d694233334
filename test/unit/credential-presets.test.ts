/**
 * The credential form's preset fields as n8n reads them (NodeHelpers.getNodeParameters, as its
 * CredentialsHelper does): each preset's defaults, its account-level field under the provider's own
 * name, the R2 jurisdiction, and the same fields in the Transfer destination credential.
 */
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { S3StorageApi } from '../../credentials/S3StorageApi.credentials';
import { S3StorageDestinationApi } from '../../credentials/S3StorageDestinationApi.credentials';
import { PROVIDER_PRESETS, resolveEndpoint } from '../../nodes/S3Storage/transport/providers';

const source = new S3StorageApi().properties;
const destination = new S3StorageDestinationApi().properties;
const keys = { authentication: 'accessKeys', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

function asReadByN8n(properties: INodeProperties[], stored: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(properties, stored, true, false, null, null) as INodeParameters;
}

/** The fields the form shows for these stored values, by name. */
function shown(properties: INodeProperties[], stored: INodeParameters): INodeProperties[] {
	const values = asReadByN8n(properties, stored);
	return properties.filter((field) => NodeHelpers.displayParameter(values, field, null, null));
}

describe('provider presets in the credential form', () => {
	it.each(PROVIDER_PRESETS.map((preset) => [preset.id, preset] as const))(
		'%s: a credential saved with only the provider gets the preset\'s region and addressing style',
		(id, preset) => {
			const read = asReadByN8n(source, { provider: id, ...keys });
			expect(read.region).toBe(preset.defaultRegion);
			expect(read.forcePathStyle).toBe(preset.defaultForcePathStyle);
			expect(shown(source, { provider: id, ...keys }).filter((field) => field.name === 'endpoint')).toEqual([
				expect.objectContaining({ hint: preset.endpointHint }),
			]);
		},
	);

	it.each([
		['r2', 'Account ID', 'abc123', 'https://abc123.r2.cloudflarestorage.com'],
		['oracle', 'Namespace', 'axaxnpcrorw5', 'https://axaxnpcrorw5.compat.objectstorage.us-ashburn-1.oraclecloud.com'],
		['supabase', 'Project Reference', 'abcdefghijklmnopqrst', 'https://abcdefghijklmnopqrst.supabase.co/storage/v1/s3'],
	])('%s shows one "%s" field, and the endpoint is built from it', (provider, label, value, endpoint) => {
		const stored = { provider, ...keys, accountId: value };
		expect(shown(source, stored).filter((field) => field.name === 'accountId').map((field) => field.displayName)).toEqual([label]);
		const read = asReadByN8n(source, stored);
		expect(read.accountId).toBe(value);
		expect(resolveEndpoint(read).endpoint).toBe(endpoint);
	});

	it.each(['aws', 'wasabi', 'hetzner', 'storj', 'tigris', 'other'])('%s shows no account field and no jurisdiction', (provider) => {
		const names = shown(source, { provider, ...keys }).map((field) => field.name);
		expect(names).not.toContain('accountId');
		expect(names).not.toContain('jurisdiction');
	});
});

describe('the R2 jurisdiction in the credential form', () => {
	it('an R2 credential saved before the field existed keeps today\'s host', () => {
		const read = asReadByN8n(source, { provider: 'r2', ...keys, accountId: 'abc123' });
		expect(read.jurisdiction).toBe('');
		expect(resolveEndpoint(read).endpoint).toBe('https://abc123.r2.cloudflarestorage.com');
	});

	it('offers the default and each jurisdiction; the EU one moves the endpoint', () => {
		const field = shown(source, { provider: 'r2', ...keys }).find((candidate) => candidate.name === 'jurisdiction');
		expect(field?.options?.map((option) => (option as { value: string }).value)).toEqual(['', 'eu', 'fedramp', 'us']);
		const read = asReadByN8n(source, { provider: 'r2', ...keys, accountId: 'abc123', jurisdiction: 'eu' });
		expect(resolveEndpoint(read).endpoint).toBe('https://abc123.eu.r2.cloudflarestorage.com');
	});
});

describe('the Transfer destination credential carries the same preset fields', () => {
	it.each([
		{ provider: 'oracle', accountId: 'axaxnpcrorw5', region: 'eu-frankfurt-1' },
		{ provider: 'supabase', accountId: 'abcdefghijklmnopqrst', region: 'eu-central-1' },
		{ provider: 'r2', accountId: 'abc123', jurisdiction: 'eu' },
		{ provider: 'hetzner', region: 'nbg1' },
	])('$provider', (stored) => {
		const read = asReadByN8n(destination, { ...keys, ...stored });
		expect(read).toEqual(asReadByN8n(source, { ...keys, ...stored }));
		expect(read).toMatchObject(stored);
	});
});
