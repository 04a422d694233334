'use strict';
/**
 * One benchmark contestant doing one scenario, in its own process so that its peak RSS is its
 * own. Started by tools/bench.js with a JSON job as argv[2]; prints one line
 * `BENCH_RESULT {...}` with the time, the idle and peak RSS, and what it did.
 *
 * Contestants:
 *  - node:   this package's node (dist/) through n8n's engine, filesystem binary mode
 *  - n8n-s3: n8n's built-in S3 node (n8n-nodes-base.s3, credential "s3") through the same engine
 *  - sdk:    the raw AWS SDK doing the same work (lib-storage Upload, streamed GET to a file,
 *            PutObject/GetObject with the same concurrency, ListObjectsV2, DeleteObjects batches,
 *            GetObject piped into an Upload with the second user's client for Transfer, two
 *            listings compared and CopyObject for Sync)
 *
 * Peak RSS: after setup (modules loaded, input binaries stored) the worker resets the kernel's
 * high-water mark (`/proc/self/clear_refs` = 5), notes VmRSS as "idle", does the work, then reads
 * VmHWM as "peak". Times: the wall time of the work (for the n8n contestants, the whole workflow
 * run through the engine: what a user waits for). CPU: user + system time of the whole process
 * (every thread) during the work, without start-up.
 * BENCH_DIST=<dir> measures another build of the package instead of dist/ (A/B comparisons).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));

const ROOT = path.join(__dirname, '..', '..');
/** The built package to measure: dist/, or another build (BENCH_DIST) to compare two versions. */
const DIST = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(ROOT, 'dist');
const job = JSON.parse(process.argv[2]);

function procStatus(field) {
	const match = fs.readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
	return match ? Number(match[1]) / 1024 : undefined;
}

/** Resets the peak-RSS counter; returns the RSS right now (MiB). */
function resetPeak() {
	try {
		fs.writeFileSync('/proc/self/clear_refs', '5');
	} catch {
		// older kernels: the peak then includes setup, which only makes our figure worse
	}
	return procStatus('VmRSS');
}

/** CPU time (user + system, ms) this process used since `start`. */
function cpuSince(start) {
	const { user, system } = process.cpuUsage(start);
	return (user + system) / 1000;
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

function keysOf(job) {
	return Array.from({ length: job.count }, (_, index) => `${job.prefix}${String(index).padStart(6, '0')}`);
}

// ---------------------------------------------------------------- the raw SDK

/** A client for the target's user, or for `user` (Transfer's destination) on the same endpoint. */
function sdkClient(user = job.target) {
	const { S3Client } = require('@aws-sdk/client-s3');
	const { NodeHttpHandler } = require('@smithy/node-http-handler');
	const http = require('node:http');
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	return new S3Client({
		endpoint: job.target.endpoint,
		region: job.target.region,
		forcePathStyle: job.target.forcePathStyle,
		credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		requestHandler: new NodeHttpHandler({ httpAgent: agent, httpsAgent: agent }),
	});
}

async function runSdk() {
	const s3 = require('@aws-sdk/client-s3');
	// Requests in flight for many small objects: the node's default item concurrency, unless given.
	const concurrency = job.itemConcurrency || job.concurrency || 16;
	const { Upload } = require('@aws-sdk/lib-storage');
	const client = sdkClient();
	const destinationClient = job.kind === 'transfer' ? sdkClient(job.target.other ?? job.target) : undefined;
	const Bucket = job.bucket;
	const idle = resetPeak();
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	let count = 0;
	let bytes = 0;
	switch (job.kind) {
		case 'upload': {
			bytes = fs.statSync(job.file).size;
			await new Upload({
				client,
				params: { Bucket, Key: job.key, Body: fs.createReadStream(job.file), ContentLength: bytes },
				partSize: job.partSize,
				queueSize: job.queueSize,
			}).done();
			count = 1;
			break;
		}
		case 'download': {
			const out = path.join(job.outDir, 'download.bin');
			const response = await client.send(new s3.GetObjectCommand({ Bucket, Key: job.key }));
			await pipeline(response.Body, fs.createWriteStream(out));
			bytes = fs.statSync(out).size;
			count = 1;
			break;
		}
		case 'upload-items': {
			const keys = keysOf(job);
			await mapLimit(keys, concurrency, async (Key, index) => {
				const Body = await fs.promises.readFile(path.join(job.dir, `${index}.bin`));
				await client.send(new s3.PutObjectCommand({ Bucket, Key, Body }));
				bytes += Body.length;
				count += 1;
			});
			break;
		}
		case 'download-items': {
			const keys = keysOf(job);
			await mapLimit(keys, concurrency, async (Key, index) => {
				const response = await client.send(new s3.GetObjectCommand({ Bucket, Key }));
				const out = path.join(job.outDir, `${index}.bin`);
				await pipeline(response.Body, fs.createWriteStream(out));
				count += 1;
			});
			break;
		}
		case 'list': {
			let ContinuationToken;
			do {
				const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: job.prefix, ContinuationToken }));
				count += page.Contents?.length ?? 0;
				ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (ContinuationToken);
			break;
		}
		case 'delete-folder':
		case 'delete-many': {
			// delete-folder lists page by page; delete-many has its key list already
			const inFlight = new Set();
			const submit = async (keys) => {
				const task = client
					.send(new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: false } }))
					.then((out) => (count += out.Deleted?.length ?? 0));
				const tracked = task.finally(() => inFlight.delete(tracked));
				inFlight.add(tracked);
				if (inFlight.size >= 4) await Promise.race(inFlight);
			};
			if (job.kind === 'delete-folder') {
				let ContinuationToken;
				do {
					const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: job.prefix, ContinuationToken }));
					if (page.Contents?.length) await submit(page.Contents.map((o) => o.Key));
					ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
				} while (ContinuationToken);
			} else {
				const keys = keysOf(job);
				for (let i = 0; i < keys.length; i += 1000) await submit(keys.slice(i, i + 1000));
			}
			await Promise.all(inFlight);
			break;
		}
		case 'transfer': {
			const response = await client.send(new s3.GetObjectCommand({ Bucket, Key: job.key }));
			bytes = response.ContentLength;
			await new Upload({
				client: destinationClient,
				params: { Bucket: job.destinationBucket, Key: job.destinationKey, Body: response.Body, ContentLength: bytes, ContentType: response.ContentType },
				partSize: job.partSize,
				queueSize: job.queueSize,
			}).done();
			count = 1;
			break;
		}
		case 'sync': {
			// both listings whole (simple, not flat in memory), then copy what is missing, of another size or older
			const list = async (Prefix) => {
				const objects = new Map();
				let ContinuationToken;
				do {
					const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
					for (const o of page.Contents ?? []) objects.set(o.Key.slice(Prefix.length), o);
					ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
				} while (ContinuationToken);
				return objects;
			};
			const [source, destination] = await Promise.all([list(job.prefix), list(job.destinationPrefix)]);
			const changed = [...source].filter(([name, o]) => {
				const there = destination.get(name);
				return !there || there.Size !== o.Size || there.LastModified < o.LastModified;
			});
			await mapLimit(changed, job.concurrency || 8, async ([name, o]) => {
				await client.send(
					new s3.CopyObjectCommand({ Bucket, Key: `${job.destinationPrefix}${name}`, CopySource: `${Bucket}/${encodeURIComponent(o.Key).replace(/%2F/g, '/')}` }),
				);
				bytes += o.Size;
				count += 1;
			});
			break;
		}
		default:
			throw new Error(`sdk: unknown kind ${job.kind}`);
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const cpuMs = cpuSince(cpu);
	client.destroy();
	destinationClient?.destroy();
	return { ms, cpuMs, idle, count, bytes };
}

// ---------------------------------------------------------------- n8n's engine

const rl = (value) => ({ __rl: true, mode: 'name', value });

class BenchInput {
	constructor() {
		this.description = {
			displayName: 'Input',
			name: 'input',
			group: ['input'],
			version: 1,
			description: 'Passes on the benchmark items',
			defaults: { name: 'Input' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}
	async execute() {
		return [this.getInputData()];
	}
}

/** Our node's operation fields, read from its description, so the bench follows renamed fields. */
function ourOperation(description, resource, operation) {
	const resourceField = description.properties.find((p) => p.name === 'resource');
	if (!resourceField?.options.some((o) => o.value === resource)) return undefined;
	const picker = description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	);
	if (!picker?.options.some((o) => o.value === operation)) return undefined;
	return description.properties.filter(
		(p) => p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions?.show?.operation?.includes(operation),
	);
}

async function runEngine() {
	const engine = require('../../test/support/engine');
	await engine.setBinaryMode('filesystem');
	const ours = job.contestant === 'node';
	const nodes = { 'bench.input': new BenchInput() };
	let credentials;
	let nodeType;
	let description;
	if (ours) {
		const { S3Storage } = require(path.join(DIST, 'nodes/S3Storage/S3Storage.node.js'));
		const node = new S3Storage();
		nodes.s3Storage = node;
		description = node.description;
		nodeType = 'n8n-nodes-s3-storage.s3Storage';
		credentials = {
			s3StorageApi: {
				provider: 'other',
				authentication: 'accessKeys',
				endpoint: job.target.endpoint,
				region: job.target.region,
				forcePathStyle: job.target.forcePathStyle,
				accessKeyId: job.target.accessKeyId,
				secretAccessKey: job.target.secretAccessKey,
			},
		};
	} else {
		nodeType = 'n8n-nodes-base.s3';
		credentials = {
			s3: {
				endpoint: job.target.endpoint,
				region: job.target.region,
				forcePathStyle: job.target.forcePathStyle,
				accessKeyId: job.target.accessKeyId,
				secretAccessKey: job.target.secretAccessKey,
				ignoreSSLIssues: false,
			},
		};
	}
	const concurrency = job.concurrency ? { concurrency: job.concurrency } : {};
	const keys = job.count ? keysOf(job) : [];
	let items = [{ json: {} }];
	let parameters;
	let note;
	let countOutput = (output) => output.length;
	let describeOutput = () => undefined;

	switch (job.kind) {
		case 'upload': {
			const binary = await engine.makeBinary(fs.createReadStream(job.file), path.basename(job.file));
			items = [{ json: {}, binary: { data: binary } }];
			parameters = ours
				? { resource: 'object', operation: 'upload', bucket: rl(job.bucket), binaryPropertyName: 'data', key: job.key, options: {} }
				: { resource: 'file', operation: 'upload', bucketName: job.bucket, fileName: job.key, binaryData: true, binaryPropertyName: 'data' };
			break;
		}
		case 'download':
			parameters = ours
				? { resource: 'object', operation: 'download', bucket: rl(job.bucket), key: job.key, binaryPropertyName: 'data', options: {} }
				: { resource: 'file', operation: 'download', bucketName: job.bucket, fileKey: job.key, binaryPropertyName: 'data' };
			countOutput = (output) => output.filter((item) => item.binary?.data?.bytes > 0).length;
			break;
		case 'upload-items': {
			items = [];
			for (let index = 0; index < keys.length; index++) {
				const content = fs.readFileSync(path.join(job.dir, `${index}.bin`));
				items.push({ json: { key: keys[index] }, binary: { data: await engine.makeBinary(content, `${index}.bin`) } });
			}
			parameters = ours
				? { resource: 'object', operation: 'upload', bucket: rl(job.bucket), binaryPropertyName: 'data', key: '={{ $json.key }}', options: { ...concurrency } }
				: { resource: 'file', operation: 'upload', bucketName: job.bucket, fileName: '={{ $json.key }}', binaryData: true, binaryPropertyName: 'data' };
			break;
		}
		case 'download-items':
			items = keys.map((key) => ({ json: { key } }));
			parameters = ours
				? { resource: 'object', operation: 'download', bucket: rl(job.bucket), key: '={{ $json.key }}', binaryPropertyName: 'data', options: { ...concurrency } }
				: { resource: 'file', operation: 'download', bucketName: job.bucket, fileKey: '={{ $json.key }}', binaryPropertyName: 'data' };
			countOutput = (output) => output.filter((item) => item.binary?.data).length;
			break;
		case 'list':
			parameters = ours
				? { resource: 'object', operation: 'getMany', bucket: rl(job.bucket), returnAll: true, options: { prefix: job.prefix } }
				: { resource: 'file', operation: 'getAll', bucketName: job.bucket, returnAll: true, options: { folderKey: job.prefix } };
			break;
		case 'delete-folder': {
			if (!ours) {
				parameters = { resource: 'folder', operation: 'delete', bucketName: job.bucket, folderKey: job.prefix };
				countOutput = (output) => output.reduce((sum, item) => sum + (Array.isArray(item.json.deleted) ? item.json.deleted.length : 0), 0);
				break;
			}
			const fields = ourOperation(description, 'folder', 'delete');
			if (fields) {
				// the folder field: the operation's first string field other than the bucket
				const folderField = fields.find((p) => p.type === 'string' && p.name !== 'bucket');
				parameters = { resource: 'folder', operation: 'delete', bucket: rl(job.bucket), [folderField.name]: job.prefix, options: {} };
				countOutput = (output) => output.reduce((sum, item) => sum + (Number(item.json.objectsDeleted) || 0), 0);
			} else {
				note = 'folder/delete not in this build: ran emptyPrefix (the code folder delete uses) directly';
			}
			break;
		}
		case 'delete-many': {
			items = keys.map((key) => ({ json: { key } }));
			if (!ours) {
				note = "n8n's node has no Delete Many: one File > Delete item per key";
				parameters = { resource: 'file', operation: 'delete', bucketName: job.bucket, fileKey: '={{ $json.key }}', options: {} };
				countOutput = (output) => output.filter((item) => item.json.success).length;
				break;
			}
			const fields = ourOperation(description, 'object', 'deleteMany');
			if (fields) {
				items = [{ json: { keys } }];
				const keysField = fields.find((p) => p.name !== 'bucket' && p.name !== 'options' && ['string', 'json'].includes(p.type));
				parameters = { resource: 'object', operation: 'deleteMany', bucket: rl(job.bucket), [keysField.name]: '={{ $json.keys }}', options: {} };
				countOutput = (output) => output.filter((item) => item.json.deleted === true).length;
				note = `object/deleteMany, keys from an expression in "${keysField.name}"`;
			} else {
				note = 'object/deleteMany not in this build: one Object > Delete item per key';
				parameters = { resource: 'object', operation: 'delete', bucket: rl(job.bucket), key: '={{ $json.key }}', options: { ...concurrency } };
			}
			break;
		}
		case 'transfer': {
			if (!ours) throw new Error("n8n's node has no transfer between credentials");
			const other = job.target.other ?? job.target;
			credentials.s3StorageDestinationApi = { ...credentials.s3StorageApi, accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey };
			parameters = {
				resource: 'object',
				operation: 'transfer',
				bucket: rl(job.bucket),
				key: job.key,
				destinationBucket: job.destinationBucket,
				destinationKey: job.destinationKey,
				options: {},
			};
			countOutput = (output) => output.filter((item) => item.json.size > 0).length;
			describeOutput = (output) => `method ${output[0]?.json.method}`;
			break;
		}
		case 'sync': {
			if (!ours) throw new Error("n8n's node has no sync");
			parameters = {
				resource: 'folder',
				operation: 'sync',
				bucket: rl(job.bucket),
				folder: job.prefix,
				destinationBucket: rl(job.bucket),
				destinationFolder: job.destinationPrefix,
				options: job.concurrency ? { parallelCopies: job.concurrency } : {},
			};
			countOutput = (output) => Number(output[0]?.json.copied ?? 0);
			describeOutput = (output) => {
				const { copied, skipped, failed } = output[0]?.json ?? {};
				return `copied ${copied}, skipped ${skipped}, failed ${failed}`;
			};
			break;
		}
		default:
			throw new Error(`engine: unknown kind ${job.kind}`);
	}

	if (!parameters) return await runEmptyPrefixDirect(credentials.s3StorageApi, note);

	const workflow = {
		nodes: [
			{ id: 'in', name: 'Input', type: 'bench.input', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 's3',
				name: 'S3',
				type: nodeType,
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: ours
					? { s3StorageApi: { id: '1', name: 'S3' }, ...(credentials.s3StorageDestinationApi ? { s3StorageDestinationApi: { id: '2', name: 'Destination' } } : {}) }
					: { s3: { id: '1', name: 'S3' } },
			},
		],
		connections: { Input: { main: [[{ node: 'S3', type: 'main', index: 0 }]] } },
	};
	global.gc?.();
	const idle = resetPeak();
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	const run = await engine.runWorkflow(workflow, { nodes, credentials, startData: { main: [items] } });
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const cpuMs = cpuSince(cpu);
	const error = run.nodeError('S3');
	if (error) return { ms, cpuMs, idle, error: error.message, note };
	const output = run.output('S3') ?? [];
	const nodeMs = run.runData.S3?.[0]?.executionTime;
	const bytes =
		job.kind === 'download' ? output[0]?.binary?.data?.bytes : job.kind === 'upload' ? fs.statSync(job.file).size : job.kind === 'transfer' ? output[0]?.json.size : 0;
	const described = describeOutput(output);
	// an item that failed under the hood (n8n's node answers some failures as items) is not a success
	return { ms, cpuMs, nodeMs, idle, count: countOutput(output), outputItems: output.length, bytes, note: [note, described].filter(Boolean).join('; ') || undefined };
}

/** Our folder delete's code path (helpers/bulkDelete.ts) when the build has no folder resource yet. */
async function runEmptyPrefixDirect(credential, note) {
	const { getClient } = require(path.join(DIST, 'nodes/S3Storage/transport/client.js'));
	const { S3Connection } = require(path.join(DIST, 'nodes/S3Storage/transport/index.js'));
	const { emptyPrefix } = require(path.join(DIST, 'nodes/S3Storage/helpers/bulkDelete.js'));
	const { client, resolved } = getClient(credential);
	const connection = new S3Connection({ name: 'S3', type: 'bench' }, client, resolved, '', undefined);
	const idle = resetPeak();
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	const result = await emptyPrefix(connection, job.bucket, job.prefix, 0);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return { ms, cpuMs: cpuSince(cpu), idle, count: result.deleted, note, error: result.errors.length ? `${result.errors.length} keys failed` : undefined };
}

async function main() {
	let result;
	try {
		result = job.contestant === 'sdk' ? await runSdk() : await runEngine();
	} catch (error) {
		result = { error: error instanceof Error ? error.message : String(error) };
	}
	result.peak = procStatus('VmHWM');
	process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
	fs.rmSync(process.env.N8N_USER_FOLDER, { recursive: true, force: true });
	process.exit(0);
}

void main();
