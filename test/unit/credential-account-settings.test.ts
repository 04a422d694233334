/** Expected Bucket Owner and Requester Pays as the credential gives them: behind their switch, the owner a 12-digit account ID. */
import { S3StorageApi } from '../../credentials/S3StorageApi.credentials';
import { S3StorageDestinationApi } from '../../credentials/S3StorageDestinationApi.credentials';
import { accountSettingsOf } from '../../nodes/S3Storage/transport/accountHeaders';

describe('account settings', () => {
	it('are off unless the switch is on', () => {
		expect(accountSettingsOf({})).toEqual({ requesterPays: false });
		expect(accountSettingsOf({ accountSettings: false, expectedBucketOwner: '111122223333', requesterPays: true })).toEqual({ requesterPays: false });
	});

	it('an owner of 12 digits (spaces around it ignored); empty means not checked', () => {
		expect(accountSettingsOf({ accountSettings: true, expectedBucketOwner: ' 111122223333 ', requesterPays: true })).toEqual({
			expectedBucketOwner: '111122223333',
			requesterPays: true,
		});
		expect(accountSettingsOf({ accountSettings: true, expectedBucketOwner: '' })).toEqual({ requesterPays: false });
	});

	it.each(['11112222333', '1111222233334', '1111-2222-3333', 'arn:aws:iam::111122223333:root'])('refuses %j naming the field', (owner) => {
		expect(() => accountSettingsOf({ accountSettings: true, expectedBucketOwner: owner })).toThrow(`"Expected Bucket Owner" must be a 12-digit account ID, not "${owner}"`);
	});

	it('both credential types show the fields behind the switch', () => {
		for (const type of [new S3StorageApi(), new S3StorageDestinationApi()]) {
			const field = (name: string) => type.properties.find((property) => property.name === name);
			expect(field('accountSettings')).toMatchObject({ type: 'boolean', default: false });
			expect(field('expectedBucketOwner')?.displayOptions).toEqual({ show: { accountSettings: [true] } });
			expect(field('requesterPays')).toMatchObject({ type: 'boolean', default: false, description: 'Whether to accept the charges of buckets where the requester pays' });
		}
	});
});
