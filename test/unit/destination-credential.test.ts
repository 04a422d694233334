/**
 * The Transfer destination credential as n8n reads it: n8n resolves a credential's fields the way
 * its CredentialsHelper does (an `extends` parent's fields merged by name, then only the fields
 * shown for the stored values kept). Every sign-in field the user saved must come through, for any
 * provider, as it does for the S3 Storage API credential itself.
 */
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { S3StorageApi } from '../../credentials/S3StorageApi.credentials';
import { S3StorageDestinationApi } from '../../credentials/S3StorageDestinationApi.credentials';
import { PROVIDER_PRESETS } from '../../nodes/S3Storage/transport/providers';

const types = { s3StorageApi: new S3StorageApi(), s3StorageDestinationApi: new S3StorageDestinationApi() } as const;

/** n8n 2.x CredentialsHelper.getCredentialsProperties. */
function propertiesOf(name: keyof typeof types): INodeProperties[] {
	const type = types[name] as { extends?: string[]; properties: INodeProperties[] };
	if (type.extends === undefined) return type.properties;
	const combined: INodeProperties[] = [];
	for (const parent of type.extends) NodeHelpers.mergeNodeProperties(combined, propertiesOf(parent as keyof typeof types));
	NodeHelpers.mergeNodeProperties(combined, type.properties);
	return combined;
}

/** What the node's getCredentials() returns for stored data (CredentialsHelper.applyDefaultsAndOverwrites). */
function asReadByN8n(name: keyof typeof types, stored: INodeParameters): INodeParameters | null {
	return NodeHelpers.getNodeParameters(propertiesOf(name), stored, true, false, null, null);
}

describe('the Transfer destination credential', () => {
	it.each(PROVIDER_PRESETS.map((preset) => preset.id))('keeps the keys, region and endpoint saved for provider %s', (provider) => {
		const stored = { provider, authentication: 'accessKeys', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9000' };
		const source = asReadByN8n('s3StorageApi', stored);
		const destination = asReadByN8n('s3StorageDestinationApi', stored);
		expect(destination).toEqual(source);
		expect(destination).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', region: 'eu-west-1' });
	});

	it('keeps an assumed role\'s source keys', () => {
		const stored = { provider: 'other', authentication: 'assumeRole', sourceCredentials: 'accessKeys', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', roleArn: 'arn:aws:iam::123456789012:role/x', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' };
		expect(asReadByN8n('s3StorageDestinationApi', stored)).toEqual(asReadByN8n('s3StorageApi', stored));
	});
});
