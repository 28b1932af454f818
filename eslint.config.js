// ESLint flat config: typescript-eslint's recommended rules plus the two Pulumi rules that catch an
// Output placed inside a template string (it renders as a warning text, not the value).
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

/** The files that build Pulumi resources (and so may hold Outputs). */
const PULUMI_PROGRAMS = [
  "index.ts",
  "components/**/*.ts",
  "stacks/**/*.ts",
  "examples/*/infra/**/*.ts",
];

module.exports = tseslint.config(
  // templates/ is generated from examples/ (linted here); test/examples/template.spec.ts holds
  // them equal.
  {
    ignores: [
      "node_modules/**",
      "policies/node_modules/**",
      "dist/**",
      "scratch/**",
      "templates/**",
      "**/*.js",
    ],
  },
  ...tseslint.configs.recommended,
  // The Pulumi rules need type information, which costs a whole TypeScript program (as much as
  // `tsc --noEmit` itself); Outputs exist only in the Pulumi programs, so only those are parsed
  // with types.
  {
    files: PULUMI_PROGRAMS,
    languageOptions: {
      parserOptions: { project: "./tsconfig.pulumi.json", tsconfigRootDir: __dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
);
