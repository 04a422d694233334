import { bucketParam, makeBinary, binaryToBuffer, runNode, setBinaryMode } from '../helpers/harness';
import { uniqueBucket } from '../helpers/target';

describe('smoke', () => {
	it('creates a bucket, uploads, lists, downloads and deletes', async () => {
		await setBinaryMode('filesystem');
		const bucket = uniqueBucket('smoke');
		const created = await runNode({ resource: 'bucket', operation: 'create', bucketName: bucket });
		expect(created[0].json).toMatchObject({ bucket, created: true });
		const binary = await makeBinary(Buffer.from('hello'), 'hello.txt', 'text/plain');
		const uploaded = await runNode(
			{ resource: 'object', operation: 'upload', bucket: bucketParam(bucket), binaryPropertyName: 'data' },
			[{ json: {}, binary: { data: binary as never } }],
		);
		expect(uploaded[0].json).toMatchObject({ key: 'hello.txt', size: 5 });
		const listed = await runNode({ resource: 'object', operation: 'getMany', bucket: bucketParam(bucket), returnAll: true });
		expect(listed.map((i) => i.json.key)).toEqual(['hello.txt']);
		const downloaded = await runNode({ resource: 'object', operation: 'download', bucket: bucketParam(bucket), key: 'hello.txt' });
		expect((await binaryToBuffer(downloaded[0].binary!.data)).toString()).toBe('hello');
		expect(downloaded[0].binary!.data).toMatchObject({ fileName: 'hello.txt', mimeType: 'text/plain' });
	});
});
