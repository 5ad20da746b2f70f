/**
 * Imported first by the server's command line, before graphql-js loads: graphql-js decides at
 * load time whether to run its development-mode type checks, which look up every value's
 * `Symbol.toStringTag` on the answer's hot path (~3% of the server's CPU under the 50-client
 * sync load). A NODE_ENV set by whoever runs the server wins.
 */
process.env['NODE_ENV'] ??= 'production';
