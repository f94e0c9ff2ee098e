export { startTestController, type TestController } from './test-controller.ts';
