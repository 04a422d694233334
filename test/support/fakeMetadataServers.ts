/**
 * Tiny HTTP servers on 127.0.0.1 that speak the real AWS credential protocols, for the
 * machine-identity and assume-role tests:
 *   - container credentials (ECS / EKS Pod Identity; AWS_CONTAINER_CREDENTIALS_FULL_URI), with
 *     the Authorization token check;
 *   - EC2 instance metadata, IMDSv2 only (PUT /latest/api/token first, then the token header);
 *   - an STS endpoint answering AssumeRoleWithWebIdentity in STS's XML format;
 *   - a counting HTTP proxy in front of a real STS (Ceph RGW) that records every call and can
 *     shorten the Expiration it passes back, to test refresh without waiting 15 minutes.
 * The credentials handed out come from an `Issuer`: real temporary credentials from RGW's STS
 * when the server has it, otherwise credentials the server accepts (random secret and session
 * token on s3rver, which checks neither).
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';

import { capabilities, getTarget, type S3Target } from './target';

export interface IssuedCredentials {
	accessKeyId: string;
	secretAccessKey: string;
	/** Empty for a user's long-term keys. */
	sessionToken: string;
}

export type Issuer = () => Promise<IssuedCredentials>;

export interface RecordedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	status: number;
}

export interface FakeServer {
	url: string;
	requests: RecordedRequest[];
	/** Every credential the server handed out (for the secret-leak search). */
	issued: IssuedCredentials[];
	close(): Promise<void>;
}

/**
 * Issues credentials that really work on the S3 server under test: on a server with STS, a fresh
 * AssumeRole of S3_TEST_ROLE_ARN by the test user for every call; on s3rver the known access key
 * with a random secret and session token; elsewhere the user's own keys.
 */
export function targetIssuer(target: S3Target = getTarget()): Issuer {
	const roleArn = process.env.S3_TEST_ROLE_ARN;
	if (capabilities(target).sts && roleArn) {
		return async () => {
			const credentials = await fromTemporaryCredentials({
				masterCredentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
				params: { RoleArn: roleArn, RoleSessionName: 'fake-metadata-server' },
				clientConfig: { endpoint: target.endpoint, region: target.region },
			})();
			return {
				accessKeyId: credentials.accessKeyId,
				secretAccessKey: credentials.secretAccessKey,
				sessionToken: credentials.sessionToken ?? '',
			};
		};
	}
	if (!capabilities(target).checksSignatures) {
		// s3rver knows the access key but checks neither the secret nor a session token: hand out
		// fresh random ones, so the secret-leak search has real values to look for.
		return async () => ({
			accessKeyId: target.accessKeyId,
			secretAccessKey: randomBytes(30).toString('base64url'),
			sessionToken: `FakeSessionToken${randomBytes(48).toString('base64url')}`,
		});
	}
	return async () => ({ accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey, sessionToken: '' });
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

async function listen(
	handler: (request: IncomingMessage, body: string, response: ServerResponse) => Promise<number>,
	extra: { issued: IssuedCredentials[] },
): Promise<FakeServer> {
	const requests: RecordedRequest[] = [];
	const server = http.createServer((request, response) => {
		void (async () => {
			const body = await readBody(request);
			const record: RecordedRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body, status: 0 };
			requests.push(record);
			try {
				record.status = await handler(request, body, response);
			} catch (error) {
				record.status = 500;
				if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
				response.end(String(error));
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		issued: extra.issued,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function expirationIn(ttlMs: number): string {
	// AWS sends whole seconds, e.g. 2026-11-21T23:59:11Z
	return new Date(Date.now() + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface MetadataOptions {
	issue?: Issuer;
	/** How long each handed-out credential is said to live. */
	ttlMs?: number;
}

/**
 * ECS / EKS Pod Identity container credentials endpoint: GET `path` with the Authorization
 * header equal to `authToken` (when given) answers the ECS JSON document.
 */
export async function startContainerCredentialsServer(
	options: MetadataOptions & { authToken?: string; path?: string } = {},
): Promise<FakeServer & { fullUri: string }> {
	const issue = options.issue ?? targetIssuer();
	const path = options.path ?? '/v2/credentials/9f5b7c0e-task';
	const issued: IssuedCredentials[] = [];
	const server = await listen(async (request, _body, response) => {
		if (request.method !== 'GET' || request.url !== path) {
			response.writeHead(404, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ Code: 'NotFound', Message: 'no such path' }));
			return 404;
		}
		if (options.authToken !== undefined && request.headers.authorization !== options.authToken) {
			response.writeHead(401, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ Code: 'AccessDeniedException', Message: 'Authorization token is missing or invalid' }));
			return 401;
		}
		const credentials = await issue();
		issued.push(credentials);
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(
			JSON.stringify({
				RoleArn: 'arn:aws:iam::123456789012:role/n8n-task-role',
				AccessKeyId: credentials.accessKeyId,
				SecretAccessKey: credentials.secretAccessKey,
				Token: credentials.sessionToken,
				Expiration: expirationIn(options.ttlMs ?? 3_600_000),
			}),
		);
		return 200;
	}, { issued });
	return { ...server, fullUri: `${server.url}${path}` };
}

/**
 * EC2 instance metadata, IMDSv2 only: PUT /latest/api/token (with the TTL header) returns a
 * session token, and every GET must carry it in x-aws-ec2-metadata-token, else 401.
 */
export async function startImdsServer(options: MetadataOptions & { roleName?: string } = {}): Promise<FakeServer & { tokens: string[] }> {
	const issue = options.issue ?? targetIssuer();
	const roleName = options.roleName ?? 'n8n-instance-role';
	const tokens: string[] = [];
	const issued: IssuedCredentials[] = [];
	const base = '/latest/meta-data/iam/security-credentials/';
	const server = await listen(async (request, _body, response) => {
		const text = (status: number, body: string) => {
			response.writeHead(status, { 'content-type': 'text/plain' });
			response.end(body);
			return status;
		};
		if (request.url === '/latest/api/token') {
			if (request.method !== 'PUT') return text(405, '');
			if (!request.headers['x-aws-ec2-metadata-token-ttl-seconds']) return text(400, '');
			const token = randomBytes(24).toString('base64');
			tokens.push(token);
			return text(200, token);
		}
		if (request.method !== 'GET') return text(405, '');
		const token = request.headers['x-aws-ec2-metadata-token'];
		if (typeof token !== 'string' || !tokens.includes(token)) return text(401, '');
		if (request.url === base) return text(200, roleName);
		if (request.url === `${base}${roleName}`) {
			const credentials = await issue();
			issued.push(credentials);
			response.writeHead(200, { 'content-type': 'text/plain' });
			response.end(
				JSON.stringify(
					{
						Code: 'Success',
						LastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
						Type: 'AWS-HMAC',
						AccessKeyId: credentials.accessKeyId,
						SecretAccessKey: credentials.secretAccessKey,
						Token: credentials.sessionToken,
						Expiration: expirationIn(options.ttlMs ?? 6 * 3_600_000),
					},
					null,
					2,
				),
			);
			return 200;
		}
		return text(404, '');
	}, { issued });
	return { ...server, tokens };
}

function xmlEscape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * An STS endpoint answering AssumeRoleWithWebIdentity (form-encoded POST, as the SDK sends it)
 * in STS's XML format; records the web identity tokens it received.
 */
export async function startFakeWebIdentitySts(options: MetadataOptions = {}): Promise<FakeServer & { webIdentityTokens: string[] }> {
	const issue = options.issue ?? targetIssuer();
	const webIdentityTokens: string[] = [];
	const issued: IssuedCredentials[] = [];
	const server = await listen(async (request, body, response) => {
		const params = new URLSearchParams(body);
		if (request.method !== 'POST' || params.get('Action') !== 'AssumeRoleWithWebIdentity') {
			response.writeHead(400, { 'content-type': 'text/xml' });
			response.end(
				'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation</Message></Error><RequestId>fake-1</RequestId></ErrorResponse>',
			);
			return 400;
		}
		webIdentityTokens.push(params.get('WebIdentityToken') ?? '');
		const credentials = await issue();
		issued.push(credentials);
		const roleArn = params.get('RoleArn') ?? '';
		const session = params.get('RoleSessionName') ?? '';
		response.writeHead(200, { 'content-type': 'text/xml' });
		response.end(`<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:n8n:n8n</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>${xmlEscape(roleArn.replace(':iam:', ':sts:').replace(':role/', ':assumed-role/'))}/${xmlEscape(session)}</Arn>
      <AssumedRoleId>AROAEXAMPLEID:${xmlEscape(session)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>${xmlEscape(credentials.sessionToken)}</SessionToken>
      <SecretAccessKey>${xmlEscape(credentials.secretAccessKey)}</SecretAccessKey>
      <Expiration>${expirationIn(options.ttlMs ?? 3_600_000)}</Expiration>
      <AccessKeyId>${xmlEscape(credentials.accessKeyId)}</AccessKeyId>
    </Credentials>
    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.example.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomBytes(8).toString('hex')}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`);
		return 200;
	}, { issued });
	return { ...server, webIdentityTokens };
}

/**
 * Forwards every request unchanged (Host header included, so SigV4 signatures stay valid) to
 * `targetUrl` and records it. `expirationMs`, when set, rewrites the <Expiration> of STS
 * answers to that many milliseconds from now. `responses` keeps the answers' bodies.
 */
export async function startCountingProxy(
	targetUrl: string,
	options: { expirationMs?: number } = {},
): Promise<FakeServer & { responses: string[]; count(action: string): number }> {
	const target = new URL(targetUrl);
	const responses: string[] = [];
	const server = await listen(
		(request, body, response) =>
			new Promise<number>((resolve, reject) => {
				const upstream = http.request(
					{
						host: target.hostname,
						port: target.port,
						method: request.method,
						path: request.url,
						headers: request.headers,
					},
					(answer) => {
						void readBody(answer).then((text) => {
							let out = text;
							if (options.expirationMs !== undefined) {
								out = out.replace(/<Expiration>[^<]*<\/Expiration>/g, `<Expiration>${expirationIn(options.expirationMs)}</Expiration>`);
							}
							responses.push(out);
							const headers = { ...answer.headers };
							delete headers['content-length'];
							delete headers['transfer-encoding'];
							response.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': Buffer.byteLength(out) });
							response.end(out);
							resolve(answer.statusCode ?? 502);
						}, reject);
					},
				);
				upstream.on('error', reject);
				upstream.end(body);
			}),
		{ issued: [] },
	);
	return {
		...server,
		responses,
		count: (action: string) => server.requests.filter((r) => new URLSearchParams(r.body).get('Action') === action).length,
	};
}

/** Secrets found in STS answers that passed through a counting proxy. */
export function secretsInStsResponses(responses: string[]): string[] {
	const found: string[] = [];
	for (const body of responses) {
		for (const match of body.matchAll(/<(SecretAccessKey|SessionToken)>([^<]+)<\//g)) found.push(match[2]);
	}
	return found;
}

/**
 * Gives the AWS SDK a clean, known environment: removes every AWS_* variable (and with them
 * ~/.aws, through config/credentials paths that do not exist), turns the real instance
 * metadata service off, then applies `vars` (undefined deletes). Returns a function that
 * restores process.env exactly. Tests using it must not run concurrently within a file.
 */
export function isolateAwsEnv(vars: Record<string, string | undefined> = {}): () => void {
	const saved = { ...process.env };
	for (const name of Object.keys(process.env)) {
		if (name.startsWith('AWS_') && name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete process.env[name];
	}
	const missing = `/nonexistent-n8n-s3-test-${process.pid}`;
	Object.assign(process.env, {
		AWS_CONFIG_FILE: `${missing}/config`,
		AWS_SHARED_CREDENTIALS_FILE: `${missing}/credentials`,
		AWS_EC2_METADATA_DISABLED: 'true',
	});
	for (const [name, value] of Object.entries(vars)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	return () => {
		for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
		Object.assign(process.env, saved);
	};
}
