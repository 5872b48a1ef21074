// ESLint flat config: typescript-eslint's recommended rules on the SDK, tests, scripts and apps.
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  { ignores: ["node_modules/", "target/", "**/dist/", "sdk/src/idl/gavel.ts", "**/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Layering: the SDK, its test kit, scripts, migrations and apps never import the specs' files
    // (what they share lives in sdk/testkit/); the published SDK (sdk/src) imports nothing of the
    // repo outside itself.
    files: ["app/**", "scripts/**", "migrations/**", "sdk/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/tests", "**/tests/**"],
              message: "apps, scripts and the SDK never import tests/: use sdk/testkit",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["sdk/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/tests", "**/tests/**"], message: "the SDK never imports tests/" },
            {
              group: ["../../*", "**/testkit", "**/testkit/**"],
              message: "the published SDK imports nothing outside sdk/src",
            },
          ],
        },
      ],
    },
  },
);
