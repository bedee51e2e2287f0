/**
 * One real Neo4j for the whole run (test/globalSetup.ts), so test files run one at a time
 * (`maxWorkers: 1`) and each wipes the database before it starts.
 */
/** @type {import('jest').Config} */
const config = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/globalSetup.ts',
  globalTeardown: '<rootDir>/test/globalTeardown.ts',
  maxWorkers: 1,
  testTimeout: 60_000,
  verbose: true,
};

module.exports = config;
