import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'off',
    },
  },
  // Module boundaries (docs/adr/0010-module-boundaries.md): a module reaches another only through
  // its public face, `<module>/index.js` (or its narrow face `<module>/reader.js`, for worker threads
  // that need only the read side); storage and shared code never reach into modules.
  {
    files: ['src/modules/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(\.\./)+(catalog|collection|identity|audit|governance|sharing|opening|themes|portal)/(?!(index|reader)\.js$)`,
              message:
                "Import another module only through its public face: '<module>/index.js', or its narrow '<module>/reader.js' (docs/adr/0010-module-boundaries.md).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/storage/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: String.raw`/modules/`, message: 'Storage and shared code must not depend on a module.' }] }],
    },
  },
  // The web UI (web/) runs in the browser.
  {
    files: ['web/**/*.{ts,tsx,js}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
