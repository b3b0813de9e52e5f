export * from './currency.js';
export * from './amount.js';
export * from './money.js';
export * from './errors.js';
