import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { PROVIDER_PRESETS } from '../nodes/S3Storage/transport/providers';

/** One field per distinct preset default, so the form shows the value the chosen preset starts with. */
function presetDefaultFields(
	base: Omit<INodeProperties, 'default' | 'displayOptions'>,
	defaultOf: (preset: (typeof PROVIDER_PRESETS)[number]) => string | boolean,
): INodeProperties[] {
	const providersByDefault = new Map<string | boolean, string[]>();
	for (const preset of PROVIDER_PRESETS) {
		const value = defaultOf(preset);
		providersByDefault.set(value, [...(providersByDefault.get(value) ?? []), preset.id]);
	}
	return [...providersByDefault].map(([value, providers]) => ({
		...base,
		default: value,
		displayOptions: { show: { provider: providers } },
	}));
}

export class S3StorageApi implements ICredentialType {
	name = 's3StorageApi';

	displayName = 'S3 Storage API';

	icon = 'file:../nodes/S3Storage/s3storage.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-s3-storage/n8n-nodes-s3-storage#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			default: 'aws',
			description: 'The S3 service. It fills in the usual region, endpoint and addressing style, which you can override below.',
			options: PROVIDER_PRESETS.map((preset) => ({ name: preset.name, value: preset.id })),
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'accessKeys',
			options: [
				{
					name: 'Access Keys',
					value: 'accessKeys',
					description: 'An access key ID and secret access key, with an optional session token',
				},
			],
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessKeys'] } },
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessKeys'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary credentials (keys starting with ASIA on AWS)',
			displayOptions: { show: { authentication: ['accessKeys'] } },
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 9a7f2c0e5b...',
			description: 'Your Cloudflare account ID; the endpoint is built from it unless you fill in Endpoint',
			displayOptions: { show: { provider: ['r2'] } },
		},
		...presetDefaultFields(
			{
				displayName: 'Region',
				name: 'region',
				type: 'string',
				description: 'The region the bucket lives in. Cloudflare R2 and Google Cloud Storage use "auto".',
			},
			(preset) => preset.defaultRegion,
		),
		...PROVIDER_PRESETS.map<INodeProperties>((preset) => ({
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			placeholder: preset.endpointTemplate === null ? 'e.g. http://127.0.0.1:9000' : 'Leave empty for the default',
			hint: preset.endpointHint,
			displayOptions: { show: { provider: [preset.id] } },
		})),
		...presetDefaultFields(
			{
				displayName: 'Force Path-Style Addressing',
				name: 'forcePathStyle',
				type: 'boolean',
				description:
					'Whether to address buckets as ENDPOINT/BUCKET instead of BUCKET.ENDPOINT. Self-hosted stores (MinIO, Ceph) usually need it.',
			},
			(preset) => preset.defaultForcePathStyle,
		),
		{
			displayName: 'Default Bucket',
			name: 'defaultBucket',
			type: 'string',
			default: '',
			placeholder: 'e.g. my-bucket',
			description: 'Used when an operation leaves its bucket empty; the credential test checks it exists',
		},
		{
			displayName: 'Accept Self-Signed Certificates',
			name: 'acceptSelfSigned',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even when the server\'s TLS certificate cannot be verified. Prefer giving the CA certificate below.',
		},
		{
			displayName: 'Custom CA Certificate',
			name: 'customCa',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'PEM certificate of a private certificate authority that signed the server\'s certificate',
		},
		{
			displayName: 'Request Checksums',
			name: 'checksumMode',
			type: 'options',
			default: 'auto',
			description: 'Whether uploads carry CRC32 checksums. Many S3-compatible stores reject them.',
			options: [
				{ name: 'Auto (AWS Only)', value: 'auto' },
				{ name: 'When Required', value: 'whenRequired' },
				{ name: 'When Supported', value: 'whenSupported' },
			],
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 3,
			description: 'How many times a request is tried before failing (the SDK\'s standard retry mode, with backoff)',
		},
	];
}
