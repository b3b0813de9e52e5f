export * from './tagged-hash.js';
export * from './event.js';
export * from './verify-chain.js';
export * from './errors.js';
export * from './external-head.js';
