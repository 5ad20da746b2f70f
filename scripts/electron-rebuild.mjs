// Runs @electron/rebuild on a staging folder (scripts/natives.ts prepares it), in a plain Node
// process of its own: node-gyp's children inherit this process's flags, and a TypeScript
// loader there would be looked up from inside the staging folder.
//   node scripts/electron-rebuild.mjs '{"buildPath":…,"electronVersion":…,"arch":…,"onlyModules":[…],"headerURL"?:…}'
import { rebuild } from '@electron/rebuild';

const o = JSON.parse(process.argv[2] ?? '{}');
try {
  await rebuild({ ...o, projectRootPath: o.buildPath, force: true, buildFromSource: true });
} catch (e) {
  console.error(`inkstone-rebuild-failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(1);
}
