export { logNormal } from './log-normal.ts';
