export * from './equal';
export * from './cells';
export * from './diff';
export * from './merge';
