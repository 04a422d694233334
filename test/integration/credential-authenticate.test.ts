/**
 * The credential's `authenticate` (SigV4): n8n's own HTTP Request node, run by n8n-core's engine with
 * "S3 Storage API" as its predefined credential, sends requests the server accepts. The engine's
 * credentials helper here does what n8n's does for a credential type with an `authenticate` function:
 * it calls it with the decrypted credential and the node's request options.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as core from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INodeExecutionData, INodeType, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { S3StorageApi } from '../../credentials/S3StorageApi.credentials';
import * as engine from '../support/engine';
import { bucketParam, makeBinary, runNode, setBinaryMode } from '../support/harness';
import { capabilities, credentialFor, getTarget, rawClient, uniqueBucket } from '../support/target';

const caps = capabilities();
const client = rawClient();
const target = getTarget();
const credentialType = new S3StorageApi();

/** As n8n's CredentialsHelper: a credential type with an `authenticate` function signs the request. */
class AuthenticatingCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: unknown) {
		if (typeName !== credentialType.name || typeof credentialType.authenticate !== 'function') throw new Error(`unexpected type ${typeName}`);
		return await credentialType.authenticate(credentials, requestOptions as IHttpRequestOptions);
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}
	async getDecrypted() {
		return { ...this.data };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}

const httpRequestNode = (): INodeType => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js') as { HttpRequest: new () => INodeType };
	return new HttpRequest();
};

/** Runs one HTTP Request node (version 4.2) with `parameters` on `items`, signed by the S3 Storage credential `credential`. */
async function runHttpRequest(parameters: IDataObject, items: INodeExecutionData[] = [{ json: {} }], credential: IDataObject = credentialFor()) {
	const http = httpRequestNode();
	const nodeTypes = {
		getByName: () => http,
		getByNameAndVersion: (_type: string, version?: number) => NodeHelpers.getVersionedNodeType(http, version),
		getKnownTypes: () => ({}),
	};
	const node = {
		id: 'http',
		name: 'HTTP',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [0, 0] as [number, number],
		parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: 's3StorageApi', options: {}, ...parameters },
		credentials: { s3StorageApi: { id: '1', name: 'S3' } },
	};
	const workflow = new Workflow({ id: 'auth', name: 'auth', nodes: [node], connections: {}, active: false, nodeTypes, staticData: {}, settings: {} });
	const executionId = `auth${Date.now()}`;
	const workflowData = { id: 'auth', name: 'auth', nodes: [node], connections: {}, active: false, settings: {}, createdAt: new Date(), updatedAt: new Date(), isArchived: false, activeVersionId: null };
	const additionalData = {
		credentialsHelper: new AuthenticatingCredentialsHelper(credential as ICredentialDataDecryptedObject),
		hooks: new core.ExecutionLifecycleHooks('manual', executionId, workflowData as never),
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		userId: 'test-user',
		setExecutionStatus: () => {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] } });
	const run = await new core.WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	return new WorkflowRun(run, workflow);
}

// engine.d.ts declares WorkflowRun as an interface; the class is what runWorkflow returns.
const { WorkflowRun } = engine as unknown as { WorkflowRun: new (run: unknown, workflow: Workflow) => engine.WorkflowRun };

const s3Url = (bucket: string, path = '') => `${target.endpoint}/${bucket}${path}`;

describe('credential authenticate (HTTP Request node with "S3 Storage API")', () => {
	const bucket = uniqueBucket('authn');

	beforeAll(async () => {
		await setBinaryMode('memory');
		await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/a b+c.txt', Body: 'hello' }));
	});

	afterAll(async () => {
		await runNode({ resource: 'bucket', operation: 'delete', bucket: bucketParam(bucket), options: { emptyFirst: true } });
	});

	it('GET an object by a percent-encoded URL: the server accepts the signature and sends the content', async () => {
		const run = await runHttpRequest({ method: 'GET', url: s3Url(bucket, '/dir/a%20b%2Bc.txt'), options: { response: { response: { responseFormat: 'text' } } } });
		expect(run.nodeError('HTTP')).toBeUndefined();
		expect(run.output('HTTP')![0].json.data).toBe('hello');
	});

	it('query parameters from the node and from the URL are both signed (ListObjectsV2 with a prefix)', async () => {
		const run = await runHttpRequest({
			method: 'GET',
			url: s3Url(bucket, '?list-type=2'),
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'prefix', value: 'dir/' }] },
			options: { response: { response: { responseFormat: 'text' } } },
		});
		expect(run.nodeError('HTTP')).toBeUndefined();
		const xml = String(run.output('HTTP')![0].json.data);
		expect(xml).toContain('<Key>dir/a b+c.txt</Key>');
		expect(xml).toContain('<KeyCount>1</KeyCount>');
	});

	it('PUT with a raw text body: the payload hash is signed and the object stored', async () => {
		const run = await runHttpRequest({
			method: 'PUT',
			url: s3Url(bucket, '/put/raw.xml'),
			sendBody: true,
			contentType: 'raw',
			rawContentType: 'application/xml',
			body: '<note>signed</note>',
		});
		expect(run.nodeError('HTTP')).toBeUndefined();
		const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'put/raw.xml' }));
		expect(await stored.Body!.transformToString()).toBe('<note>signed</note>');
		expect(stored.ContentType).toBe('application/xml');
	});

	it('PUT with a binary file body (filesystem mode: the node streams it, signed UNSIGNED-PAYLOAD)', async () => {
		const bytes = Buffer.from(Array.from({ length: 300_000 }, (_v, i) => i % 256));
		await setBinaryMode('filesystem');
		let run;
		try {
			const binary = await makeBinary(bytes, 'b.bin', 'application/octet-stream');
			expect(binary.id).toEqual(expect.any(String));
			run = await runHttpRequest(
				{ method: 'PUT', url: s3Url(bucket, '/put/b.bin'), sendBody: true, contentType: 'binaryData', inputDataFieldName: 'data' },
				[{ json: {}, binary: { data: binary as never } }],
			);
		} finally {
			await setBinaryMode('memory');
		}
		expect(run.nodeError('HTTP')).toBeUndefined();
		const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'put/b.bin' }));
		expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(bytes)).toBe(true);
	});

	(caps.checksSignatures ? it : it.skip)('a wrong secret is refused by the server, and the secret appears nowhere in the error', async () => {
		const run = await runHttpRequest({ method: 'GET', url: s3Url(bucket, '?list-type=2') }, undefined, credentialFor(target, { secretAccessKey: 'not-the-secret-1234' }));
		const error = run.nodeError('HTTP');
		expect(error).toBeDefined();
		expect(String(error!.httpCode ?? error!.message)).toContain('403');
		expect(JSON.stringify({ message: error!.message, description: error!.description })).not.toContain('not-the-secret-1234');
	});

	(caps.sts && process.env.S3_TEST_ROLE_ARN ? it : it.skip)('Assume Role: the request is signed with the role\'s temporary keys and accepted', async () => {
		const run = await runHttpRequest(
			{ method: 'GET', url: s3Url(bucket, '/dir/a%20b%2Bc.txt'), options: { response: { response: { responseFormat: 'text' } } } },
			undefined,
			credentialFor(target, { authentication: 'assumeRole', sourceCredentials: 'accessKeys', roleArn: process.env.S3_TEST_ROLE_ARN }),
		);
		expect(run.nodeError('HTTP')).toBeUndefined();
		expect(run.output('HTTP')![0].json.data).toBe('hello');
	});

	it('a URL on another host is not signed: the error says which endpoint the credential signs for', async () => {
		const run = await runHttpRequest({ method: 'GET', url: 'http://127.0.0.1:9/elsewhere/key.txt' });
		expect(run.nodeError('HTTP')?.message).toContain(`signs only requests to its own endpoint (${target.endpoint}), not to 127.0.0.1:9`);
	});

	it('Machine Identity not allowed by the administrator: a clear error, nothing sent', async () => {
		const run = await runHttpRequest({ method: 'GET', url: s3Url(bucket) }, undefined, credentialFor(target, { authentication: 'machineIdentity' }));
		expect(run.nodeError('HTTP')?.message).toContain('Sign-in with the machine identity is not allowed on this n8n instance');
	});
});
