import type { IAuthenticate, ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_ROLE_SESSION_NAME,
	DEFAULT_SESSION_DURATION,
	MACHINE_IDENTITY_ENV,
	MAX_SESSION_DURATION,
	MIN_SESSION_DURATION,
} from '../nodes/S3Storage/transport/auth';
import type { S3StorageCredentials } from '../nodes/S3Storage/transport/client';
import { PROVIDER_PRESETS } from '../nodes/S3Storage/transport/providers';
import { signRequestOptions } from '../nodes/S3Storage/transport/requestSigning';

/** The access key fields, shown for access-key sign-in and as the source of an assumed role. */
function accessKeyFields(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show },
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary credentials (keys starting with ASIA on AWS)',
			displayOptions: { show },
		},
	];
}

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

	/**
	 * SigV4 for n8n's HTTP Request node ("Predefined Credential Type": S3 Storage API): requests to
	 * the credential's endpoint are signed with its keys, machine identity or assumed role, as the node signs.
	 */
	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) =>
		await signRequestOptions(credentials as S3StorageCredentials, requestOptions);

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
				{
					name: 'Assume Role',
					value: 'assumeRole',
					description: 'Temporary credentials of an IAM role (STS AssumeRole), refreshed before they expire',
				},
				{
					name: 'Machine Identity',
					value: 'machineIdentity',
					description:
						'The AWS identity of the server n8n runs on: environment, profile, EKS IRSA or Pod Identity, ECS task role, EC2 instance profile. The n8n administrator must allow it.',
				},
			],
		},
		{
			displayName: `Uses the AWS credentials of the machine n8n runs on, found by the AWS SDK in this order: environment variables, the shared config/credentials files (profile), SSO, a web identity token file (EKS IRSA), container credentials (ECS, EKS Pod Identity), EC2 instance metadata. Works only when the n8n administrator sets ${MACHINE_IDENTITY_ENV}=true.`,
			name: 'machineIdentityNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { authentication: ['machineIdentity'] } },
		},
		{
			displayName: 'Source Credentials',
			name: 'sourceCredentials',
			type: 'options',
			default: 'accessKeys',
			description: 'The credentials that call STS to assume the role',
			options: [
				{ name: 'Access Keys', value: 'accessKeys', description: 'An access key ID and secret access key entered below' },
				{
					name: 'Machine Identity',
					value: 'machineIdentity',
					description: `The AWS identity of the server n8n runs on (needs ${MACHINE_IDENTITY_ENV}=true)`,
				},
			],
			displayOptions: { show: { authentication: ['assumeRole'] } },
		},
		...accessKeyFields({ authentication: ['accessKeys'] }),
		...accessKeyFields({ authentication: ['assumeRole'], sourceCredentials: ['accessKeys'] }),
		...[{ authentication: ['machineIdentity'] }, { authentication: ['assumeRole'], sourceCredentials: ['machineIdentity'] }].map(
			(show): INodeProperties => ({
				displayName: 'Profile Name',
				name: 'profileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. production',
				description:
					'Profile of the shared config and credentials files (~/.aws/config, ~/.aws/credentials) to use, including SSO profiles. Empty: the AWS_PROFILE environment variable, else the other sources.',
				displayOptions: { show },
			}),
		),
		{
			displayName: 'Role ARN',
			name: 'roleArn',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. arn:aws:iam::123456789012:role/n8n-s3',
			description: 'The role to assume. On Ceph RGW the path is part of it, e.g. arn:aws:iam:::role/app/NAME.',
			displayOptions: { show: { authentication: ['assumeRole'] } },
		},
		{
			displayName: 'External ID',
			name: 'externalId',
			type: 'string',
			default: '',
			description: 'Only when the role\'s trust policy requires one (condition sts:ExternalId)',
			displayOptions: { show: { authentication: ['assumeRole'] } },
		},
		{
			displayName: 'Role Session Name',
			name: 'roleSessionName',
			type: 'string',
			default: DEFAULT_ROLE_SESSION_NAME,
			description: 'Shown in the account\'s logs (CloudTrail). 2 to 64 characters: letters, digits and + = , . @ _ -.',
			displayOptions: { show: { authentication: ['assumeRole'] } },
		},
		{
			displayName: 'Session Duration (Seconds)',
			name: 'sessionDuration',
			type: 'number',
			typeOptions: { minValue: MIN_SESSION_DURATION, maxValue: MAX_SESSION_DURATION },
			default: DEFAULT_SESSION_DURATION,
			description:
				'How long each set of temporary credentials lasts; they are renewed shortly before they expire. At most the role\'s maximum session duration.',
			displayOptions: { show: { authentication: ['assumeRole'] } },
		},
		{
			displayName: 'STS Endpoint',
			name: 'stsEndpoint',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://sts.eu-west-1.amazonaws.com',
			hint: 'Leave empty for AWS STS with Amazon S3, and for the S3 endpoint itself with other providers (Ceph RGW and MinIO answer STS there)',
			displayOptions: { show: { authentication: ['assumeRole'] } },
		},
		{
			displayName: 'STS Region',
			name: 'stsRegion',
			type: 'string',
			default: '',
			placeholder: 'e.g. eu-west-1',
			description: 'Region STS requests are signed for. Empty: the credential\'s region.',
			displayOptions: { show: { authentication: ['assumeRole'] } },
		},
		// One field per preset whose endpoint holds an account-level name (R2 account ID, namespace, project).
		...PROVIDER_PRESETS.flatMap<INodeProperties>(({ id, accountField }) =>
			accountField
				? [
						{
							displayName: accountField.displayName,
							name: 'accountId',
							type: 'string',
							default: '',
							placeholder: accountField.placeholder,
							description: accountField.description,
							displayOptions: { show: { provider: [id] } },
						},
					]
				: [],
		),
		...PROVIDER_PRESETS.flatMap<INodeProperties>(({ id, jurisdictions }) =>
			jurisdictions
				? [
						{
							displayName: 'Jurisdiction',
							name: 'jurisdiction',
							type: 'options',
							// Empty: the host that credentials saved before this field existed already use.
							default: '',
							description: 'The jurisdiction the bucket was created in; it chooses the endpoint unless you fill in Endpoint',
							options: jurisdictions.map(({ name, value, description }) => ({ name, value, description })),
							displayOptions: { show: { provider: [id] } },
						},
					]
				: [],
		),
		...presetDefaultFields(
			{
				displayName: 'Region',
				name: 'region',
				type: 'string',
				description: 'The region the bucket lives in. Cloudflare R2, Google Cloud Storage and Tigris use "auto".',
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
			displayName: 'Idle Timeout (Seconds)',
			name: 'idleTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'How long a request may wait without receiving anything (before the answer starts, or in the middle of a download) before it is tried again',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 10,
			description:
				'How many times a request is tried before failing. Throttling (503 Slow Down), server errors, timeouts and dropped connections are retried with growing pauses (0.5 s doubling up to 20 s), which rides through a server restart of several seconds.',
		},
		{
			displayName: 'Response Timeout (Seconds)',
			name: 'responseTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description: 'The longest time from sending a request (its body included) until the server starts to answer, however busy the connection',
		},
		{
			displayName: 'Bucket Owner and Requester Pays',
			name: 'accountSettings',
			type: 'boolean',
			default: false,
			description: 'Whether to show the settings that check who owns each bucket and accept the charges of requester-pays buckets',
		},
		{
			displayName: 'Expected Bucket Owner',
			name: 'expectedBucketOwner',
			type: 'string',
			default: '',
			placeholder: 'e.g. 111122223333',
			description:
				'The 12-digit account ID that must own every bucket this credential uses: a request to a bucket of another account is refused (AccessDenied) instead of reading or writing it. Empty: not checked.',
			displayOptions: { show: { accountSettings: [true] } },
		},
		{
			displayName: 'Requester Pays',
			name: 'requesterPays',
			type: 'boolean',
			default: false,
			description: 'Whether to accept the charges of buckets where the requester pays',
			displayOptions: { show: { accountSettings: [true] } },
		},
	];
}
