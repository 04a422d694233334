// Offline run of n8n's own community-package scanner (@n8n/scan-community-package).
// Its CLI (`npx @n8n/scan-community-package <name>`) cannot run here: it reads the package's
// metadata and npm provenance attestation from registry.npmjs.org (an unpublished package has
// neither) and downloads the attested source from codeload.github.com (not reachable). What it
// then does is two ESLint passes with its own config; this script runs exactly those passes
// (the exported analyzePackage + SOURCE_FILE_PATTERNS) on the packed tarball and on the source.
// usage: node scan.mjs <extracted-tarball-dir> <source-dir>
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [distDir, sourceDir] = process.argv.slice(2);
if (!distDir || !sourceDir) {
	console.error('usage: node scan.mjs <extracted-tarball-dir> <source-dir>');
	process.exit(2);
}
const legs = [
	['source (nodes/, credentials/, package.json)', sourceDir, SOURCE_FILE_PATTERNS],
	['tarball (compiled .js, package.json)', distDir, ['**/*.js', 'package.json']],
];
let failed = false;
for (const [label, dir, patterns] of legs) {
	const result = await analyzePackage(dir, patterns);
	if (result.passed) {
		console.log(`scan ${label}: PASSED${result.message ? ` (${result.message})` : ''}`);
	} else {
		failed = true;
		console.log(`scan ${label}: FAILED: ${result.message}`);
		if (result.details) console.log(result.details);
	}
}
process.exit(failed ? 1 : 0);
