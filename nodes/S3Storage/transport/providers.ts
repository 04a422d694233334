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
	| 'hetzner'
	| 'scaleway'
	| 'ovh'
	| 'idrive'
	| 'linode'
	| 'oracle'
	| 'storj'
	| 'tigris'
	| 'supabase'
	| 'other';

/** The field that fills `{accountId}` in an endpoint template, named as the provider names it. */
export interface AccountField {
	displayName: string;
	description: string;
	placeholder: string;
}

/** A data-residency choice that moves the endpoint to another host (`{jurisdiction}` in the template). */
export interface Jurisdiction {
	name: string;
	/** Empty for the provider's default; otherwise inserted as `.VALUE` where the template says `{jurisdiction}`. */
	value: string;
	description: string;
}

export interface ProviderPreset {
	id: ProviderId;
	name: string;
	/** Region the preset starts with; the user can override it. */
	defaultRegion: string;
	/** Whether buckets are addressed as `endpoint/bucket` rather than `bucket.endpoint`. */
	defaultForcePathStyle: boolean;
	/**
	 * Endpoint template; `{region}`, `{accountId}` and `{jurisdiction}` are filled in. `undefined`
	 * means the SDK's own AWS endpoints; `null` means the user must give the endpoint (self-hosted
	 * stores, or providers that give each account its own host).
	 */
	endpointTemplate: string | undefined | null;
	/** Shown under the endpoint field so users know what an empty field becomes. */
	endpointHint: string;
	/** Required when the template has `{accountId}`: the credential shows it for this preset. */
	accountField?: AccountField;
	/** Offered when the template has `{jurisdiction}`; the first is the default (today's host). */
	jurisdictions?: readonly Jurisdiction[];
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
		endpointTemplate: 'https://{accountId}{jurisdiction}.r2.cloudflarestorage.com',
		endpointHint: 'Leave empty to use https://ACCOUNT_ID.r2.cloudflarestorage.com, or https://ACCOUNT_ID.JURISDICTION.r2.cloudflarestorage.com for a bucket in a jurisdiction',
		accountField: {
			displayName: 'Account ID',
			description: 'Your Cloudflare account ID; the endpoint is built from it unless you fill in Endpoint',
			placeholder: 'e.g. 9a7f2c0e5b...',
		},
		// A bucket created in a jurisdiction is reached only through that jurisdiction's host.
		jurisdictions: [
			{ name: 'Default', value: '', description: 'Buckets created without a jurisdiction' },
			{ name: 'European Union', value: 'eu', description: 'Buckets whose data is kept in the EU' },
			{ name: 'FedRAMP', value: 'fedramp', description: 'Buckets in the FedRAMP jurisdiction' },
			{ name: 'United States', value: 'us', description: 'Buckets whose data is kept in the United States' },
		],
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
		id: 'hetzner',
		name: 'Hetzner Object Storage',
		defaultRegion: 'fsn1',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://{region}.your-objectstorage.com',
		endpointHint: 'Leave empty to use https://REGION.your-objectstorage.com (fsn1, nbg1 or hel1)',
	},
	{
		id: 'scaleway',
		name: 'Scaleway Object Storage',
		defaultRegion: 'fr-par',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://s3.{region}.scw.cloud',
		endpointHint: 'Leave empty to use https://s3.REGION.scw.cloud (fr-par, nl-ams or pl-waw)',
	},
	{
		id: 'ovh',
		name: 'OVHcloud Object Storage',
		defaultRegion: 'gra',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://s3.{region}.io.cloud.ovh.net',
		endpointHint: 'Leave empty to use https://s3.REGION.io.cloud.ovh.net (region in lower case, e.g. gra, sbg, de)',
	},
	{
		id: 'idrive',
		name: 'IDrive e2',
		defaultRegion: 'us-east-1',
		// Its buckets are not in one global namespace, so they are not reachable as host names.
		defaultForcePathStyle: true,
		endpointTemplate: 'https://s3.{region}.idrivee2.com',
		endpointHint: 'Leave empty to use https://s3.REGION.idrivee2.com; older accounts: the endpoint shown in the e2 console, e.g. https://x1y2.va.idrivee2-12.com',
	},
	{
		id: 'linode',
		name: 'Akamai (Linode) Object Storage',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://{region}.linodeobjects.com',
		endpointHint: 'Leave empty to use https://REGION.linodeobjects.com; if your bucket\'s page shows another host (e.g. us-iad-10.linodeobjects.com), enter it here',
	},
	{
		id: 'oracle',
		name: 'Oracle Cloud Object Storage (S3 API)',
		defaultRegion: 'us-ashburn-1',
		// The compatibility host carries the namespace, so buckets can only go in the path.
		defaultForcePathStyle: true,
		endpointTemplate: 'https://{accountId}.compat.objectstorage.{region}.oraclecloud.com',
		endpointHint: 'Leave empty to use https://NAMESPACE.compat.objectstorage.REGION.oraclecloud.com (use a Customer Secret Key as access keys)',
		accountField: {
			displayName: 'Namespace',
			description: 'Your tenancy\'s Object Storage namespace (Tenancy Details > Object Storage Settings); the endpoint is built from it unless you fill in Endpoint',
			placeholder: 'e.g. axaxnpcrorw5',
		},
	},
	{
		id: 'storj',
		name: 'Storj',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: true,
		endpointTemplate: 'https://gateway.storjshare.io',
		endpointHint: 'Leave empty to use the hosted gateway https://gateway.storjshare.io; set only for a self-hosted gateway',
	},
	{
		id: 'tigris',
		name: 'Tigris',
		defaultRegion: 'auto',
		defaultForcePathStyle: false,
		endpointTemplate: 'https://t3.storage.dev',
		endpointHint: 'Leave empty to use https://t3.storage.dev (the older host https://fly.storage.tigris.dev also works)',
	},
	{
		id: 'supabase',
		name: 'Supabase Storage',
		defaultRegion: 'us-east-1',
		defaultForcePathStyle: true,
		endpointTemplate: 'https://{accountId}.supabase.co/storage/v1/s3',
		endpointHint: 'Leave empty to use https://PROJECT_REF.supabase.co/storage/v1/s3; self-hosted: your instance\'s URL followed by /storage/v1/s3',
		accountField: {
			displayName: 'Project Reference',
			description: 'The ID in your project\'s URL (https://PROJECT_REF.supabase.co); the endpoint is built from it unless you fill in Endpoint. Region: the project\'s region.',
			placeholder: 'e.g. abcdefghijklmnopqrst',
		},
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
	/** A value of the preset's `jurisdictions`; empty or absent: the default host. */
	jurisdiction?: string;
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

/** `.eu` for the EU jurisdiction, empty for the default; an unknown value is refused, not ignored. */
function jurisdictionHost(preset: ProviderPreset, jurisdiction: string | undefined): string {
	const value = jurisdiction?.trim().toLowerCase() ?? '';
	if (value === '') return '';
	const known = preset.jurisdictions ?? [];
	if (!known.some((option) => option.value === value)) {
		throw new EndpointSettingsError(
			`The ${preset.name} preset has no jurisdiction "${value}": choose one of ${known.map((option) => option.name).join(', ') || 'none'}`,
		);
	}
	return `.${value}`;
}

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
			const field = preset.accountField?.displayName ?? 'Account ID';
			const noun = field.replace(/\b([A-Z])(?=[a-z])/g, (letter) => letter.toLowerCase());
			throw new EndpointSettingsError(
				`The ${preset.name} preset needs your ${noun}: fill in "${field}" (or "Endpoint") in the credential`,
			);
		}
		endpoint = preset.endpointTemplate.replace('{region}', region).replace('{accountId}', accountId ?? '');
		// Only presets that offer a choice read it, so a value left from another provider is ignored.
		if (endpoint.includes('{jurisdiction}')) {
			endpoint = endpoint.replace('{jurisdiction}', jurisdictionHost(preset, settings.jurisdiction));
		}
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
