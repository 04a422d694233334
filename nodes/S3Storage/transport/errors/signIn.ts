/**
 * Sign-in failures: getting the source credentials (the access keys, or the machine identity) or
 * assuming the role. Raised by transport/auth as a `SignInError`, already in words, so the node
 * and the credential test report them as sign-in failures and not as S3 errors.
 */
import { causeChain, humanizeCodes, networkCode, networkWords, TLS_CODES } from './network';
import type { DescribedError, SdkErrorShape } from './types';

/** The sign-in step that failed. */
export type SignInStep = 'source' | 'assumeRole';

/** A sign-in failure, already described. Holds no SDK error (its request may hold secrets). */
export class SignInError extends Error {
	readonly described: DescribedError;

	constructor(
		readonly step: SignInStep,
		described: DescribedError,
	) {
		const readable = { ...described, message: humanizeCodes(described.message), description: humanizeCodes(described.description) };
		super(readable.message);
		this.name = 'S3StorageSignInError';
		this.described = readable;
	}
}

/** The sign-in failure in an error's cause chain, if there is one (the SDK may wrap what a provider threw). */
export function signInErrorIn(error: unknown): SignInError | undefined {
	for (const candidate of causeChain(error)) if (candidate instanceof SignInError) return candidate;
	return undefined;
}

/** Removes any secret this credential holds from a text that is about to be shown. */
export function redact(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join('***');
	return result;
}

function errorCode(error: SdkErrorShape): string | undefined {
	const code = error.Code ?? error.name;
	return code && !['Unknown', 'UnknownError', 'Error', 'NotFound'].includes(code) ? code : undefined;
}

function serverMessage(error: SdkErrorShape, code: string | undefined): string {
	const message = (error.message ?? '').trim();
	return message && message !== code && message !== 'UnknownError' && message !== 'Unknown' ? message : '';
}

const MACHINE_SOURCES =
	'the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables, the shared config and credentials files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE; AWS_PROFILE or "Profile Name"), SSO, a web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, as EKS IRSA sets), container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, as ECS and EKS Pod Identity set) and the EC2 instance metadata service (IMDSv2)';

export function describeMachineIdentityFailure(error: unknown, profile: string | undefined, secrets: string[]): DescribedError {
	if (error instanceof SignInError) return error.described;
	const sdkError = (error ?? {}) as SdkErrorShape;
	const message = redact(String(sdkError.message ?? error), secrets)
		.replace(/^AWS SDK error wrapper for /, '')
		.replace(/^(Error|CredentialsProviderError|ProviderError): /, '');
	if (/could not load credentials from any providers/i.test(message)) {
		const containerVariable = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'].find((name) => process.env[name]);
		if (containerVariable && !profile) {
			// The SDK moves on after a failing container endpoint and reports only that nothing was found.
			return {
				code: 'NoMachineIdentity',
				message: `Could not get the machine identity's credentials: the container credentials endpoint (${containerVariable}) gave none`,
				description:
					'The endpoint did not answer, refused the request or sent no credentials. On ECS, check the task role; on EKS Pod Identity, the pod identity association and its agent; and that AWS_CONTAINER_AUTHORIZATION_TOKEN or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE holds the token the endpoint expects.',
			};
		}
		if (profile) {
			return {
				code: 'NoMachineIdentity',
				message: `Could not get the machine identity's credentials (profile "${profile}"): the profile was not found or has no credentials`,
				description: `Check that profile "${profile}" exists in the shared config or credentials file of the n8n host (~/.aws/config, ~/.aws/credentials, or the files AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name) and gives credentials (keys, SSO, a role or a credential process), or empty "Profile Name" to use the other sources.`,
			};
		}
		return {
			code: 'NoMachineIdentity',
			message: 'Could not get the machine identity\'s credentials: none were found on the n8n host',
			description: `The AWS SDK looked, in this order, at ${MACHINE_SOURCES}. Give the n8n process one of them, or use Access Keys.`,
		};
	}
	const status = sdkError.$metadata?.httpStatusCode;
	const code = errorCode(sdkError) ?? (status ? `HTTP ${status}` : 'CredentialsProviderError');
	const net = status ? undefined : networkCode(error);
	const detail = status
		? `${serverMessage(sdkError, code) || 'the web identity STS call failed'} (${code}, HTTP ${status})`
		: net
			? `a credential service could not be reached (${message})`
			: message;
	return {
		code,
		httpStatus: status,
		message: `Could not get the machine identity's credentials${profile ? ` (profile "${profile}")` : ''}: ${detail}`,
		description: `The first credential source the AWS SDK found on the n8n host failed. It looks, in this order, at ${MACHINE_SOURCES}. Fix the one the message names.`,
	};
}

export function describeAssumeRoleFailure(
	error: unknown,
	roleArn: string,
	where: string,
	secrets: string[],
	limits: { minSessionDuration: number },
): DescribedError {
	const sdkError = (error ?? {}) as SdkErrorShape;
	const status = sdkError.$metadata?.httpStatusCode;
	const prefix = `Could not assume role "${roleArn}"`;
	const net = networkCode(error);
	if (net && !status) {
		const tls = TLS_CODES.has(net);
		return {
			code: tls ? 'StsTlsFailure' : 'StsUnreachable',
			message: `${prefix}: ${tls ? 'the TLS connection to' : 'could not reach'} the STS endpoint ${where} (${networkWords(net)})`,
			description:
				'Check "STS Endpoint" and "STS Region" in the credential (an empty STS Endpoint means AWS STS for Amazon S3, and the S3 endpoint itself for other providers, as Ceph RGW and MinIO answer STS there), and that n8n can reach it.' +
				(tls ? ' For a private CA, give its certificate in "Custom CA Certificate".' : ''),
		};
	}
	const code = errorCode(sdkError);
	const fromServer = redact(serverMessage(sdkError, code), secrets);
	const label = `${code ?? 'no error code'}${status ? `, HTTP ${status}` : ''}`;
	const said = fromServer ? `: ${fromServer}` : '';
	const result = (reason: string, description: string): DescribedError => ({
		code: code ?? (status ? `HTTP ${status}` : 'UnknownError'),
		httpStatus: status,
		message: `${prefix}: ${reason} (${label})${said}`,
		description,
	});
	if (code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') {
		return result('STS did not accept the source credentials', 'Check the source access key ID and secret access key (or the machine identity) that call STS.');
	}
	if (code === 'ExpiredToken' || code === 'ExpiredTokenException') {
		return result('the source credentials\' session token has expired', 'Renew the source session token, or leave it empty for long-term access keys.');
	}
	if (code === 'RegionDisabledException') {
		return result('STS is not activated in this region', 'Activate STS for the region in the AWS account, or set "STS Region" to an active one.');
	}
	if (code === 'NoSuchEntity' || (!code && status === 404)) {
		return result(
			'the role does not exist',
			'Check "Role ARN": on AWS arn:aws:iam::ACCOUNT_ID:role/NAME, on Ceph RGW arn:aws:iam:::role/PATH/NAME (the role\'s path is part of the ARN).',
		);
	}
	if (code === 'AccessDenied' || (!code && status === 403)) {
		return result(
			'access denied',
			'STS refused to let the source credentials assume this role. Check that the role\'s trust policy allows the source identity (the user or role of the source credentials) to call sts:AssumeRole, that "External ID" matches the trust policy\'s sts:ExternalId condition if it has one, and that the source credentials themselves are valid.',
		);
	}
	if (code === 'ValidationError' || code === 'MalformedPolicyDocument' || (!code && status === 400)) {
		return result(
			'STS rejected the request as invalid',
			`Check the Role ARN format, "Role Session Name" (2 to 64 characters: letters, digits and + = , . @ _ -) and "Session Duration" (${limits.minSessionDuration} seconds up to the role's maximum session duration, 3600 by default).`,
		);
	}
	return result(
		'the STS service refused the request',
		`The STS endpoint is ${where}. The code above is the server's own; see its STS error reference.`,
	);
}
