/**
 * The error vocabulary without a server: every S3 code the node words, network failures found
 * anywhere in the cause chain, TLS, sign-in failures (a typed error), answers that are not S3's,
 * and the error that leaves the node (no secrets, n8n does not rewrite it).
 */
import type { INode } from 'n8n-workflow';

import {
	causeChain,
	DamagedBodyError,
	describeS3Error,
	humanizeCodes,
	IncompleteBodyError,
	networkCode,
	RESTORE_ACTION,
	SignInError,
	toNodeApiError,
	type S3ErrorContext,
} from '../../nodes/S3Storage/transport/errors';

const rgw = 'http://127.0.0.1:7480';
const object: S3ErrorContext = { action: 'upload', bucket: 'b', key: 'k', endpoint: rgw };
const bucketOnly: S3ErrorContext = { action: 'list objects in', bucket: 'b', endpoint: rgw };
const service: S3ErrorContext = { action: 'list buckets', endpoint: rgw };

/** An error shaped as the SDK throws it for a server answer. */
function s3(name: string, status: number, extra: object = {}) {
	return Object.assign(new Error('UnknownError'), { name, Code: name, $metadata: { httpStatusCode: status, requestId: 'tx1' }, ...extra });
}

function network(code: string, message = `connect ${code} 127.0.0.1:9`) {
	return Object.assign(new Error(message), { code });
}

describe('S3 codes', () => {
	it.each([
		['NoSuchBucket', 404, bucketOnly, /^Bucket "b" does not exist$/, /Bucket > Create/],
		['NoSuchKey', 404, object, /^Object "k" not found in bucket "b"$/, /case-sensitive/],
		['NotFound', 404, object, /^Object "k" not found in bucket "b"$/, /case-sensitive/],
		['NotFound', 404, bucketOnly, /^Bucket "b" does not exist$/, /Bucket > Create/],
		['NoSuchVersion', 404, object, /requested version of object "k" in bucket "b" does not exist/, /Get Many Versions/],
		['InvalidAccessKeyId', 403, object, /access key ID is not known to the server \(while trying to upload object "k" in bucket "b"\)/, /"Access Key ID"/],
		['SignatureDoesNotMatch', 403, object, /secret access key is wrong/, /"Secret Access Key"/],
		['ExpiredToken', 400, object, /session token has expired/, /renew/],
		['TokenRefreshRequired', 400, object, /session token has expired/, /renew/],
		['InvalidToken', 400, object, /session token has expired/, /renew/],
		['RequestTimeTooSkewed', 403, object, /n8n's clock is off/, /NTP/],
		['AuthorizationHeaderMalformed', 400, bucketOnly, /^Wrong region or endpoint for bucket "b" \(AuthorizationHeaderMalformed\)/, /region/],
		['PermanentRedirect', 301, bucketOnly, /Wrong region or endpoint/, /region/],
		['IllegalLocationConstraintException', 400, bucketOnly, /Wrong region or endpoint/, /region/],
		['BucketAlreadyExists', 409, bucketOnly, /already exists and belongs to someone else/, /another name/],
		['BucketAlreadyOwnedByYou', 409, bucketOnly, /already exists \(you own it\)/, /existing bucket/],
		['BucketNotEmpty', 409, bucketOnly, /^Bucket "b" is not empty$/, /empty the bucket/],
		['InvalidBucketName', 400, bucketOnly, /^"b" is not a valid bucket name$/, /3-63 characters/],
		['PreconditionFailed', 412, object, /^Object "k" in bucket "b" already exists or does not match the condition$/, /not to overwrite/],
		['EntityTooLarge', 400, object, /too large for a single request/, /part size/],
		['SlowDown', 503, object, /throttling requests \(SlowDown, HTTP 503\) while trying to upload/, /concurrency|Max Attempts/],
		['ServiceUnavailable', 503, object, /throttling requests \(ServiceUnavailable, HTTP 503\)/, /Max Attempts/],
		['TooManyRequests', 429, object, /throttling requests \(TooManyRequests, HTTP 429\)/, /Max Attempts/],
		['InvalidObjectState', 403, object, /archived and cannot be read until it is restored/, /Restore/],
		['MalformedXML', 400, object, /^Could not upload object "k" in bucket "b": MalformedXML \(MalformedXML, HTTP 400\)$/, /provider's S3 error reference/],
		['InvalidRequest', 400, object, /InvalidRequest \(InvalidRequest, HTTP 400\)/, /error reference/],
		['InvalidArgument', 400, object, /^Could not upload object "k" in bucket "b": InvalidArgument \(InvalidArgument, HTTP 400\)$/, /error reference/],
		['XNotInvented', 403, object, /^Access denied \(XNotInvented, HTTP 403\): the credential may not upload/, /permissions/],
		['XNotInvented', 404, object, /^Not found \(XNotInvented, HTTP 404\): object "k" in bucket "b"$/, /bucket name and key/],
		['XNotInvented', 400, service, /^Could not list buckets: XNotInvented \(XNotInvented, HTTP 400\)$/, /error reference/],
	])('%s (HTTP %i) %#', (code, status, context, message, description) => {
		const described = describeS3Error(s3(code, status), context);
		expect(described).toMatchObject({ code, httpStatus: status });
		expect(described.message).toMatch(message);
		expect(described.description).toMatch(description);
	});

	it('uses the server\'s own message when it sends one', () => {
		const error = Object.assign(s3('XNotInvented', 400), { message: 'The thing is not right' });
		expect(describeS3Error(error, service).message).toBe('Could not list buckets: The thing is not right (XNotInvented, HTTP 400)');
	});

	it('AccessDenied on Amazon S3 means a missing permission', () => {
		for (const endpoint of [undefined, 'AWS', 'https://s3.eu-west-1.amazonaws.com', 'https://bucket.vpce-1.s3.us-east-1.vpce.amazonaws.com']) {
			const described = describeS3Error(s3('AccessDenied', 403), { ...bucketOnly, endpoint });
			expect(described.message).toBe('Access denied: the credential may not list objects in bucket "b"');
			expect(described.description).toMatch(/^The keys were accepted but lack permission/);
		}
	});

	it.each(['AccessDenied', 'Forbidden', 'AllAccessDisabled'])('%s elsewhere says both possibilities: wrong or unknown keys, or a missing permission', (code) => {
		const described = describeS3Error(s3(code, 403), bucketOnly);
		expect(described.message).toBe(
			'Access denied: the credential may not list objects in bucket "b" (either its keys are wrong or unknown to the server, or they lack permission)',
		);
		expect(described.description).toMatch(/"Access Key ID" and "Secret Access Key"/);
		expect(described.description).toMatch(/grant the matching s3: action/);
		expect(described.description).not.toMatch(/keys were accepted/);
	});

	it('a refused delete also points to Object Lock (a retention or legal hold is answered with AccessDenied), other actions do not', () => {
		for (const endpoint of [undefined, 'http://127.0.0.1:7480']) {
			const refusedDelete = describeS3Error(s3('AccessDenied', 403), { action: 'delete', bucket: 'b', key: 'k', endpoint });
			expect(refusedDelete.description).toMatch(/retention or legal hold .* Get Retention and Get Legal Hold/);
			const refusedList = describeS3Error(s3('AccessDenied', 403), { ...bucketOnly, endpoint });
			expect(refusedList.description).not.toMatch(/legal hold/);
		}
	});

	it('names the storage class a server does not offer', () => {
		const rgwAnswer = describeS3Error(s3('InvalidArgument', 400), { ...object, storageClass: 'GLACIER' });
		expect(rgwAnswer.message).toBe('Could not upload object "k" in bucket "b": the server does not offer storage class "GLACIER" (InvalidArgument, HTTP 400)');
		expect(rgwAnswer.description).toMatch(/Choose a class this server offers, or leave the storage class empty/);
		const awsAnswer = describeS3Error(s3('InvalidStorageClass', 400), { ...object, storageClass: 'NOPE' });
		expect(awsAnswer.message).toMatch(/does not offer storage class "NOPE" \(InvalidStorageClass, HTTP 400\)/);
		// STANDARD exists everywhere: an InvalidArgument then has another cause.
		expect(describeS3Error(s3('InvalidArgument', 400), { ...object, storageClass: 'STANDARD' }).message).not.toMatch(/storage class/);
	});

	it('Restore: an object that is not archived can be read directly; a server without archive classes says so', () => {
		const restoring: S3ErrorContext = { action: RESTORE_ACTION, bucket: 'b', key: 'k' };
		const notArchived = describeS3Error(s3('InvalidObjectState', 403), restoring);
		expect(notArchived.message).toBe(
			'Could not restore object "k" in bucket "b": this object is not in an archive storage class; it can be read directly (InvalidObjectState, HTTP 403)',
		);
		expect(notArchived.description).toMatch(/Get Metadata shows its storage class/);
		// Ceph RGW 16's answer to every RestoreObject (seen on 16.2.15): 501 NotImplemented, empty message.
		const rgwAnswer = describeS3Error(s3('NotImplemented', 501), { ...restoring, endpoint: rgw });
		expect(rgwAnswer.message).toBe('Could not restore object "k" in bucket "b": this server does not support restoring archived objects (NotImplemented, HTTP 501)');
		expect(rgwAnswer.description).toMatch(/read or download them directly/);
		// Reading an archived object keeps its own wording.
		expect(describeS3Error(s3('InvalidObjectState', 403), { action: 'download', bucket: 'b', key: 'k' }).message).toMatch(/is archived and cannot be read until it is restored/);
	});

	it('a refused default encryption names the algorithm; elsewhere than Amazon S3 it says the server needs encryption set up', () => {
		const setting = (encryption: string, endpoint?: string): S3ErrorContext => ({
			action: `set the default encryption (${encryption}) of`,
			bucket: 'b',
			encryption,
			endpoint,
		});
		// Ceph RGW 16 without a key management service answers both with 400 InvalidArgument and no message.
		const aes = describeS3Error(s3('InvalidArgument', 400), setting('AES256', rgw));
		expect(aes.message).toBe('Could not set the default encryption (AES256) of bucket "b": this server does not accept default encryption "AES256" (InvalidArgument, HTTP 400)');
		expect(aes.description).toMatch(/^Server-managed encryption \(AES256\) needs encryption that the server's administrator has set up\..*Nothing was changed/);
		const kms = describeS3Error(s3('InvalidArgument', 400), setting('aws:kms', rgw));
		expect(kms.description).toMatch(/^Encryption with a KMS key needs a key management service/);
		for (const described of [aes, kms]) expect(`${described.message} ${described.description}`).not.toMatch(/AWS|Amazon/);
		const onAws = describeS3Error(s3('KMS.NotFoundException', 400), setting('aws:kms'));
		expect(onAws.message).toMatch(/refused default encryption "aws:kms" \(KMS\.NotFoundException, HTTP 400\)$/);
		expect(onAws.description).toMatch(/Check "KMS Key ID"/);
		// A server without the feature at all (s3rver: 501) keeps its own accurate words.
		expect(describeS3Error(s3('NotImplemented', 501), setting('AES256', rgw)).message).toMatch(/NotImplemented, HTTP 501/);
	});

	it('AccessDenied names the Expected Bucket Owner when the credential sets it', () => {
		for (const endpoint of [undefined, rgw]) {
			const withOwner = describeS3Error(s3('AccessDenied', 403), { ...object, endpoint, expectedBucketOwner: true });
			expect(withOwner.description).toMatch(/"Expected Bucket Owner" is set: a bucket that belongs to another account is refused with AccessDenied too/);
			expect(describeS3Error(s3('AccessDenied', 403), { ...object, endpoint }).description).not.toMatch(/Expected Bucket Owner/);
		}
	});
});

describe('answers that are not S3\'s', () => {
	// What the SDK throws for a proxy's HTML error page (seen against a real HTTP server answering nginx's 502 page).
	const htmlPage = (status: number) =>
		Object.assign(
			new Error('@aws-sdk XML parse error: mismatched tags <hr> and </body>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
			{ $metadata: { httpStatusCode: status }, $response: { statusCode: status, headers: { 'content-type': 'text/html; charset=utf-8' } } },
		);

	it('a 502 HTML page from a proxy is named as such, not as an XML parse error', () => {
		const described = describeS3Error(htmlPage(502), object);
		expect(described).toMatchObject({ code: 'NotAnS3Answer', httpStatus: 502 });
		expect(described.message).toBe(
			`Could not upload object "k" in bucket "b": the server at ${rgw} or a proxy in front of it answered HTTP 502 with something that is not an S3 answer (text/html)`,
		);
		expect(described.message).not.toMatch(/XML/);
		expect(described.description).toMatch(/proxy, load balancer or gateway that could not reach the S3 server/);
	});

	it('an empty 5xx answer without S3\'s request ID is not S3\'s either; with it, it is', () => {
		const empty = Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 500 } });
		expect(describeS3Error(empty, service).message).toMatch(/answered HTTP 500 with something that is not an S3 answer$/);
		const fromS3 = Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 500, requestId: 'tx1' } });
		expect(describeS3Error(fromS3, service).code).toBe('Unknown');
	});

	it('a web page where the S3 API should be says to check the endpoint', () => {
		expect(describeS3Error(htmlPage(200), service).description).toMatch(/Endpoint is the server's S3 API \(not its web console/);
	});

	it('an endpoint with a base path is named when the answer suggests the path is wrong', () => {
		const withPath = { ...bucketOnly, endpoint: 'http://127.0.0.1:7480/s3/v1' };
		const described = describeS3Error(s3('NoSuchBucket', 404), withPath);
		expect(described.message).toBe('Bucket "b" does not exist');
		expect(described.description).toMatch(/The endpoint has the base path "\/s3\/v1": every request goes to http:\/\/127\.0\.0\.1:7480\/s3\/v1\/BUCKET\/KEY/);
		expect(describeS3Error(s3('NoSuchBucket', 404), bucketOnly).description).not.toMatch(/base path/);
		expect(describeS3Error(s3('BucketNotEmpty', 409), withPath).description).not.toMatch(/base path/);
	});
});

describe('network failures', () => {
	it.each([
		['ECONNREFUSED', 'the connection was refused'],
		['ENOTFOUND', 'the host name could not be resolved'],
		['EAI_AGAIN', 'the host name could not be resolved (DNS lookup failed)'],
		['ETIMEDOUT', 'the connection timed out'],
		['ECONNRESET', 'the connection was reset by the server'],
		['EHOSTUNREACH', 'the host is unreachable'],
		['ENETUNREACH', 'the network is unreachable'],
		['EPIPE', 'the connection was closed while the request was being sent'],
	])('%s, found in the cause chain, is put in words', (code, words) => {
		const wrapped = Object.assign(new Error('socket hang up'), { cause: Object.assign(new Error('outer'), { cause: network(code) }) });
		expect(networkCode(wrapped)).toBe(code);
		const described = describeS3Error(wrapped, object);
		expect(described.message).toBe(`Could not upload object "k" in bucket "b": the S3 endpoint at ${rgw} is unreachable (${words})`);
		expect(described.message).not.toContain(code);
	});

	it('finds a code the SDK kept only in its wrapper\'s text, and its timeout', () => {
		expect(networkCode(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'))).toBe('ECONNREFUSED');
		expect(networkCode(Object.assign(new Error('late'), { name: 'TimeoutError' }))).toBe('TimeoutError');
		expect(describeS3Error(Object.assign(new Error('late'), { name: 'TimeoutError' }), service).message).toBe(
			'Could not list buckets: the S3 endpoint at http://127.0.0.1:7480 did not answer in time',
		);
	});

	it('a timeout says how long it waited and how often it tried, from the idle or the response timeout', () => {
		const idle = Object.assign(
			new Error('@smithy/node-http-handler - the request socket timed out after 1000 ms of inactivity (configured by client requestHandler).'),
			{ name: 'TimeoutError', $metadata: { attempts: 3 } },
		);
		const described = describeS3Error(idle, object);
		expect(described.message).toBe(`Could not upload object "k" in bucket "b": the S3 endpoint at ${rgw} did not answer within 1 s, tried 3 times`);
		expect(described.description).toMatch(/Idle Timeout/);
		const total = Object.assign(new Error('a request has exceeded the configured 300000 ms requestTimeout.'), { name: 'TimeoutError' });
		expect(describeS3Error(total, object).message).toMatch(/had not answered after 300 s$/);
		expect(describeS3Error(total, object).description).toMatch(/Response Timeout/);
	});

	it('a body that could not be completed says how many bytes of how many arrived; a changed object and a damaged one say so', () => {
		const cut = new IncompleteBodyError(1_048_576, 3_145_728, 3, Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
		expect(describeS3Error(cut, object).message).toBe(
			'Could not upload object "k" in bucket "b": only 1,048,576 of 3,145,728 bytes arrived (the connection was cut while the body was being received; resumed 2 times without progress)',
		);
		const changed = new IncompleteBodyError(10, 20, 1, new Error('aborted'), true);
		expect(describeS3Error(changed, object).message).toMatch(/the object was replaced while it was being downloaded \(after 10 of 20 bytes\)/);
		const damaged = new DamagedBodyError('a'.repeat(32), 'b'.repeat(32));
		expect(describeS3Error(damaged, object).message).toMatch(/arrived damaged/);
	});

	it('a body cut mid-way ("aborted", premature close) says the connection was cut while the body was being received', () => {
		// Node's http client: Error("aborted") with code ECONNRESET, seen when a server closes mid-body.
		const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
		const premature = Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
		for (const error of [aborted, premature, new Error('AWS SDK error wrapper for Error: aborted'), { cause: aborted }]) {
			const described = describeS3Error(error, { ...object, action: 'download' });
			expect(described.message).toBe(`Could not download object "k" in bucket "b": the connection was cut while the body was being received from the S3 endpoint at ${rgw}`);
			expect(described.description).toMatch(/Run the item again/);
		}
	});

	it('stops after five causes', () => {
		let error: object = network('ECONNREFUSED');
		for (let i = 0; i < 5; i++) error = { message: 'wrapper', cause: error };
		expect([...causeChain(error)]).toHaveLength(5);
		expect(networkCode(error)).toBeUndefined();
	});

	it.each([
		['DEPTH_ZERO_SELF_SIGNED_CERT', network('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')],
		['SELF_SIGNED_CERT_IN_CHAIN', { cause: network('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain') }],
		['ERR_TLS_CERT_ALTNAME_INVALID', network('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames")],
		['EPROTO', network('EPROTO', 'write EPROTO ... wrong version number')],
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', new Error('AWS SDK error wrapper for Error: unable to verify the first certificate')],
	])('TLS: %s says how to trust the server', (code, error) => {
		const described = describeS3Error(error, service);
		expect(described.code).toBe(code);
		expect(described.message).toBe(`Could not list buckets: the TLS connection to the S3 endpoint at ${rgw} failed (${code})`);
		expect(described.description).toMatch(/"Custom CA Certificate".*"Accept Self-Signed Certificates"/);
	});

	it('a cancelled request says so', () => {
		expect(describeS3Error(Object.assign(new Error('x'), { name: 'AbortError' }), object)).toMatchObject({
			code: 'Aborted',
			message: 'The upload was cancelled',
		});
	});

	it('humanizes Node.js codes, which n8n would otherwise replace the whole message for', () => {
		expect(humanizeCodes('connect ECONNREFUSED 127.0.0.1:9')).toBe('connect (the connection was refused) 127.0.0.1:9');
		expect(humanizeCodes("open ENOENT '/var/run/token'")).toBe("open (no such file or directory) '/var/run/token'");
		expect(humanizeCodes('the request was aborted')).toBe('the request was aborted');
	});
});

describe('sign-in failures', () => {
	const described = { code: 'StsUnreachable', message: 'Could not assume role "r": connect ECONNREFUSED', description: 'Check "STS Endpoint".' };

	it('are a typed error, described once, with Node.js codes in words', () => {
		const error = new SignInError('assumeRole', described);
		expect(error).toBeInstanceOf(SignInError);
		expect(error).toBeInstanceOf(Error);
		expect(error.step).toBe('assumeRole');
		expect(error.message).toBe('Could not assume role "r": connect (the connection was refused)');
		expect(describeS3Error(error, object)).toEqual({ ...described, message: error.message });
	});

	it('are found wrapped in another error, and not mistaken for a network failure', () => {
		const wrapped = Object.assign(new Error('outer'), { code: 'ECONNREFUSED', cause: new SignInError('source', described) });
		expect(describeS3Error(wrapped, object).code).toBe('StsUnreachable');
	});

	it('a look-alike object with the old duck-typed property is not one', () => {
		const lookAlike = { authFailure: described, name: 'AccessDenied', Code: 'AccessDenied', $metadata: { httpStatusCode: 403 } };
		expect(describeS3Error(lookAlike, object).code).toBe('AccessDenied');
	});
});

describe('toNodeApiError', () => {
	const node = { id: '1', name: 'S3', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

	it('carries the item, the code and status, and nothing of the SDK error', () => {
		const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
		const sdkError = Object.assign(s3('NoSuchKey', 404), { $response: { headers: { authorization: `AWS4 ${secret}` } }, config: { secret } });
		const error = toNodeApiError(node, sdkError, { ...object, itemIndex: 3 });
		expect(error.message).toBe('Object "k" not found in bucket "b" [item 3]');
		expect(error.description).toMatch(/case-sensitive/);
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(3);
		expect(JSON.stringify(error)).not.toContain(secret);
		expect(error.errorResponse).toMatchObject({ s3ErrorCode: 'NoSuchKey', httpStatus: 404, bucket: 'b', key: 'k', requestId: 'tx1' });
	});

	it('keeps a message n8n would have swapped for a generic one (a key that reads like a Node.js code)', () => {
		const error = toNodeApiError(node, s3('NoSuchKey', 404), { ...object, key: 'ENOENT.txt' });
		expect(error.message).toBe('Object "ENOENT.txt" not found in bucket "b"');
	});
});
