// The core side of the bench, in a process of its own: prints its result lines.
import { measureCore } from './core-sync';

const [url, n] = process.argv.slice(2);
for (const line of await measureCore({ url: url! }, Number(n))) process.stdout.write(`${line}\n`);
