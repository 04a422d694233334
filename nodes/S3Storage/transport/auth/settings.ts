/**
 * The credential's sign-in and TLS settings, checked before anything is sent: which mode, whether
 * the administrator allows the machine identity, the assume-role fields, the custom CA.
 */
import { X509Certificate } from 'node:crypto';

import { EndpointSettingsError } from '../providers';

/** The environment variable an n8n administrator sets to `true` to allow machine identity. */
export const MACHINE_IDENTITY_ENV = 'N8N_S3_STORAGE_ALLOW_MACHINE_IDENTITY';

export const DEFAULT_ROLE_SESSION_NAME = 'n8n-s3-storage';
export const DEFAULT_SESSION_DURATION = 3600;
export const MIN_SESSION_DURATION = 900;
export const MAX_SESSION_DURATION = 43200;

export type AuthenticationMode = 'accessKeys' | 'machineIdentity' | 'assumeRole';

/** The credential's sign-in fields, as the form stores them. */
export interface AuthFields {
	authentication?: string;
	accessKeyId?: string;
	secretAccessKey?: string;
	sessionToken?: string;
	/** Machine identity: the shared config / SSO profile to use (empty: AWS_PROFILE or "default"). */
	profileName?: string;
	/** Assume role: where the credentials that call STS come from. */
	sourceCredentials?: 'accessKeys' | 'machineIdentity' | string;
	roleArn?: string;
	externalId?: string;
	roleSessionName?: string;
	sessionDuration?: number;
	stsEndpoint?: string;
	stsRegion?: string;
	acceptSelfSigned?: boolean;
	customCa?: string;
	maxAttempts?: number;
}

/** What the S3 side already resolved, which the STS side defaults to. */
export interface AuthContext {
	/** The S3 endpoint; undefined on AWS. Assume role sends STS here unless "STS Endpoint" is set. */
	endpoint: string | undefined;
	region: string;
	isAws: boolean;
}

/** Settings that cannot work (machine identity not allowed, missing role ARN, a bad CA...): says what to do. */
export class AuthSettingsError extends EndpointSettingsError {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'AuthSettingsError';
	}
}

export function authenticationMode(fields: AuthFields): AuthenticationMode {
	const mode = fields.authentication ?? 'accessKeys';
	if (mode === 'accessKeys' || mode === 'machineIdentity' || mode === 'assumeRole') return mode;
	throw new AuthSettingsError(
		`Unknown authentication mode "${mode}"`,
		'Open the S3 Storage credential and choose Access Keys, Machine Identity or Assume Role.',
	);
}

export function machineIdentityAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
	return (env[MACHINE_IDENTITY_ENV] ?? '').trim().toLowerCase() === 'true';
}

export function usesMachineIdentity(fields: AuthFields): boolean {
	const mode = authenticationMode(fields);
	return mode === 'machineIdentity' || (mode === 'assumeRole' && fields.sourceCredentials === 'machineIdentity');
}

/**
 * The settings check every use of the credential runs (each client use, each sign-in): a custom CA
 * that cannot be read is refused, and the machine identity only when the administrator allows it.
 */
export function assertAuthAllowed(fields: AuthFields): void {
	assertCustomCa(fields.customCa);
	if (!usesMachineIdentity(fields) || machineIdentityAllowed()) return;
	const how = authenticationMode(fields) === 'assumeRole' ? 'Assume Role with the machine identity as source' : 'Machine Identity';
	throw new AuthSettingsError(
		`Sign-in with the machine identity is not allowed on this n8n instance (the credential uses ${how})`,
		`The machine identity is the AWS identity of the server n8n runs on (environment variables, a shared config profile, an EKS IRSA or Pod Identity role, an ECS task role or an EC2 instance profile). Any workflow could act with it, so an n8n administrator must allow it: set the environment variable ${MACHINE_IDENTITY_ENV}=true for n8n (and its workers) and restart n8n. Otherwise choose "Access Keys" in the credential.`,
	);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const CA_FIX =
	'Paste the CA\'s certificate in PEM form into the credential\'s "Custom CA Certificate": the lines from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE----- (several certificates may follow one another). Leave the field empty to trust the usual public CAs.';
/** CAs already read, so the check on every use costs a lookup (certificates are public: no secret is kept). */
const checkedCas = new Set<string>();

/** Why a PEM block is not a certificate Node can read (OpenSSL's reason), or undefined when it is one. */
function unreadableCertificate(block: string): string | undefined {
	try {
		new X509Certificate(block);
		return undefined;
	} catch (error) {
		return (error as Error).message.replace(/^error:[0-9A-F]+:/, '');
	}
}

/**
 * Reads every certificate of "Custom CA Certificate" (Node would silently skip what it cannot
 * read, and the server's certificate would then be reported as self-signed). Never echoes the
 * field: a private key pasted by mistake must not end up in an error message.
 */
export function assertCustomCa(customCa: string | undefined): void {
	const text = customCa?.trim();
	if (!text || checkedCas.has(text)) return;
	const blocks = [...text.matchAll(PEM_BLOCK)];
	if (blocks.length === 0) {
		throw new AuthSettingsError('"Custom CA Certificate" holds no certificate: no -----BEGIN CERTIFICATE----- block was found', CA_FIX);
	}
	blocks.forEach(([block, label], index) => {
		const which = blocks.length > 1 ? `Block ${index + 1} of "Custom CA Certificate"` : '"Custom CA Certificate"';
		if (label !== 'CERTIFICATE' && label !== 'TRUSTED CERTIFICATE') {
			throw new AuthSettingsError(
				`${which} is a ${label}, not a certificate`,
				`${/PRIVATE KEY/.test(label) ? 'Remove the private key: the field takes only the CA\'s public certificate. ' : ''}${CA_FIX}`,
			);
		}
		const unreadable = unreadableCertificate(block);
		if (unreadable) {
			throw new AuthSettingsError(
				`${which} is not a readable certificate (${unreadable})`,
				`The text between the BEGIN and END lines is damaged or incomplete. ${CA_FIX}`,
			);
		}
	});
	if (checkedCas.size >= 64) checkedCas.clear();
	checkedCas.add(text);
}

const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

/** The assume-role settings, checked before anything is sent. */
export function roleSettings(fields: AuthFields) {
	const roleArn = (fields.roleArn ?? '').trim();
	const fix = 'Open the S3 Storage credential and correct the Assume Role settings.';
	if (!roleArn) throw new AuthSettingsError('Assume Role needs a role: fill in "Role ARN" in the credential', fix);
	if (!/^arn:[^:]+:iam:/.test(roleArn)) {
		throw new AuthSettingsError(
			`"${roleArn}" is not a role ARN`,
			'A role ARN looks like arn:aws:iam::123456789012:role/NAME on AWS, or arn:aws:iam:::role/PATH/NAME on Ceph RGW.',
		);
	}
	const roleSessionName = (fields.roleSessionName ?? '').trim() || DEFAULT_ROLE_SESSION_NAME;
	if (!SESSION_NAME_PATTERN.test(roleSessionName)) {
		throw new AuthSettingsError(
			`The role session name "${roleSessionName}" is not valid`,
			'Use 2 to 64 characters: letters, digits and + = , . @ _ - (STS and Ceph RGW refuse shorter names).',
		);
	}
	const sessionDuration = Number(fields.sessionDuration ?? DEFAULT_SESSION_DURATION) || DEFAULT_SESSION_DURATION;
	if (!Number.isInteger(sessionDuration) || sessionDuration < MIN_SESSION_DURATION || sessionDuration > MAX_SESSION_DURATION) {
		throw new AuthSettingsError(
			`The session duration ${sessionDuration} is not valid`,
			`Use a whole number of seconds from ${MIN_SESSION_DURATION} to ${MAX_SESSION_DURATION} (and at most the role's maximum session duration).`,
		);
	}
	const externalId = (fields.externalId ?? '').trim() || undefined;
	let stsEndpoint = (fields.stsEndpoint ?? '').trim() || undefined;
	if (stsEndpoint !== undefined) {
		if (!/^https?:\/\//i.test(stsEndpoint)) stsEndpoint = `https://${stsEndpoint}`;
		if (!URL.canParse(stsEndpoint)) {
			throw new AuthSettingsError(`The STS endpoint "${stsEndpoint}" is not a valid URL`, 'Use a form such as https://sts.example.com or http://127.0.0.1:7480.');
		}
		stsEndpoint = stsEndpoint.replace(/\/+$/, '');
	}
	const stsRegion = (fields.stsRegion ?? '').trim() || undefined;
	return { roleArn, roleSessionName, sessionDuration, externalId, stsEndpoint, stsRegion };
}
