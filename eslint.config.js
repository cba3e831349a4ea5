// Lint rules: typescript-eslint's recommended type-aware set, plus the dependency direction of
// DESIGN.md (pure modules never import the edges).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const edges = ['fastify', 'redis', 'grammy', '**/storage/**', '**/http/**', '**/conversation/**', '**/channels/**', '**/app.js', '**/main.js', '**/config.js'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/channels/web/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: [
      'src/engine/**/*.ts',
      'src/risk/**/*.ts',
      'src/i18n/**/*.ts',
      'src/common/**/*.ts',
      // The pure half of reports; the report store and the import command are edges.
      'src/reports/recruiter.ts',
      'src/reports/agencyRegister.ts',
      'src/reports/csv.ts',
      'src/reports/editDistance.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: edges }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Pure modules take configuration as arguments.' }],
    },
  },
  {
    // Channels use the store only through its interface, handed in (types only).
    files: ['src/channels/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/engine/step.js', '**/storage/**', '**/conversation/pipeline.js'], allowTypeImports: true }] }],
    },
  },
  {
    rules: {
      // `const { dropped, ...kept } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
