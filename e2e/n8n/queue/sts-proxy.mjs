// A pass-through proxy in front of the STS endpoint that counts AssumeRole calls, so the queue-mode
// run can check that each worker assumes the role once and then reuses the session.
// Headers go through unchanged (SigV4 signs the Host the client saw; the server checks that one).
// usage: node sts-proxy.mjs <target-url>   prints {"port":N} on its first line; GET /__count answers the count
import http from 'node:http';

const target = new URL(process.argv[2]);
let assumeRoleCalls = 0;

const server = http.createServer((request, response) => {
	if (request.url === '/__count') return response.end(String(assumeRoleCalls));
	const chunks = [];
	request.on('data', (chunk) => chunks.push(chunk));
	request.on('end', () => {
		const body = Buffer.concat(chunks);
		if (/(^|&)Action=AssumeRole(&|$)/.test(body.toString('latin1')) || /[?&]Action=AssumeRole(&|$)/.test(request.url)) assumeRoleCalls++;
		const upstream = http.request(
			{ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers, timeout: 30_000 },
			(answer) => {
				response.writeHead(answer.statusCode, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')));
		upstream.on('error', (error) => {
			if (!response.headersSent) response.writeHead(502);
			response.end(String(error.message));
		});
		upstream.end(body);
	});
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
