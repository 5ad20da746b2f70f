export * from './actions';
export * from './builtins';
export * from './rules';
export * from './evaluate';
export * from './effective';
export * from './write';
export * from './read-scope';
