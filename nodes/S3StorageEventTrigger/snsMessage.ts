/**
 * SNS message authentication, as AWS documents it ("Verifying the signatures of Amazon SNS
 * messages"): the signing certificate must come from sns.REGION.amazonaws.com over HTTPS, the
 * string to sign is fixed fields in a fixed order ("Name\nvalue\n"), SignatureVersion 1 is
 * RSA-SHA1 and 2 is RSA-SHA256. The certificate fetch is passed in, so tests can sign with their own key.
 */
import { createVerify, X509Certificate } from 'node:crypto';

export interface SnsMessage {
	Type: string;
	MessageId: string;
	TopicArn: string;
	Message: string;
	Timestamp: string;
	SignatureVersion: string;
	Signature: string;
	SigningCertURL: string;
	Subject?: string;
	Token?: string;
	SubscribeURL?: string;
	UnsubscribeURL?: string;
}

export type CertificateFetcher = (url: string) => Promise<string>;

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;
const TYPES = new Set(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);
const ALGORITHMS: Record<string, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };

/** Whether a parsed body looks like an SNS message at all (it has SNS's type and signature fields). */
export function isSnsMessage(body: unknown): body is SnsMessage {
	const message = body as Partial<SnsMessage> | undefined;
	return (
		typeof message === 'object' &&
		message !== null &&
		typeof message.Type === 'string' &&
		TYPES.has(message.Type) &&
		['MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'].every(
			(field) => typeof (message as Record<string, unknown>)[field] === 'string',
		)
	);
}

/** The region in an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), or undefined. */
export function regionOfTopicArn(arn: string): string | undefined {
	const parts = arn.split(':');
	if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sns' || !/^[a-z0-9-]+$/.test(parts[3])) return undefined;
	return parts[3];
}

/** Whether `url` is an https URL on SNS's own host for `region` (no port, no user, the path given). */
export function isSnsUrl(url: string, region: string, path: RegExp): boolean {
	if (!URL.canParse(url)) return false;
	const parsed = new URL(url);
	const hosts = [`sns.${region}.amazonaws.com`, `sns.${region}.amazonaws.com.cn`];
	return (
		parsed.protocol === 'https:' &&
		parsed.port === '' &&
		parsed.username === '' &&
		parsed.password === '' &&
		hosts.includes(parsed.hostname.toLowerCase()) &&
		path.test(parsed.pathname)
	);
}

/** The text SNS signs for this message. */
export function stringToSign(message: SnsMessage): string {
	const fields = message.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
	let text = '';
	for (const field of fields) {
		const value = message[field];
		if (value === undefined) continue;
		text += `${field}\n${value}\n`;
	}
	return text;
}

const certificates = new Map<string, X509Certificate>();
const MAX_CACHED_CERTIFICATES = 16;

/**
 * Why the message cannot be trusted, or undefined when its signature is SNS's. Never throws:
 * a certificate that cannot be fetched makes the message untrusted.
 */
export async function snsMessageProblem(message: unknown, fetchCertificate: CertificateFetcher, now = Date.now()): Promise<string | undefined> {
	if (!isSnsMessage(message)) return 'not a signed SNS message';
	const algorithm = ALGORITHMS[message.SignatureVersion];
	if (!algorithm) return `unknown SignatureVersion "${message.SignatureVersion}"`;
	const region = regionOfTopicArn(message.TopicArn);
	if (!region) return `TopicArn "${message.TopicArn}" is not an SNS topic`;
	if (!isSnsUrl(message.SigningCertURL, region, /^\/SimpleNotificationService-[A-Za-z0-9]+\.pem$/)) {
		return `the signing certificate URL ${message.SigningCertURL} is not SNS's own`;
	}
	if (message.Type !== 'Notification' && (typeof message.SubscribeURL !== 'string' || typeof message.Token !== 'string')) {
		return `${message.Type} without SubscribeURL or Token`;
	}
	let certificate = certificates.get(message.SigningCertURL);
	if (!certificate) {
		try {
			certificate = new X509Certificate(await fetchCertificate(message.SigningCertURL));
		} catch (error) {
			return `the signing certificate could not be read (${(error as Error).message})`;
		}
		if (certificates.size >= MAX_CACHED_CERTIFICATES) certificates.delete(certificates.keys().next().value as string);
		certificates.set(message.SigningCertURL, certificate);
	}
	if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now) {
		certificates.delete(message.SigningCertURL);
		return 'the signing certificate is not valid now';
	}
	try {
		const verifier = createVerify(algorithm);
		verifier.update(stringToSign(message), 'utf8');
		if (!verifier.verify(certificate.publicKey, Buffer.from(message.Signature, 'base64'))) return 'the signature does not match';
	} catch (error) {
		return `the signature could not be checked (${(error as Error).message})`;
	}
	return undefined;
}

/** For tests: forget cached certificates. */
export function clearCertificateCache(): void {
	certificates.clear();
}
