// @ts-check
'use strict';

const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/**
 * ESLint runs as part of the test command, so it stays syntactic: the recommended sets of
 * @eslint/js and typescript-eslint, not the type-checked presets. Type-aware rules would
 * build a TypeScript program for every file and make the test command much slower; the
 * compiler (`tsc --noEmit`, strict, noUnused*) already runs there and checks the types.
 */
module.exports = tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'artifacts/', 'appPackage/', '.data/', 'infra/', 'manifest/', 'cards/'],
  },
  {
    // A disable comment that no longer suppresses anything is a finding too.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['src/**/*.ts', 'sandbox/**/*.ts', 'dev/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // `_ignored` destructuring and `_`-prefixed parameters mark what is left out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // This file: plain CommonJS run by ESLint itself.
    files: ['eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
  },
  {
    // The whole suite's mocha settings: plain CommonJS run by mocha.
    files: ['.mocharc.suite.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
  },
);
