import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Files matching `files` may not import from the named top-level folders of src/. */
function layer(files, above) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: above.map((folder) => ({
            group: [`**/${folder}/*`, `../${folder}/*`],
            message: `layers point down only (core <- identity <- access <- faces): this file may not import from src/${folder}`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'error',
    },
  },
  { files: ['bench/**/*.ts', 'src/cli/**/*.ts'], rules: { 'no-console': 'off' } },
  // Layers point down only: core <- identity <- access <- faces (network, platform).
  layer('src/core/**/*.ts', ['identity', 'access', 'network', 'platform']),
  layer('src/identity/**/*.ts', ['access', 'network', 'platform']),
  layer('src/access/**/*.ts', ['network', 'platform']),
  layer('src/network/**/*.ts', ['platform']),
  layer('src/platform/**/*.ts', ['network']),
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', globalThis: 'readonly' } } },
);
