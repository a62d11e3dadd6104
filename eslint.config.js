// Lint: typescript-eslint's recommended rules for the server and the console, plus project
// rules: only services may touch the database (routes stay HTTP-only); a module is used from
// outside only through its public entry (modules/<name>/index.ts); the platform knows no module;
// only sign-in mints a Scope.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const MODULES = ['accounts', 'audit', 'registry', 'testing'];

// Files allowed to reach past a module's entry. This list only shrinks.
const BOUNDARY_EXCEPTIONS = [];

const boundary = {
  group: MODULES.flatMap((m) => [`**/${m}/**`, `!**/${m}/index.js`]),
  message: "Use another module only through its public entry, modules/<name>/index.ts (export what you need there).",
};
const scopeMint = {
  group: ['**/platform/scope.js'],
  importNames: ['mintScope'],
  message: 'Only sign-in (platform/auth.ts) mints a Scope; take the actor\'s.',
};

export default tseslint.config(
  { ignores: ['web/src/api/schema.d.ts', '**/node_modules/**', '**/dist/**', 'data/**', 'artifacts/**', 'web/public/sw.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // A module merges its error codes and permissions into the platform's interfaces by extending a Record.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['server/src/**/*.ts', 'server/test/**/*.ts', 'bench/**/*.ts'],
    ignores: BOUNDARY_EXCEPTIONS,
    rules: { 'no-restricted-imports': ['error', { patterns: [boundary, scopeMint] }] },
  },
  {
    // The session gate mints scopes; the demo seed and one import test act as a known account without signing in.
    files: ['server/src/platform/auth.ts', 'server/src/db/seed/demo-campaign.ts', 'server/test/import.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [boundary] }] },
  },
  {
    files: ['server/src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [scopeMint, { group: ['**/modules/**'], message: 'The platform knows no module: modules register themselves (platform/module.ts).' }] },
      ],
    },
  },
  {
    files: ['server/src/platform/auth.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/**'], message: 'The platform knows no module.' }] }] },
  },
  {
    files: ['server/src/modules/**/*routes.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'Routes hold HTTP only; put SQL in the module service.' },
      ],
    },
  },
);
