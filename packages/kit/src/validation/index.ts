export { storable, storableText, storableTextCheck, storableTextPattern, unstorableTextReason } from './storable-text.ts';
