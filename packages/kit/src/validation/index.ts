export { storable, storableText, unstorableTextReason } from './storable-text.ts';
