// Nest 12 packages are ESM-only, so jest runs in its native ESM mode
// (NODE_OPTIONS=--experimental-vm-modules, set by the npm scripts).
const base = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

export default {
  // e2e and service specs boot the app (and, without DATABASE_URL, an embedded database) per file.
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    // The web client's models and reducers (no DOM): compiled with the client's own settings.
    {
      ...base,
      displayName: 'client',
      testMatch: ['<rootDir>/client/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'client/tsconfig.json' }] },
    },
    // Real services on a real database without HTTP: a database of its own per file, copied from one migrated per run.
    {
      ...base,
      displayName: 'service',
      testMatch: ['<rootDir>/test/**/*.service-spec.ts'],
      globalSetup: '<rootDir>/test/service-global-setup.ts',
      globalTeardown: '<rootDir>/test/service-global-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
