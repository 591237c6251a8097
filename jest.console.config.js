/** The console's browser tests (npm run test:console): headless Chromium against a real service. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/console/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/console/global-setup.mjs',
  testTimeout: 120000,
  maxWorkers: 1,
};
