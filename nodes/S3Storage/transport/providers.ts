/**
 * Provider presets: what each S3-compatible store needs by default. The credential form
 * offers these, and `resolveEndpoint` turns a preset plus the user's overrides into the
 * endpoint, region and addressing style the SDK is given.
 */
export type ProviderId =
	| 'aws'
	| 'r2'
	| 'minio'
	| 'wasabi'
	| 'digitalocean'
	| 'backblaze'
	| 'ceph'
	| 'gcs'
	| 'upcloud'
	| 'dreamobjects'
	| 'other';

export interface ProviderPreset {
	id: ProviderId;
	name: string;
	/** Region the preset starts with; the user can override it. */
	defaultRegion: string;
	/** Whether buckets are addressed as `endpoint/bucket` rather than `bucket.endpoint`. */
	defaultForcePathStyle: boolean;
	/**
	 * Endpoint template; `{region}` and `{accountId}` are filled in. `undefined` means the SDK's
	 * own AWS endpoints; `null` means the user must give the endpoint (self-hosted stores).
	 */
	endpointTemplate: string | undefined | null;
	/** Shown under the endpoint field so users know what an empty field becomes. */
	endpointHint: string;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
	{
		id: 'aws',
		name: 'Amazon S3',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: false,
		endpointTemplate: undefined,
		endpointHint: 'Leave empty for AWS; set only for VPC or FIPS endpoints',
	},
	{
		id: 'r2',
		name: 'Cloudflare R2',
		defaultRegion: 'auto',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://{accountId}.r2.cloudflarestorage.com',
		endpointHint: 'Leave empty to use https://ACCOUNT_ID.r2.cloudflarestorage.com (for the EU jurisdiction use https://ACCOUNT_ID.eu.r2.cloudflarestorage.com)',
	},
	{
		id: 'minio',
		name: 'MinIO',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: true,
		endpointTemplate: null,
		endpointHint: 'Required, e.g. http://minio.internal:9000',
	},
	{
		id: 'wasabi',
		name: 'Wasabi',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://s3.{region}.wasabisys.com',
		endpointHint: 'Leave empty to use https://s3.REGION.wasabisys.com',
	},
	{
		id: 'digitalocean',
		name: 'DigitalOcean Spaces',
		defaultRegion: 'nyc3',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://{region}.digitaloceanspaces.com',
		endpointHint: 'Leave empty to use https://REGION.digitaloceanspaces.com',
	},
	{
		id: 'backblaze',
		name: 'Backblaze B2',
		defaultRegion: 'us-west-004',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://s3.{region}.backblazeb2.com',
		endpointHint: 'Leave empty to use https://s3.REGION.backblazeb2.com (the region is in your bucket\'s endpoint)',
	},
	{
		id: 'ceph',
		name: 'Ceph RGW',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: true,
		endpointTemplate: null,
		endpointHint: 'Required, e.g. http://rgw.internal:7480',
	},
	{
		id: 'gcs',
		name: 'Google Cloud Storage (S3 API)',
		defaultRegion: 'auto',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://storage.googleapis.com',
		endpointHint: 'Leave empty to use https://storage.googleapis.com (use HMAC keys from Cloud Storage settings)',
	},
	{
		id: 'upcloud',
		name: 'UpCloud Object Storage',
		defaultRegion: 'europe-1',
		defaultForcePathStyle: false,
		endpointTemplate: null,
		endpointHint: 'Required: your instance\'s endpoint, e.g. https://abc12.upcloudobjects.com',
	},
	{
		id: 'dreamobjects',
		name: 'DreamObjects',
		defaultRegion: 'us-east-005',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://s3.{region}.dream.io',
		endpointHint: 'Leave empty to use https://s3.REGION.dream.io',
	},
	{
		id: 'other',
		name: 'Other S3-Compatible',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: true,
		endpointTemplate: null,
		endpointHint: 'Required, e.g. https://s3.example.com',
	},
];

export function getPreset(id: string | undefined): ProviderPreset {
	return PROVIDER_PRESETS.find((preset) => preset.id === id) ?? PROVIDER_PRESETS[0];
}

export interface EndpointSettings {
	provider?: string;
	region?: string;
	endpoint?: string;
	accountId?: string;
	forcePathStyle?: boolean;
}

export interface ResolvedEndpoint {
	/** `undefined` lets the SDK use AWS's own regional endpoints. */
	endpoint: string | undefined;
	region: string;
	forcePathStyle: boolean;
	/** AWS computes checksums everywhere; most other stores reject or ignore them. */
	isAws: boolean;
}

/** Thrown for settings that cannot produce a usable endpoint; the message says what to fill in. */
export class EndpointSettingsError extends Error {}

export function resolveEndpoint(settings: EndpointSettings): ResolvedEndpoint {
	const preset = getPreset(settings.provider);
	const region = settings.region?.trim() || preset.defaultRegion;
	const forcePathStyle = settings.forcePathStyle ?? preset.defaultForcePathStyle;
	let endpoint = settings.endpoint?.trim() || undefined;

	// Plain errors here: this module is pure (unit-tested, used by the credential test); callers wrap them.
	if (endpoint === undefined && preset.endpointTemplate === null) {
		throw new EndpointSettingsError(
			`The ${preset.name} preset needs an endpoint: fill in "Endpoint" in the credential (${preset.endpointHint})`,
		);
	}
	if (endpoint === undefined && preset.endpointTemplate) {
		const accountId = settings.accountId?.trim();
		if (preset.endpointTemplate.includes('{accountId}') && !accountId) {
			throw new EndpointSettingsError(
				`The ${preset.name} preset needs your account ID: fill in "Account ID" (or "Endpoint") in the credential`,
			);
		}
		endpoint = preset.endpointTemplate
			.replace('{region}', region)
			.replace('{accountId}', accountId ?? '');
	}
	if (endpoint !== undefined) {
		if (!/^https?:\/\//i.test(endpoint)) endpoint = `https://${endpoint}`;
		if (!URL.canParse(endpoint)) {
			throw new EndpointSettingsError(
				`The endpoint "${endpoint}" is not a valid URL: use a form such as https://s3.example.com or http://127.0.0.1:9000`,
			);
		}
		const url = new URL(endpoint);
		if (url.username || url.password) {
			throw new EndpointSettingsError(
				'The endpoint must not hold a user name or password: give the keys in "Access Key ID" and "Secret Access Key" instead',
			);
		}
		if (url.search || url.hash) {
			throw new EndpointSettingsError(
				`The endpoint "${endpoint}" has a query or fragment (${url.search || url.hash}): give only the server's address and, if the provider documents one, its base path, e.g. https://s3.example.com or https://s3.example.com/s3`,
			);
		}
		// A base path (e.g. https://PROJECT.supabase.co/storage/v1/s3) is kept: the SDK puts bucket and key below it.
		endpoint = endpoint.replace(/\/+$/, '');
	}
	const isAws = preset.id === 'aws' && (endpoint === undefined || /\.amazonaws\.com(\.cn)?$/i.test(new URL(endpoint).hostname));
	return { endpoint, region, forcePathStyle, isAws };
}
