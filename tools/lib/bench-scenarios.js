'use strict';
/**
 * The benchmark's scenarios and the data they need: files on disk, objects on the server.
 * Sizes have a full and a quick (--quick) variant.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MiB = 1024 * 1024;

/**
 * kind: what is measured (see bench-worker.js); unit: MiB (throughput) or obj (objects per second).
 * dataset: scenarios that share a dataset reuse its objects when still intact.
 */
const SCENARIOS = [
	{ name: 'upload-1g', kind: 'upload', unit: 'MiB', sizeMiB: 1024, quick: { sizeMiB: 128 } },
	{ name: 'download-1g', kind: 'download', unit: 'MiB', sizeMiB: 1024, quick: { sizeMiB: 128 } },
	{ name: 'upload-5g', kind: 'upload', unit: 'MiB', sizeMiB: 5120, quick: null },
	{ name: 'download-5g', kind: 'download', unit: 'MiB', sizeMiB: 5120, quick: null },
	{ name: 'upload-1k', kind: 'upload-items', unit: 'obj', count: 1000, quick: { count: 200 } },
	{ name: 'download-1k', kind: 'download-items', unit: 'obj', count: 1000, quick: { count: 200 } },
	{ name: 'upload-10k', kind: 'upload-items', unit: 'obj', count: 10000, quick: null },
	{ name: 'download-10k', kind: 'download-items', unit: 'obj', count: 10000, quick: null },
	{ name: 'list-100k', kind: 'list', unit: 'obj', count: 100000, dataset: 'tree', quick: { count: 5000 } },
	{ name: 'delete-folder-100k', kind: 'delete-folder', unit: 'obj', count: 100000, dataset: 'tree', quick: { count: 5000 } },
	{ name: 'delete-many-10k', kind: 'delete-many', unit: 'obj', count: 10000, quick: { count: 2000 } },
	// Object > Transfer to a second user on the same server (streamed), beside rclone copyto between two remotes
	{ name: 'transfer-1g', kind: 'transfer', unit: 'MiB', sizeMiB: 1024, quick: { sizeMiB: 128 } },
	// Folder > Sync of small objects into an empty folder, then again with nothing to copy
	{ name: 'sync-1k', kind: 'sync', unit: 'obj', count: 1000, quick: null },
	{ name: 'sync-10k', kind: 'sync', unit: 'obj', count: 10000, quick: { count: 1000 } },
];

/** The scenarios to run: all (or the named ones), with quick sizes when asked. */
function selectScenarios({ names, quick }) {
	const known = new Set(SCENARIOS.map((s) => s.name));
	for (const name of names ?? []) {
		if (!known.has(name)) throw new Error(`Unknown scenario "${name}". Known: ${[...known].join(', ')}`);
	}
	return SCENARIOS.filter((s) => (names ? names.includes(s.name) : !quick || s.quick !== null)).map((s) => {
		const scenario = { ...s, ...(quick && s.quick ? s.quick : {}) };
		delete scenario.quick;
		scenario.label = describeSize(scenario);
		return scenario;
	});
}

function describeSize(s) {
	if (s.sizeMiB) return s.sizeMiB >= 1024 ? `${s.sizeMiB / 1024} GiB` : `${s.sizeMiB} MiB`;
	return `${s.count.toLocaleString('en-US')} objects`;
}

/** A file of `sizeMiB` pseudo-random (incompressible) bytes, made once per run. */
function makeBigFile(file, sizeMiB) {
	if (fs.existsSync(file) && fs.statSync(file).size === sizeMiB * MiB) return;
	const block = crypto.randomBytes(16 * MiB);
	const fd = fs.openSync(file, 'w');
	try {
		let left = sizeMiB * MiB;
		while (left > 0) {
			const n = Math.min(left, block.length);
			fs.writeSync(fd, block, 0, n);
			left -= n;
			block[0] ^= 1; // no two blocks alike
		}
	} finally {
		fs.closeSync(fd);
	}
}

/** `count` files of 4 KiB named 0.bin, 1.bin, ... */
function makeSmallFiles(dir, count) {
	fs.mkdirSync(dir, { recursive: true });
	for (let index = 0; index < count; index++) {
		const file = path.join(dir, `${index}.bin`);
		if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(4096));
	}
}

function keysFor(prefix, count) {
	return Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(6, '0')}`);
}

async function mapLimit(items, limit, fn) {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			await fn(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Server-side helpers for arranging and checking state, with the plain SDK. */
function serverHelpers(client) {
	const s3 = require('@aws-sdk/client-s3');
	const { Upload } = require('@aws-sdk/lib-storage');
	return {
		async createBucket(Bucket) {
			await client.send(new s3.CreateBucketCommand({ Bucket }));
		},
		async countKeys(Bucket, Prefix) {
			let count = 0;
			let ContinuationToken;
			do {
				const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
				count += page.Contents?.length ?? 0;
				ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (ContinuationToken);
			return count;
		},
		/** Puts `count` one-byte objects under `prefix` (n8n's node skips zero-byte keys when listing). */
		async putKeys(Bucket, prefix, count, onProgress) {
			let done = 0;
			await mapLimit(keysFor(prefix, count), 32, async (Key) => {
				await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: 'x' }));
				done += 1;
				if (done % 5000 === 0) onProgress?.(done);
			});
		},
		/** Makes sure exactly the dataset's keys exist; cheap when they already do. */
		async ensureKeys(Bucket, prefix, count, onProgress) {
			const present = await this.countKeys(Bucket, prefix);
			if (present === count) return false;
			if (present > 0) await this.emptyPrefix(Bucket, prefix);
			await this.putKeys(Bucket, prefix, count, onProgress);
			return true;
		},
		async putSmallFiles(Bucket, prefix, dir, count) {
			await mapLimit(keysFor(prefix, count), 32, async (Key, index) => {
				await client.send(new s3.PutObjectCommand({ Bucket, Key, Body: fs.readFileSync(path.join(dir, `${index}.bin`)) }));
			});
		},
		async uploadFile(Bucket, Key, file) {
			await new Upload({
				client,
				params: { Bucket, Key, Body: fs.createReadStream(file), ContentLength: fs.statSync(file).size },
				partSize: 16 * MiB,
				queueSize: 4,
			}).done();
		},
		/** Makes sure exactly `count` 4 KiB objects (from `dir`) are under `prefix`; cheap when they already are. */
		async ensureSmallObjects(Bucket, prefix, dir, count) {
			const present = await this.countKeys(Bucket, prefix);
			if (present === count) return false;
			if (present > 0) await this.emptyPrefix(Bucket, prefix);
			await this.putSmallFiles(Bucket, prefix, dir, count);
			return true;
		},
		/** How many keys are under `prefix`, and the newest LastModified among them (ms). */
		async summarize(Bucket, Prefix) {
			let count = 0;
			let newest = 0;
			let ContinuationToken;
			do {
				const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
				for (const o of page.Contents ?? []) {
					count += 1;
					newest = Math.max(newest, o.LastModified.getTime());
				}
				ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (ContinuationToken);
			return { count, newest };
		},
		async objectSize(Bucket, Key) {
			try {
				return (await client.send(new s3.HeadObjectCommand({ Bucket, Key }))).ContentLength;
			} catch {
				return undefined;
			}
		},
		async deleteKey(Bucket, Key) {
			await client.send(new s3.DeleteObjectCommand({ Bucket, Key }));
		},
		async emptyPrefix(Bucket, Prefix) {
			let ContinuationToken;
			do {
				const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
				if (page.Contents?.length) {
					await client.send(
						new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key })), Quiet: true } }),
					);
				}
				ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (ContinuationToken);
		},
		async abortMultipartUploads(Bucket) {
			try {
				const listed = await client.send(new s3.ListMultipartUploadsCommand({ Bucket }));
				for (const upload of listed.Uploads ?? []) {
					await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
				}
			} catch {
				// servers without the API (s3rver)
			}
		},
		async deleteBucket(Bucket) {
			await this.abortMultipartUploads(Bucket);
			await this.emptyPrefix(Bucket, undefined);
			await client.send(new s3.DeleteBucketCommand({ Bucket }));
		},
	};
}

module.exports = { SCENARIOS, selectScenarios, describeSize, makeBigFile, makeSmallFiles, keysFor, serverHelpers, MiB };
