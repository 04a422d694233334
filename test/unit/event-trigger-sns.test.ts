/**
 * SNS message authentication and S3 event records, without AWS: messages are signed here the way
 * SNS signs them (AWS's documented string to sign, RSA-SHA1 for SignatureVersion 1, RSA-SHA256 for 2)
 * with a key pair and certificate made by openssl on the spot; the certificate "download" is the
 * injectable fetcher. What AWS itself sends was not observed here (no AWS account on this machine).
 */
import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { itemOf, keyOf, recordsOf } from '../../nodes/S3StorageEventTrigger/events';
import { clearCertificateCache, type SnsMessage, snsMessageProblem, stringToSign } from '../../nodes/S3StorageEventTrigger/snsMessage';

const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc123.pem';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:n8n-wf1-0a1b2c3d4e5f';

let dir: string;
let keyPem: string;
let certPem: string;
let otherKeyPem: string;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'sns-sign-'));
	const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
	run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=sns.eu-west-1.amazonaws.com');
	run('genrsa', '-out', 'other.pem', '2048');
	keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
	certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
	otherKeyPem = readFileSync(join(dir, 'other.pem'), 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => clearCertificateCache());

function signed(fields: Partial<SnsMessage>, version: '1' | '2' = '2', key = keyPem): SnsMessage {
	const message: SnsMessage = {
		Type: 'Notification',
		MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
		TopicArn: TOPIC,
		Message: JSON.stringify({ Records: [] }),
		Timestamp: '2026-12-03T12:00:00.000Z',
		SignatureVersion: version,
		Signature: '',
		SigningCertURL: CERT_URL,
		...fields,
	};
	const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
	signer.update(stringToSign(message), 'utf8');
	message.Signature = signer.sign(key, 'base64');
	return message;
}

const fetched: string[] = [];
const fetcher = async (url: string) => {
	fetched.push(url);
	return certPem;
};

describe('SNS message signatures', () => {
	test('a notification signed with SignatureVersion 2 (RSA-SHA256) is accepted', async () => {
		expect(await snsMessageProblem(signed({ Subject: 'Amazon S3 Notification' }), fetcher)).toBeUndefined();
	});

	test('SignatureVersion 1 (RSA-SHA1) is accepted too', async () => {
		expect(await snsMessageProblem(signed({}, '1'), fetcher)).toBeUndefined();
	});

	test('a subscription confirmation is verified over its own fields (Token, SubscribeURL)', async () => {
		const confirmation = signed({
			Type: 'SubscriptionConfirmation',
			Token: 'abc',
			SubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=abc`,
		});
		expect(await snsMessageProblem(confirmation, fetcher)).toBeUndefined();
		expect(await snsMessageProblem({ ...confirmation, SubscribeURL: 'https://evil.example/confirm' }, fetcher)).toBe('the signature does not match');
	});

	test('a changed field, another key or a missing signature is refused', async () => {
		const message = signed({});
		expect(await snsMessageProblem({ ...message, Message: '{"Records":[{"forged":true}]}' }, fetcher)).toBe('the signature does not match');
		expect(await snsMessageProblem(signed({}, '2', otherKeyPem), fetcher)).toBe('the signature does not match');
		expect(await snsMessageProblem({ ...message, Signature: undefined }, fetcher)).toBe('not a signed SNS message');
		expect(await snsMessageProblem({ Records: [] }, fetcher)).toBe('not a signed SNS message');
		expect(await snsMessageProblem({ ...message, SignatureVersion: '3' }, fetcher)).toContain('unknown SignatureVersion');
	});

	test('the certificate must come from SNS\'s own host for the topic\'s region, over https', async () => {
		fetched.length = 0;
		for (const url of [
			'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc123.pem',
			'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc123.pem',
			'https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-abc123.pem',
			'https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-abc123.pem',
			'https://evil.example/SimpleNotificationService-abc123.pem',
			'https://sns.eu-west-1.amazonaws.com/other.pem',
		]) {
			expect(await snsMessageProblem(signed({ SigningCertURL: url }), fetcher)).toContain('is not SNS\'s own');
		}
		// Refused before anything is downloaded.
		expect(fetched).toEqual([]);
	});

	test('a certificate that cannot be fetched or read makes the message untrusted', async () => {
		expect(await snsMessageProblem(signed({}), async () => await Promise.reject(new Error('ECONNREFUSED')))).toContain('could not be read (ECONNREFUSED)');
		clearCertificateCache();
		expect(await snsMessageProblem(signed({}), async () => 'not a certificate')).toContain('could not be read');
	});

	test('an expired certificate is refused', async () => {
		const inThreeDays = Date.now() + 3 * 24 * 3600 * 1000;
		expect(await snsMessageProblem(signed({}), fetcher, inThreeDays)).toBe('the signing certificate is not valid now');
	});
});

describe('S3 event records to items', () => {
	const record = (eventName: string, key: string, eventSource = 'aws:s3') => ({
		eventName,
		eventSource,
		eventTime: '2026-12-03T12:00:00.000Z',
		opaqueData: 'secret',
		s3: { bucket: { name: 'inbox' }, object: { key, size: 5, eTag: 'abc', versionId: 'v1', sequencer: '0A' } },
	});
	const all = { kinds: ['created', 'removed'] as const, prefix: '', suffix: '' };

	test('AWS and MinIO keys are form-encoded; Ceph RGW 16 sends them as they are', () => {
		expect(keyOf(record('ObjectCreated:Put', 'in/a+b%2Bc.txt'))).toBe('in/a b+c.txt');
		expect(keyOf(record('s3:ObjectCreated:Put', 'in/a+b%2Bc.txt', 'minio:s3'))).toBe('in/a b+c.txt');
		expect(keyOf(record('ObjectCreated:Put', 'in/a b+c.txt', 'ceph:s3'))).toBe('in/a b+c.txt');
	});

	test('one item per record with the event kind; unchosen events and keys outside the filters are dropped', () => {
		expect(itemOf(record('ObjectCreated:CompleteMultipartUpload', 'in/x.csv'), all)).toEqual({
			event: 'created',
			eventName: 'ObjectCreated:CompleteMultipartUpload',
			bucket: 'inbox',
			key: 'in/x.csv',
			size: 5,
			etag: 'abc',
			versionId: 'v1',
			sequencer: '0A',
			eventTime: '2026-12-03T12:00:00.000Z',
			record: expect.not.objectContaining({ opaqueData: expect.anything() }),
		});
		expect(itemOf(record('s3:ObjectRemoved:DeleteMarkerCreated', 'k', 'minio:s3'), all)?.event).toBe('removed');
		expect(itemOf(record('ObjectTagging:Put', 'k'), all)).toBeUndefined();
		expect(itemOf(record('ObjectCreated:Put', 'out/x.csv'), { ...all, prefix: 'in/' })).toBeUndefined();
		expect(itemOf(record('ObjectCreated:Put', 'in/x.txt'), { ...all, suffix: '.csv' })).toBeUndefined();
	});

	test('bodies without records (S3\'s test event) are not events', () => {
		expect(recordsOf({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'inbox' })).toBeUndefined();
		expect(recordsOf({ Records: [record('ObjectCreated:Put', 'k'), 'junk'] })).toHaveLength(1);
	});
});
