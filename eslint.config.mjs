// n8n's own lint rules for community node packages, applied to the shipped code and package.json.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'e2e/**', 'test/**', 'tools/**', 'coverage/**', '*.js', '*.mjs'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } },
	},
	{ files: ['package.json'], languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } } },
	n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
	{
		rules: {
			// The AWS SDK is the product's engine; self-hosted n8n installs a community package's dependencies.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
];
