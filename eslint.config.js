// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'build/', 'web/dist/', 'coverage/', '**/*_js/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: false },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'No wall clock: pass an explicit time (proof paths must be deterministic).',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'No wall clock: pass an explicit time (proof paths must be deterministic).',
        },
      ],
    },
  },
  {
    // CLI progress display, scripts and tests may measure elapsed time; they never feed it into a proof.
    files: ['scripts/**', 'test/**', 'src/terminal/progress.ts', 'src/util/clock.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
