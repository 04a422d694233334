/**
 * What n8n reads about the package besides the code: package.json's `n8n` block and each node's
 * codex file (category, subcategories, aliases for the node search, documentation links).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to dashes. */
const anchors = new Set(
	[...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')),
);

// The categories n8n's node panel knows (n8n-workflow's codex type leaves it a string).
const N8N_CATEGORIES = ['Analytics', 'Communication', 'Data & Storage', 'Development', 'Finance & Accounting', 'Marketing', 'Productivity', 'Sales', 'Utility', 'Miscellaneous'];

describe.each(pkg.n8n.nodes as string[])('codex of %s', (distPath) => {
	const source = distPath.replace(/^dist\//, '').replace(/\.js$/, '.json');
	const codexPath = join(ROOT, source);
	const codex = existsSync(codexPath) ? JSON.parse(readFileSync(codexPath, 'utf8')) : undefined;

	test('sits beside the node and names its type', () => {
		expect(codex).toBeDefined();
		const className = basename(source, '.node.json');
		expect(codex.node).toBe(`${pkg.name}.${className[0].toLowerCase()}${className.slice(1)}`);
	});

	test('lists known categories, with subcategories only under them', () => {
		expect(codex.categories.length).toBeGreaterThan(0);
		for (const category of codex.categories) expect(N8N_CATEGORIES).toContain(category);
		const subcategories = Object.entries(codex.subcategories ?? {});
		expect(subcategories.length).toBeGreaterThan(0);
		for (const [category, names] of subcategories) {
			expect(codex.categories).toContain(category);
			expect((names as string[]).length).toBeGreaterThan(0);
		}
	});

	test('has search aliases and documentation links to README sections that exist', () => {
		expect(codex.alias).toEqual(expect.arrayContaining(['S3']));
		const urls = [...codex.resources.primaryDocumentation, ...codex.resources.credentialDocumentation].map((d: { url: string }) => d.url);
		expect(urls.length).toBeGreaterThanOrEqual(2);
		for (const url of urls) {
			expect(url.startsWith(`${pkg.homepage.replace(/#.*$/, '')}#`)).toBe(true);
			expect(anchors).toContain(url.split('#')[1]);
		}
	});
});
