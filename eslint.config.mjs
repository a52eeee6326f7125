// Lint rules: the habits the style guide asks for, checked on every submission (`npm run lint`).
// Formatting is Prettier's job (`npm run format`); eslint-config-prettier turns off the rules it owns.

import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// The renderer's layers (DESIGN.md): app/ (the window shell) may import the views' folders; a view's
// folder imports shared/ and reads other views' stores, never app/; shared/ imports no view and not
// app/. Components reach the host only through stores (STYLE.md).
const FEATURES = ['train', 'classify', 'evaluate', 'runs', 'explore']
const FEATURE_FOLDERS = `renderer/src/{${FEATURES.join(',')}}`
const NO_APP = {
  regex: '^@/app/',
  message:
    'app/ is the window shell: views and shared/ do not import it (put what they share in shared/).'
}
const NO_FEATURE = {
  regex: `^@/(app|${FEATURES.join('|')})/`,
  message: 'shared/ is what several views use: it imports no view folder and not app/.'
}
const NO_API_IN_COMPONENTS = {
  regex: '(^@/|\\.\\./)shared/api(/|$)',
  message: 'Components never call the host: a store does, and the component calls the store.'
}
/** One no-restricted-imports rule for `files`: flat config replaces a rule's options, so each glob lists all its patterns. */
const restrictImports = (files, ...patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] }
})

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'core/wasm/kernels.wasm.ts']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser }
    },
    plugins: { 'import-x': importX },
    settings: {
      // NOTE: .vue files are linted, but not parsed as dependencies (import-x would parse them without
      // the TypeScript parser); a cycle needs a store or module importing a component, which none do.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // The tsconfigs' paths (@/…, @core/…, @contract) resolve as the compiler resolves them.
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: [
            'tsconfig.web.json',
            'tsconfig.node.json',
            'tsconfig.e2e.json',
            'core/tsconfig.json'
          ],
          noWarnOnMultipleProjects: true
        })
      ]
    },
    rules: {
      // DESIGN.md: dependencies point one way, no circular imports anywhere (stores included: host
      // events arrive in renderer/src/app/host-events.ts, not in a store that passes them on).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        // typeof import('…') types a module loaded with a dynamic import().
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }
      ],
      // `x == null` is the one loose comparison allowed: null or undefined.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      // A single-word name reads fine for views (TrainingView) and is how the project names them.
      'vue/multi-word-component-names': 'off'
    }
  },
  {
    // core/ is a pure engine: the ECMAScript library and its own files, nothing else (DESIGN.md).
    files: ['core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:|fs$|path$|os$|electron|vue|pinia|chart\\.js|zod|ws$)',
              message: 'core/ is a pure engine: no Node, Electron, UI or validation libraries.'
            },
            {
              regex: '^(\\.\\./)+(electron|renderer|test|bench|scripts)/',
              message: 'core/ imports nothing outside core/.'
            }
          ]
        }
      ]
    }
  },
  restrictImports([`${FEATURE_FOLDERS}/**/*.ts`], NO_APP),
  restrictImports([`${FEATURE_FOLDERS}/**/*.vue`], NO_APP, NO_API_IN_COMPONENTS),
  restrictImports(['renderer/src/shared/**/*.ts'], NO_FEATURE),
  restrictImports(['renderer/src/shared/**/*.vue'], NO_FEATURE, NO_API_IN_COMPONENTS),
  restrictImports(['renderer/src/*.vue', 'renderer/src/app/**/*.vue'], NO_API_IN_COMPONENTS),
  {
    files: ['renderer/src/**/*.vue'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'studio', message: NO_API_IN_COMPONENTS.message }
      ]
    }
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests define small stand-in components next to the test that mounts them.
      'vue/one-component-per-file': 'off'
    }
  },
  prettier
)
