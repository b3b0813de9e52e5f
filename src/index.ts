// zkreserve public API. Ledger foundation exports first; other modules append theirs below.
export * from './errors.js';
export * from './money/index.js';
export * from './time.js';
export * from './util/canonical-json.js';
export * from './audit/index.js';
export * from './storage/index.js';
export * from './ledger/index.js';
