// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Layer rules of DESIGN §1: dependencies run renderer -> shared, electron/* -> shared, server -> shared. */
const layer = (files, { paths = [], patterns = [] }, globals = []) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths, patterns }],
    ...(globals.length ? { 'no-restricted-globals': ['error', ...globals] } : {}),
  },
});

const ELECTRON_PKG = { name: 'electron', message: 'Only electron/main and electron/preload may import Electron.' };
const toDir = (dir, message) => ({ group: [`**/${dir}/**`, `${dir}/**`, `**/${dir}`], message });
const BUILTINS = nodeBuiltins.map((name) => ({ name, message: 'shared/ and renderer/ run without Node: no Node built-ins.' }));
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'fetch', 'Buffer', 'process', 'require', '__dirname'].map(
  (name) => ({ name, message: 'shared/ runs in every host: no DOM or Node globals.' }),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'coverage/', 'test/lint-fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  layer(
    ['shared/**'],
    {
      paths: [ELECTRON_PKG, ...BUILTINS],
      patterns: [toDir('electron', 'shared/ imports no layer above it.'), toDir('server', 'shared/ imports no layer above it.'), toDir('renderer', 'shared/ imports no layer above it.')],
    },
    DOM_GLOBALS,
  ),
  layer(['renderer/**'], {
    paths: [ELECTRON_PKG, ...BUILTINS],
    patterns: [toDir('electron', 'The renderer talks to main only through the bridge (shared/ipc).'), toDir('server', 'The renderer never imports the server.')],
  }),
  layer(['electron/core/**', 'electron/cli/**', 'electron/host/**'], {
    paths: [ELECTRON_PKG],
    patterns: [toDir('server', 'electron/ never imports server/ (tests may).'), toDir('renderer', 'core never imports the renderer.'), toDir('main', 'core never imports electron/main.')],
  }),
  layer(['electron/main/**', 'electron/preload/**'], {
    patterns: [toDir('server', 'electron/ never imports server/.'), toDir('renderer', 'main never imports the renderer.')],
  }),
  layer(['server/**'], {
    paths: [ELECTRON_PKG],
    patterns: [toDir('electron', 'server/ never imports electron/.'), toDir('renderer', 'server/ never imports the renderer.')],
  }),
);
