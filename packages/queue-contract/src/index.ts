export * from './fulfilment-queue.ts';
export * from './dead-letter.ts';
export * from './queue-view.ts';
