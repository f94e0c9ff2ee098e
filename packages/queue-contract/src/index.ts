export * from './fulfilment-queue.ts';
