import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InkstoneCore } from '../core/core';
import { KeytarVault } from '../core/vault/token-vault';
import { ApiError, UntrustedCertificateError } from '../core/api/errors';
import { EXIT_CODES, toIpcError } from '../core/errors';
import { appDataDir } from '../core/paths';
import type { Json } from '../../shared/domain';

const USAGE = `inkstone — the Inkstone desktop core on the command line

  inkstone login <server-url> <email> [--otp CODE] [--trust FINGERPRINT] [--password-stdin]
  inkstone logout [--wipe]
  inkstone status
  inkstone sync | pull | push
  inkstone models [--env main]
  inkstone records <model> [--env main] [--search TEXT] [--status draft|published|updated] [--limit N]
  inkstone edit <record> <field> [--locale L] [--env main] <value>     (value is JSON if it parses, else text)
  inkstone conflicts [list | keep-mine <record> <cell> | take-theirs <record> <cell>] [--env main]
  inkstone problems [list | retry <op> | discard <op>] [--env main]   (operations the server or your role refused)
  inkstone upload <file> --folder PATH [--env main] [--type MIME]
  inkstone export-drafts [--out FILE]

Options: --json for machine-readable output. Data lives in INKSTONE_HOME (default: the
platform's app-data folder). The password is read from the terminal, from stdin with
--password-stdin, or from INKSTONE_PASSWORD.

Exit codes: 0 ok, 1 error, 2 usage, 3 refused by your role, 4 offline, 5 signed out, 6 certificate not trusted, 7 local store key missing or wrong.`;

class UsageError extends Error {}

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.pdf': 'application/pdf', '.txt': 'text/plain', '.md': 'text/markdown', '.csv': 'text/csv', '.json': 'application/json' };

async function ask(question: string, hidden = false): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  if (hidden && process.stdin.isTTY) {
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => write.call(rl, s.startsWith(question) ? s : '');
  }
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  if (hidden) process.stderr.write('\n');
  return answer;
}

async function readStdinLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) return line;
  return '';
}

function parseValue(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: 'string', default: 'main' },
        locale: { type: 'string' },
        otp: { type: 'string' },
        trust: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        wipe: { type: 'boolean' },
        search: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        folder: { type: 'string' },
        type: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`inkstone: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values: o, positionals: [command, ...args] } = parsed;
  if (o.help || !command) {
    out(USAGE);
    return command ? 0 : 2;
  }
  const print = (human: string, data: unknown) => out(o.json ? JSON.stringify(data, null, 2) : human);
  const env = o.env!;
  let core: InkstoneCore | null = null;
  try {
    core = await InkstoneCore.open({
      dataDir: appDataDir(),
      vault: new KeytarVault(),
      onProgress: o.json ? undefined : (e) => process.stderr.write(`  ${e.phase}${e.env ? ` ${e.env}` : ''}: ${e.done}${e.total ? `/${e.total}` : ''}${e.message ? ` ${e.message}` : ''}\r`),
    });
    switch (command) {
      case 'login': {
        const [url, email] = args;
        if (!url || !email) throw new UsageError('login needs <server-url> <email>');
        const password = o['password-stdin'] ? await readStdinLine() : (process.env['INKSTONE_PASSWORD'] ?? (await ask('Password: ', true)));
        const attempt = () => core!.login({ url, email, password, otp: o.otp ?? null });
        try {
          await attempt();
        } catch (e) {
          if (!(e instanceof UntrustedCertificateError)) throw e;
          const fp = e.fingerprint;
          let ok = o.trust?.toUpperCase() === fp;
          if (!ok && o.trust) throw new ApiError('TLS_UNTRUSTED', `the server presents ${fp}, not the fingerprint you gave (${o.trust})`);
          if (!ok && process.stdin.isTTY) {
            process.stderr.write(`The server ${e.origin} presents a certificate Inkstone does not know:\n  SHA-256 ${fp}\n`);
            ok = /^y(es)?$/i.test((await ask('Trust it for this server? Only say yes if it matches what your administrator gave you. [y/N] ')).trim());
          }
          if (!ok) throw e;
          core.trustServer(url, fp, e.subject);
          await attempt();
        }
        const s = core.status();
        print(`Signed in to ${s.account?.project} as ${s.account?.email} (${s.account?.role}).`, s);
        return 0;
      }
      case 'logout':
        await core.logout({ wipe: o.wipe === true });
        print(o.wipe ? 'Signed out; the local cache was wiped.' : 'Signed out; local drafts are kept (use --wipe to remove them).', { signedOut: true, wiped: o.wipe === true });
        return 0;
      case 'status': {
        const s = core.status();
        const lines = [s.account ? `${s.signedIn ? 'Signed in' : 'Signed out'}: ${s.account.email} on ${s.account.url} (${s.account.project}, ${s.account.role})` : 'Not signed in.'];
        for (const [name, e] of Object.entries(s.environments)) {
          lines.push(`  ${name}${e.primary ? ' (primary)' : ' (sandbox)'}: ${e.pending} pending, ${e.problems.length} refused, ${e.conflicts} conflicts, ${e.drafts} drafts, ${e.uploads} uploads queued`);
          for (const p of e.problems) lines.push(`    refused ${p.kind} ${p.recordId} (${p.code}, op ${p.seq}): ${p.message}`);
        }
        print(lines.join('\n'), s);
        return 0;
      }
      case 'sync':
      case 'pull':
      case 'push': {
        const r = await core.sync(command === 'sync' ? {} : { only: command });
        process.stderr.write('\n');
        print(
          r.offline ? 'Offline: nothing was lost; your changes are kept and will be sent on the next sync.' : `Pulled ${r.pulled} changes, pushed ${r.pushed} operations, uploaded ${r.uploaded} files; ${r.conflicts} new conflicts, ${r.problems} refused (see status).`,
          r,
        );
        return r.offline ? 4 : 0;
      }
      case 'models': {
        const ms = core.models(env);
        print(ms.map((m) => `${m.apiKey}\t${m.name}\t${m.fields.map((f) => `${f.apiKey}${f.localized ? '*' : ''}`).join(', ')}`).join('\n'), ms);
        return 0;
      }
      case 'records': {
        const [model] = args;
        if (!model) throw new UsageError('records needs <model>');
        const rs = core.records(env, model, { search: o.search, status: o.status, limit: o.limit ? Number(o.limit) : 50 });
        print(rs.map((r) => `${r.id}\t${r.status}${r.local !== 'none' ? ` (${r.local})` : ''}${r.conflicts ? ` [${r.conflicts} conflicts]` : ''}\t${r.title}`).join('\n'), rs);
        return 0;
      }
      case 'edit': {
        const [record, field, raw] = args;
        if (!record || !field || raw === undefined) throw new UsageError('edit needs <record> <field> <value>');
        const value = parseValue(raw);
        core.edit(env, record, { [field]: o.locale ? { [o.locale]: value } : value });
        print(`Saved on this computer: ${record} ${field}${o.locale ? `.${o.locale}` : ''}. Run "inkstone sync" to send it.`, { saved: true });
        return 0;
      }
      case 'conflicts': {
        const [action = 'list', record, cell] = args;
        if (action === 'list') {
          const cs = core.conflicts(o.env === 'main' && !argv.includes('--env') ? undefined : env);
          print(cs.length ? cs.map((c) => `${c.env} ${c.recordId} ${c.cell}\n  mine:   ${JSON.stringify(c.mine)}\n  theirs: ${JSON.stringify(c.theirs)}`).join('\n') : 'No conflicts.', cs);
          return 0;
        }
        if (!record || !cell || (action !== 'keep-mine' && action !== 'take-theirs')) throw new UsageError('conflicts keep-mine|take-theirs <record> <cell>');
        core.resolveConflict(env, record, cell, { keep: action === 'keep-mine' ? 'mine' : 'theirs' });
        print(`Resolved ${record} ${cell}: ${action === 'keep-mine' ? 'your value will be sent on the next sync' : 'the server value stays'}.`, { resolved: true });
        return 0;
      }
      case 'problems': {
        const [action = 'list', seq] = args;
        if (action === 'list') {
          const ps = Object.entries(core.status().environments).flatMap(([e, st]) => st.problems.map((p) => ({ env: e, ...p })));
          print(ps.length ? ps.map((p) => `${p.env} op ${p.seq}: ${p.kind} ${p.recordId} (${p.title}) refused, ${p.code}: ${p.message}`).join('\n') : 'No problems.', ps);
          return 0;
        }
        if (!seq || !/^\d+$/.test(seq) || (action !== 'retry' && action !== 'discard')) throw new UsageError('problems retry|discard <op>');
        if (action === 'retry') core.retryOp(env, Number(seq));
        else core.discardOp(env, Number(seq));
        print(action === 'retry' ? `Operation ${seq} will be sent again on the next sync.` : `Operation ${seq} discarded; its cells are back to the server's values.`, { [action === 'retry' ? 'queued' : 'discarded']: true });
        return 0;
      }
      case 'upload': {
        const [file] = args;
        if (!file || !o.folder) throw new UsageError('upload needs <file> --folder PATH');
        const type = o.type ?? MIME[extname(file).toLowerCase()];
        if (!type) throw new UsageError(`cannot tell the type of ${file}; give --type MIME`);
        const id = core.queueUpload(env, o.folder, file, type);
        print(`Queued ${file} for ${o.folder}; it uploads on the next sync.`, { queued: id });
        return 0;
      }
      case 'export-drafts': {
        const data = core.exportDrafts();
        if (o.out) {
          writeFileSync(o.out, JSON.stringify(data, null, 2));
          print(`Wrote ${data.drafts.length} drafts to ${o.out}.`, { out: o.out, drafts: data.drafts.length });
        } else out(JSON.stringify(data, null, 2));
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`inkstone: ${msg}\n`);
    if (e instanceof UsageError) return (process.stderr.write(`\n${USAGE}\n`), 2);
    return EXIT_CODES[toIpcError(e).code];
  } finally {
    await core?.close();
  }
}

// Run when started as a script (npm run inkstone); importing it (bin.mjs, tests) runs nothing.
if (process.argv[1] && /electron[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
