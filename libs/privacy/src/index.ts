/**
 * @ppl/privacy — personal data sealed with a key per person (crypto-shredding): forgetting a
 * person destroys their key, and what was sealed with it reads as redacted everywhere.
 */
export * from './sealed-value';
export * from './personal-key-store.port';
export * from './sqlite-personal-key-store';
export * from './mongodb-personal-key-store';
export * from './personal-data';
