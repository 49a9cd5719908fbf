// The dependency rule (README "Layout"), enforced on every import, type-only imports included:
//   core     imports only core (and the pure libphonenumber-js and mustache): no Node built-in, no native or I/O package;
//   io       imports core;            ingest   imports core and io;
//   services imports core, io, ingest; jobs imports services (and below), never a face;
//   cli, server and bot import services and jobs (and core), never io or ingest;
//   web      imports core only (and the API client).
// Run by `npm run lint`, which `npm test` (and so CI) runs. Tests and benchmarks may import anything.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** An import path that enters one of these top-level folders of src/ (relative or not). */
const into = (...folders) => `(^|/)(${folders.join('|')})(/|$)`;

const NODE_BUILTINS = { regex: `^(node:|(${builtinModules.filter((m) => !m.startsWith('_')).join('|').replace(/\//g, '\\/')})(/|$))`, message: 'core runs in the browser and workers too: no Node built-ins (put it in io/ behind an adapter).' };

/** no-restricted-imports with these patterns; type-only imports are restricted too (allowTypeImports is false). */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p, allowTypeImports: false })) }] });

const layer = (folders, message) => ({ regex: into(...folders), message });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'demo/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts', 'web/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts', 'src/core/**/*.case.ts'],
    rules: restrict(
      layer(['io', 'ingest', 'services', 'jobs', 'cli', 'server', 'bot'], 'core imports nothing but core (README "Layout").'),
      NODE_BUILTINS,
      { regex: '^(?![./]|libphonenumber-js(/|$)|mustache$)', message: 'core imports no package but the pure libphonenumber-js and mustache: no native or I/O package (sharp, better-sqlite3, pg, ...), not even a type.' },
    ),
  },
  {
    files: ['src/io/**/*.ts'],
    ignores: ['src/io/**/*.test.ts'],
    rules: restrict(layer(['ingest', 'services', 'jobs', 'cli', 'server', 'bot'], 'io imports only core (README "Layout").')),
  },
  {
    files: ['src/ingest/**/*.ts'],
    ignores: ['src/ingest/**/*.test.ts', 'src/ingest/**/*.case.ts'],
    rules: restrict(layer(['services', 'jobs', 'cli', 'server', 'bot'], 'ingest imports only core and io (README "Layout").')),
  },
  {
    files: ['src/jobs/**/*.ts'],
    ignores: ['src/jobs/**/*.test.ts', 'src/jobs/**/*.case.ts'],
    rules: restrict(layer(['cli', 'server', 'bot'], 'jobs run services for the faces and never import a face (README "Layout").')),
  },
  {
    files: ['src/services/**/*.ts'],
    ignores: ['src/services/**/*.test.ts'],
    rules: restrict(layer(['cli', 'server', 'bot', 'jobs'], 'services never import a face or the jobs that run them (README "Layout").')),
  },
  {
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts', 'src/bot/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: restrict(layer(['io', 'ingest'], 'a face goes through services: import the use case, not io or ingest (README "Layout").')),
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    ignores: ['web/**/*.test.{ts,tsx}', 'web/vite.config.ts'], // the build config runs in Node, not in the page
    rules: restrict(layer(['io', 'ingest', 'services', 'jobs', 'cli', 'server', 'bot'], 'web imports core only (and the API client).'), NODE_BUILTINS),
  },
);
