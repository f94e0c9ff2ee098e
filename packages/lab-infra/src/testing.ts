// Helpers that only make sense inside the test runner (they read what test/global-setup.ts provides).
export { createTestDatabase, testQueuePrefix, testRedisUrl, uniqueName } from './test-infra.ts';
export { nativeLabPerFile } from './native-lab-per-file.ts';
