export * from './types.js';
export * from './account.js';
export * from './transaction.js';
export * from './reserves.js';
export * from './replay.js';
export * from './ledger.js';
export * from './store.js';
export * from './errors.js';
