// The core side of the bench, in a process of its own: prints its result lines. It is
// bundled like electron/main (CommonJS, natives external) so its RSS is what the app's
// main process would carry, without a TypeScript loader.
import { measureCore } from './core-measure';

const [url, n] = process.argv.slice(2);
measureCore({ url: url! }, Number(n)).then(
  (lines) => {
    for (const line of lines) process.stdout.write(`${line}\n`);
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
