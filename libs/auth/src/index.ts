export * from './embedded-keys';
export * from './errors';
export * from './roles';
export * from './token-verifier';
export * from './tokens';
export * from './policy';
