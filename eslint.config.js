// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The direction of imports in src/ (docs/contributing.md): a folder may import the levels below it and its
// own level (without cycles), never a level above. Same level: money, crypto, fs and terminal; demo and cli
// (cli may import demo, demo never cli).
const LEVELS = [
  ['errors.ts', 'util', 'time.ts'],
  ['money', 'crypto', 'fs', 'terminal'],
  ['protocol'],
  ['audit'],
  ['ledger'],
  ['storage'],
  ['import'],
  ['tree'],
  ['zk'],
  ['bundle'],
  ['reserves', 'publication'],
  ['bundle-io', 'tree-build'],
  ['setup'],
  ['prover'],
  ['verify'],
  ['queue', 'anchor', 'reserves-online'],
  ['demo', 'cli'],
];
const src = (name) => `./src/${name}`;

/** One zone per folder: it may not import any folder of a higher level (nor the package entry points). */
const directionZones = LEVELS.flatMap((level, i) => {
  const above = LEVELS.slice(i + 1).flat();
  return level.map((name) => ({
    target: src(name),
    from: [...above.map(src), src('index.ts'), src('node.ts')],
    message: `src/${name} is on level ${i + 1} of the import direction (docs/contributing.md): it may not import a higher level.`,
  }));
}).concat({
  target: src('demo'),
  from: [src('cli')],
  message:
    'src/demo may not import src/cli (cli runs the demo; shared terminal helpers live in src/terminal).',
});

// Browser-safe code (the verifier, the page, and everything they import) may not reach Node-only code, not
// even indirectly: the folders below are Node-only (zk/ except its snarkjs wrapper, which the verifier uses).
const BROWSER_SAFE = [
  'src/crypto',
  'src/protocol',
  'src/tree',
  'src/bundle',
  'src/reserves',
  'src/publication',
  'src/verify',
  'src/money',
  'src/util',
  'src/errors.ts',
  'src/time.ts',
  'web/src',
];
const NODE_ONLY = [
  'fs',
  'terminal',
  'audit',
  'ledger',
  'storage',
  'import',
  'bundle-io',
  'tree-build',
  'setup',
  'prover',
  'queue',
  'anchor',
  'reserves-online',
  'demo',
  'cli',
];
const browserZones = [
  ...BROWSER_SAFE.map((dir) => ({
    target: `./${dir}`,
    from: [...NODE_ONLY.map(src), src('index.ts'), src('node.ts')],
    message: `${dir} is browser-safe: it may not import Node-only modules (docs/contributing.md).`,
  })),
  ...BROWSER_SAFE.map((dir) => ({
    target: `./${dir}`,
    from: src('zk'),
    except: ['./snarkjs.ts'],
    message: `${dir} is browser-safe: of src/zk it may import only the snarkjs wrapper (src/zk/snarkjs.ts).`,
  })),
];

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
const browserMessage =
  'Browser-safe code (docs/contributing.md): no Node built-in modules, directly or indirectly.';

const wallClockMessage = 'No wall clock: pass an explicit time (proof paths must be deterministic).';

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
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: wallClockMessage },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: wallClockMessage,
        },
        {
          selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
          message: `${wallClockMessage} (performance.now() is for display-only progress: src/terminal/progress.ts)`,
        },
      ],
    },
  },
  {
    // Scripts and tests may measure elapsed time, and so may the terminal's progress display (it is shown,
    // never fed into a proof).
    files: ['scripts/**', 'test/**', 'src/terminal/progress.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Imports: no cycles, and the direction above. Relative imports end in .js and name .ts sources.
    files: ['src/**/*.ts', 'web/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Dependencies are parsed as TypeScript (no-cycle follows them through their own imports).
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.js', '.json'],
          extensionAlias: { '.js': ['.ts', '.js'] },
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: [...directionZones, ...browserZones] }],
    },
  },
  {
    files: BROWSER_SAFE.map((dir) => (dir.endsWith('.ts') ? dir : `${dir}/**/*.ts`)),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: browserMessage })),
          patterns: [{ group: ['node:*'], message: browserMessage }],
        },
      ],
    },
  },
);
