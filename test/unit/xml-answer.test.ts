/**
 * S3's XML answers as JSON (Custom API Call): values stay text, namespaces go, the elements S3
 * repeats are lists whether the answer holds one of them or many.
 */
import { xmlToJson } from '../../nodes/S3Storage/transport/xmlAnswer';

describe('xmlToJson', () => {
	it('keeps values as text, drops namespace attributes, decodes entities', () => {
		const xml =
			'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><KeyCount>1</KeyCount>' +
			'<Contents><Key>007 &amp; co.txt</Key><Size>10</Size></Contents></ListBucketResult>';
		expect(xmlToJson(xml)).toEqual({
			ListBucketResult: { Name: 'b', KeyCount: '1', Contents: [{ Key: '007 & co.txt', Size: '10' }] },
		});
	});

	it('one Bucket or Tag is a list like many; an Error of DeleteObjects too, S3\'s error answer stays an object', () => {
		expect(xmlToJson('<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Name></Bucket></Buckets></ListAllMyBucketsResult>')).toEqual({
			ListAllMyBucketsResult: { Buckets: { Bucket: [{ Name: 'a' }] } },
		});
		expect(xmlToJson('<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag><Tag><Key>k2</Key><Value></Value></Tag></TagSet></Tagging>')).toEqual({
			Tagging: { TagSet: { Tag: [{ Key: 'k', Value: 'v' }, { Key: 'k2', Value: '' }] } },
		});
		expect(xmlToJson('<DeleteResult><Error><Key>x</Key><Code>AccessDenied</Code></Error></DeleteResult>')).toEqual({
			DeleteResult: { Error: [{ Key: 'x', Code: 'AccessDenied' }] },
		});
		expect(xmlToJson('<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>')).toEqual({ Error: { Code: 'NoSuchKey', Message: 'gone' } });
	});

	it('refuses what is not XML', () => {
		expect(() => xmlToJson('<html><body>oops')).toThrow();
	});
});
