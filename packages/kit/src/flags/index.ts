export { LabFlagProvider, labFlagsAnswerSchema, type LabFlagProviderOptions, type LabFlagsAnswer } from './lab-flag-provider.ts';
export { startServiceFlags, type FlagConfig, type ServiceFlags } from './service-flags.ts';
export type { Client as FlagClient } from '@openfeature/server-sdk';
