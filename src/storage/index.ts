export * from './memory-store.js';
export * from './sqlite-store.js';
export * from './sqlite-schema.js';
export * from './errors.js';
export * from './open-ledger.js';
