// Creates the buckets and objects of fixtures/seed.json on the S3 server under test, with the
// AWS SDK the package itself depends on (resolved from the repo's node_modules).
// usage: node seed.mjs <repo-root> <seed.json>
// env: E2E_S3_ENDPOINT, E2E_S3_REGION, E2E_S3_ACCESS_KEY_ID, E2E_S3_SECRET_ACCESS_KEY, E2E_S3_FORCE_PATH_STYLE
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [root, seedFile] = process.argv.slice(2);
const { S3Client, CreateBucketCommand, PutObjectCommand } = createRequire(path.join(root, 'package.json'))('@aws-sdk/client-s3');
const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
const client = new S3Client({
	endpoint: process.env.E2E_S3_ENDPOINT,
	region: process.env.E2E_S3_REGION,
	forcePathStyle: process.env.E2E_S3_FORCE_PATH_STYLE !== 'false',
	credentials: { accessKeyId: process.env.E2E_S3_ACCESS_KEY_ID, secretAccessKey: process.env.E2E_S3_SECRET_ACCESS_KEY },
	requestChecksumCalculation: 'WHEN_REQUIRED',
	responseChecksumValidation: 'WHEN_REQUIRED',
});
for (const bucket of seed.buckets ?? []) {
	try {
		await client.send(new CreateBucketCommand({ Bucket: bucket }));
	} catch (error) {
		if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(error.name)) throw error;
	}
}
for (const object of seed.objects ?? []) {
	await client.send(
		new PutObjectCommand({ Bucket: object.bucket, Key: object.key, Body: object.text, ContentType: object.contentType ?? 'text/plain' }),
	);
}
console.log(`seeded ${seed.buckets?.length ?? 0} bucket(s) and ${seed.objects?.length ?? 0} object(s)`);
