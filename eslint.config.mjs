// Type-aware lint (typescript-eslint): promises must be awaited or voided, type-only imports
// are marked, no import cycles, and services log through the logger, never `console`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  // docs/examples: plain JavaScript a team copies into its own deployment, outside every tsconfig
  // (the processor's integration test loads it for real).
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.longhaul/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.mts',
      'docs/examples/**',
      // The CLI's bin: three lines of CommonJS that load the built entry (libs/cli/src/main.ts).
      'libs/cli/bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'deploy/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
