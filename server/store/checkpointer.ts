import { Worker } from 'node:worker_threads';

/**
 * Folds the WAL back into the database file from a thread of its own. SQLite's automatic
 * checkpoint runs inside the commit that crosses its bound, on the thread that committed: at
 * the server's 10,000-page bound, a ~110–130 ms stall of every request in flight, every ~1.5 s
 * under a 50-client update load (the slowest few percent of its requests).
 *
 * Every `everyMs` this thread's own connection runs a PASSIVE checkpoint, which blocks no
 * writer and no reader: it copies what is committed and fsyncs the file. When the request
 * thread's commit does cross the bound, only what was committed since the last of those is
 * left for it to copy, and its checkpoint, completing, lets the next write start the WAL over.
 * (A RESTART from this thread, to start the WAL over sooner, held writers off through its
 * fsync: worse stalls under a busy disk, so not done.) In a probe of the server's write pattern
 * (~600 commits/s of ~12 pages, 1 ms of other work each): longest stall 33–41 ms instead of
 * 93–609 ms, 99.9th percentile 19 ms instead of 66–71.
 *
 * Where it cannot run (the server bundled for Electron, whose addon is the Electron build, only
 * reachable through the bundle's loader), or if the thread fails, SQLite's own checkpoint stays
 * in charge, as before: nothing depends on this thread but speed.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

// Plain CommonJS, the worker's whole program: no loader or bundle to find. Its require
// resolves from the working directory, as "npm run server" and the tests run it; from
// elsewhere it may fail, which leaves SQLite's own checkpoint in charge.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick tries again.
  }
}, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export function startCheckpointer(file: string, everyMs = 100): Checkpointer {
  if (process.versions['electron']) return { stop: () => Promise.resolve() };
  const worker = new Worker(WORKER, { eval: true, workerData: { file, everyMs } });
  worker.on('error', (e) => console.error('inkstone-server: the checkpoint thread stopped (SQLite checkpoints on commit instead):', e.message));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Unref'd so that a running thread never keeps the process alive; but a stop that is the
      // last thing a process waits for (the CLI's SIGTERM) must hold it until the thread is
      // gone, or Node exits mid-stop (code 13) and the database is never closed.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
