/**
 * Endpoint resolution for every provider preset: the URL a user of each provider really gets,
 * as the SDK builds it from our client configuration (presigned, so no request is sent).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { buildClientConfig, type S3StorageCredentials } from '../../nodes/S3Storage/transport/client';
import { PROVIDER_PRESETS, resolveEndpoint } from '../../nodes/S3Storage/transport/providers';
import { recordCompat } from '../support/compat';

const keys = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' };

async function urlFor(settings: S3StorageCredentials, bucket = 'my-bucket', key = 'dir/file name.txt') {
	const { config } = buildClientConfig({ authentication: 'accessKeys', ...keys, ...settings });
	const client = new S3Client(config);
	try {
		const url = new URL(await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 }));
		const scope = url.searchParams.get('X-Amz-Credential')!.split('/');
		return { base: `${url.origin}${url.pathname}`, region: scope[2], config };
	} finally {
		client.destroy();
	}
}

const cases: Array<[string, S3StorageCredentials, string, string]> = [
	['aws', { provider: 'aws', region: 'eu-west-1' }, 'https://my-bucket.s3.eu-west-1.amazonaws.com/dir/file%20name.txt', 'eu-west-1'],
	['aws', { provider: 'aws', region: 'us-east-1' }, 'https://my-bucket.s3.us-east-1.amazonaws.com/dir/file%20name.txt', 'us-east-1'],
	['aws', { provider: 'aws', region: 'eu-west-1', forcePathStyle: true }, 'https://s3.eu-west-1.amazonaws.com/my-bucket/dir/file%20name.txt', 'eu-west-1'],
	['r2', { provider: 'r2', accountId: 'abc123' }, 'https://my-bucket.abc123.r2.cloudflarestorage.com/dir/file%20name.txt', 'auto'],
	['r2', { provider: 'r2', endpoint: 'https://abc123.eu.r2.cloudflarestorage.com' }, 'https://my-bucket.abc123.eu.r2.cloudflarestorage.com/dir/file%20name.txt', 'auto'],
	['minio', { provider: 'minio', endpoint: 'http://minio.internal:9000' }, 'http://minio.internal:9000/my-bucket/dir/file%20name.txt', 'us-east-1'],
	['wasabi', { provider: 'wasabi', region: 'eu-central-1' }, 'https://my-bucket.s3.eu-central-1.wasabisys.com/dir/file%20name.txt', 'eu-central-1'],
	['digitalocean', { provider: 'digitalocean', region: 'fra1' }, 'https://my-bucket.fra1.digitaloceanspaces.com/dir/file%20name.txt', 'fra1'],
	['backblaze', { provider: 'backblaze', region: 'eu-central-003' }, 'https://my-bucket.s3.eu-central-003.backblazeb2.com/dir/file%20name.txt', 'eu-central-003'],
	['ceph', { provider: 'ceph', endpoint: 'http://rgw.internal:7480' }, 'http://rgw.internal:7480/my-bucket/dir/file%20name.txt', 'us-east-1'],
	['gcs', { provider: 'gcs' }, 'https://my-bucket.storage.googleapis.com/dir/file%20name.txt', 'auto'],
	['upcloud', { provider: 'upcloud', endpoint: 'https://abc12.upcloudobjects.com' }, 'https://my-bucket.abc12.upcloudobjects.com/dir/file%20name.txt', 'europe-1'],
	['dreamobjects', { provider: 'dreamobjects' }, 'https://my-bucket.s3.us-east-005.dream.io/dir/file%20name.txt', 'us-east-005'],
	['hetzner', { provider: 'hetzner' }, 'https://my-bucket.fsn1.your-objectstorage.com/dir/file%20name.txt', 'fsn1'],
	['hetzner', { provider: 'hetzner', region: 'hel1' }, 'https://my-bucket.hel1.your-objectstorage.com/dir/file%20name.txt', 'hel1'],
	['scaleway', { provider: 'scaleway', region: 'nl-ams' }, 'https://my-bucket.s3.nl-ams.scw.cloud/dir/file%20name.txt', 'nl-ams'],
	['ovh', { provider: 'ovh' }, 'https://my-bucket.s3.gra.io.cloud.ovh.net/dir/file%20name.txt', 'gra'],
	['ovh', { provider: 'ovh', region: 'sbg' }, 'https://my-bucket.s3.sbg.io.cloud.ovh.net/dir/file%20name.txt', 'sbg'],
	['idrive', { provider: 'idrive', region: 'eu-west-1' }, 'https://s3.eu-west-1.idrivee2.com/my-bucket/dir/file%20name.txt', 'eu-west-1'],
	['idrive', { provider: 'idrive', endpoint: 'x1y2.va.idrivee2-12.com' }, 'https://x1y2.va.idrivee2-12.com/my-bucket/dir/file%20name.txt', 'us-east-1'],
	['linode', { provider: 'linode', region: 'eu-central-1' }, 'https://my-bucket.eu-central-1.linodeobjects.com/dir/file%20name.txt', 'eu-central-1'],
	['linode', { provider: 'linode', region: 'us-iad-1', endpoint: 'https://us-iad-10.linodeobjects.com' }, 'https://my-bucket.us-iad-10.linodeobjects.com/dir/file%20name.txt', 'us-iad-1'],
	['oracle', { provider: 'oracle', accountId: 'axaxnpcrorw5', region: 'eu-frankfurt-1' }, 'https://axaxnpcrorw5.compat.objectstorage.eu-frankfurt-1.oraclecloud.com/my-bucket/dir/file%20name.txt', 'eu-frankfurt-1'],
	['storj', { provider: 'storj' }, 'https://gateway.storjshare.io/my-bucket/dir/file%20name.txt', 'us-east-1'],
	['tigris', { provider: 'tigris' }, 'https://my-bucket.t3.storage.dev/dir/file%20name.txt', 'auto'],
	['tigris', { provider: 'tigris', endpoint: 'https://fly.storage.tigris.dev' }, 'https://my-bucket.fly.storage.tigris.dev/dir/file%20name.txt', 'auto'],
	['supabase', { provider: 'supabase', accountId: 'abcdefghijklmnopqrst', region: 'eu-central-1' }, 'https://abcdefghijklmnopqrst.supabase.co/storage/v1/s3/my-bucket/dir/file%20name.txt', 'eu-central-1'],
	['supabase', { provider: 'supabase', endpoint: 'http://127.0.0.1:54321/storage/v1/s3' }, 'http://127.0.0.1:54321/storage/v1/s3/my-bucket/dir/file%20name.txt', 'us-east-1'],
	['other', { provider: 'other', endpoint: 's3.example.com' }, 'https://s3.example.com/my-bucket/dir/file%20name.txt', 'us-east-1'],
];

describe('provider presets give each provider the right URL', () => {
	it.each(cases)('%s %j -> %s', async (provider, settings, expectedUrl, expectedRegion) => {
		const { base, region } = await urlFor(settings);
		expect(base).toBe(expectedUrl);
		expect(region).toBe(expectedRegion);
		recordCompat('presets', `preset.${provider}`);
	});

	it('covers every preset', () => {
		expect(new Set(cases.map(([provider]) => provider))).toEqual(new Set(PROVIDER_PRESETS.map((preset) => preset.id)));
	});

	it.each(['minio', 'ceph', 'upcloud', 'other'])('%s without an endpoint says the endpoint is needed', (provider) => {
		expect(() => resolveEndpoint({ provider })).toThrow(/needs an endpoint: fill in "Endpoint"/);
	});

	it('R2 without account ID or endpoint asks for the account ID', () => {
		expect(() => resolveEndpoint({ provider: 'r2' })).toThrow(/needs your account ID/);
	});

	it.each([
		['oracle', /The Oracle Cloud Object Storage \(S3 API\) preset needs your namespace: fill in "Namespace" \(or "Endpoint"\)/],
		['supabase', /The Supabase Storage preset needs your project reference: fill in "Project Reference" \(or "Endpoint"\)/],
	])('%s without its account-level name or an endpoint names the field to fill in', (provider, message) => {
		expect(() => resolveEndpoint({ provider })).toThrow(message);
		expect(() => resolveEndpoint({ provider, accountId: '   ' })).toThrow(message);
	});

	it('a malformed endpoint is refused with the expected form', () => {
		expect(() => resolveEndpoint({ provider: 'other', endpoint: 'http://exa mple:99x' })).toThrow(/is not a valid URL/);
	});

	it('a user\'s region and path-style choice override the preset', () => {
		expect(resolveEndpoint({ provider: 'minio', endpoint: 'http://m:9000', region: 'eu-1', forcePathStyle: false })).toEqual({
			endpoint: 'http://m:9000',
			region: 'eu-1',
			forcePathStyle: false,
			isAws: false,
		});
	});

	it('checksums are calculated only on AWS unless the user says otherwise', async () => {
		const checksums = async (settings: S3StorageCredentials) => {
			const { config } = await urlFor(settings);
			return [config.requestChecksumCalculation, config.responseChecksumValidation];
		};
		expect(await checksums({ provider: 'aws' })).toEqual(['WHEN_SUPPORTED', 'WHEN_SUPPORTED']);
		expect(await checksums({ provider: 'r2', accountId: 'a' })).toEqual(['WHEN_REQUIRED', 'WHEN_REQUIRED']);
		expect(await checksums({ provider: 'aws', endpoint: 'http://127.0.0.1:9000' })).toEqual(['WHEN_REQUIRED', 'WHEN_REQUIRED']);
		expect(await checksums({ provider: 'minio', endpoint: 'http://m:9000', checksumMode: 'whenSupported' })).toEqual([
			'WHEN_SUPPORTED',
			'WHEN_SUPPORTED',
		]);
	});
});

describe('an endpoint with a base path', () => {
	it.each([
		['path-style', true, 'https://abc.supabase.co/storage/v1/s3/my-bucket/dir/file%20name.txt'],
		['virtual-hosted', false, 'https://my-bucket.abc.supabase.co/storage/v1/s3/dir/file%20name.txt'],
	])('keeps the path and puts bucket and key below it (%s)', async (_label, forcePathStyle, expected) => {
		const { base } = await urlFor({ provider: 'other', endpoint: 'https://abc.supabase.co/storage/v1/s3/', forcePathStyle });
		expect(base).toBe(expected);
	});

	it('a query, a fragment or a user name in the endpoint is refused at once, without echoing a password', () => {
		expect(() => resolveEndpoint({ provider: 'other', endpoint: 'https://s3.example.com/s3?region=x' })).toThrow(
			/has a query or fragment \(\?region=x\): give only the server's address/,
		);
		expect(() => resolveEndpoint({ provider: 'other', endpoint: 'https://s3.example.com/#top' })).toThrow(/query or fragment/);
		let message = '';
		try {
			resolveEndpoint({ provider: 'other', endpoint: 'https://user:hunter2secret@s3.example.com/?a=1' });
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/must not hold a user name or password/);
		expect(message).not.toContain('hunter2secret');
	});
});

describe('Cloudflare R2 jurisdictions', () => {
	it.each([
		['eu', 'https://abc123.eu.r2.cloudflarestorage.com'],
		['fedramp', 'https://abc123.fedramp.r2.cloudflarestorage.com'],
		['us', 'https://abc123.us.r2.cloudflarestorage.com'],
		['', 'https://abc123.r2.cloudflarestorage.com'],
		[undefined, 'https://abc123.r2.cloudflarestorage.com'],
	])('jurisdiction %j uses %s, virtual-hosted, region "auto"', async (jurisdiction, host) => {
		const resolved = resolveEndpoint({ provider: 'r2', accountId: 'abc123', jurisdiction });
		expect(resolved).toEqual({ endpoint: host, region: 'auto', forcePathStyle: false, isAws: false });
		// The URL the SDK builds on that host: bucket in the host name, signed for "auto".
		const { base, region } = await urlFor({ provider: 'r2', endpoint: resolved.endpoint });
		expect(base).toBe(`https://my-bucket.${new URL(host).host}/dir/file%20name.txt`);
		expect(region).toBe('auto');
		recordCompat('presets', 'preset.r2.jurisdiction');
	});

	it('the credential\'s jurisdiction reaches the client: requests are signed for the EU host', async () => {
		const { base, region } = await urlFor({ provider: 'r2', accountId: 'abc123', jurisdiction: 'eu' });
		expect(base).toBe('https://my-bucket.abc123.eu.r2.cloudflarestorage.com/dir/file%20name.txt');
		expect(region).toBe('auto');
	});

	it('an endpoint the user fills in wins over the jurisdiction', () => {
		expect(resolveEndpoint({ provider: 'r2', accountId: 'abc123', jurisdiction: 'eu', endpoint: 'https://r2.example.com' }).endpoint).toBe(
			'https://r2.example.com',
		);
	});

	it('an unknown jurisdiction is refused with the choices, not silently sent to the default host', () => {
		expect(() => resolveEndpoint({ provider: 'r2', accountId: 'abc123', jurisdiction: 'mars' })).toThrow(
			/has no jurisdiction "mars": choose one of Default, European Union, FedRAMP, United States/,
		);
	});

	it('a jurisdiction left over from R2 does not change another provider\'s endpoint', () => {
		expect(resolveEndpoint({ provider: 'wasabi', region: 'eu-central-1', jurisdiction: 'eu' }).endpoint).toBe(
			'https://s3.eu-central-1.wasabisys.com',
		);
	});
});
