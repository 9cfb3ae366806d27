// Test tiers are told apart by file name: *.spec.ts (unit), *.int.spec.ts (a real store or
// process), *.e2e.spec.ts (the running service). `jest --selectProjects unit` runs one tier.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const transform = { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { ...swc, swcrc: false }] };
// NestJS 12 and uuid ship ES modules only; Node runs them through require(esm), Jest needs them
// compiled to CommonJS.
const transformIgnorePatterns = ['/node_modules/(?!(@nestjs|uuid|file-type|@graphql-tools|jose)/)'];
const moduleNameMapper = {
  '^@ppl/(domain|event-store|read-model|projections|audit|config|commands|auth|privacy)$': '<rootDir>/libs/$1/src',
};
const common = { transform, transformIgnorePatterns, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };
module.exports = {
  maxWorkers: 2,
  // The summary names every test that did not run (the scale-out suites without their server).
  reporters: ['default', '<rootDir>/tests/support/skipped-suites-reporter.js'],
  // Per-project testTimeout is not honoured by Jest; the int and e2e tiers start processes.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,tests}/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '/node_modules/', '/dist/'],
    },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,tests}/**/*.int.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.e2e.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  ],
};
