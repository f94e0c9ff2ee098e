export { ServiceResources } from './service-resources.ts';
export { runService, type ServiceEntry } from './run-service.ts';
