import './production-mode';
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { startServer } from './http/server';
import { openDatabase } from './store/db';
import { exportProject } from './export';
import { createProject } from './admin/bootstrap';

const USAGE = `Inkstone Server

  npm run server -- --data DIR [--port N] [--host 127.0.0.1] [--demo] [--ip-rate N] [--principal-rate N]
      Start the server (HTTPS only). First start creates DIR, a local CA and a server
      certificate under DIR/tls/. --demo seeds the Demo Magazine project. --ip-rate and
      --principal-rate set the request limits per minute (defaults 6000 and 3000).
  npm run server -- create-project --data DIR --name NAME --locales en,fr --admin-email EMAIL [--admin-name NAME]
      Create a project and its first Admin; the password is read from INKSTONE_ADMIN_PASSWORD.
  npm run server -- export --data DIR --project ID --out DIR
      Write the whole project as project.json + files/.
`;

function die(message: string): never {
  process.stderr.write(`inkstone-server: ${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'start';
  const rest = command === 'start' ? argv : argv.slice(1);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'boolean' },
        'ip-rate': { type: 'string' },
        'principal-rate': { type: 'string' },
        project: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        locales: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-name': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    die(`${(e as Error).message}\n\n${USAGE}`);
  }
  if (values['help']) {
    process.stdout.write(USAGE);
    return;
  }
  const data = typeof values['data'] === 'string' ? resolve(values['data']) : die(`--data DIR is required\n\n${USAGE}`);

  if (command === 'start') {
    const port = values['port'] === undefined ? 0 : Number(values['port']);
    if (!Number.isInteger(port) || port < 0 || port > 65535) die('--port must be a number from 0 to 65535');
    const rate = (flag: 'ip-rate' | 'principal-rate') => {
      const v = values[flag];
      if (v === undefined) return undefined;
      const n = Number(v);
      return Number.isInteger(n) && n > 0 ? n : die(`--${flag} must be a positive whole number of requests per minute`);
    };
    const limits = {
      ...(rate('ip-rate') ? { requestsPerMinutePerIp: rate('ip-rate') } : {}),
      ...(rate('principal-rate') ? { requestsPerMinutePerPrincipal: rate('principal-rate') } : {}),
    };
    const server = await startServer({ dataDir: data, host: (values['host'] as string | undefined) ?? '127.0.0.1', port, demo: values['demo'] === true, limits });
    process.stdout.write(`${JSON.stringify({ url: server.url, ca: server.caPath })}\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  if (command === 'export') {
    const project = (values['project'] as string | undefined) ?? die('--project ID is required');
    const out = resolve((values['out'] as string | undefined) ?? die('--out DIR is required'));
    const db = openDatabase(join(data, 'inkstone.sqlite'));
    const result = exportProject(db, data, project, out);
    db.close();
    process.stdout.write(`${JSON.stringify({ out, ...result })}\n`);
    return;
  }
  if (command === 'create-project') {
    const password = process.env['INKSTONE_ADMIN_PASSWORD'] ?? die('set INKSTONE_ADMIN_PASSWORD to the first Admin’s password');
    const db = openDatabase(join(data, 'inkstone.sqlite'));
    const created = await createProject(db, {
      name: (values['name'] as string | undefined) ?? die('--name is required'),
      locales: ((values['locales'] as string | undefined) ?? 'en').split(',').map((l) => l.trim()),
      adminEmail: (values['admin-email'] as string | undefined) ?? die('--admin-email is required'),
      adminName: (values['admin-name'] as string | undefined) ?? 'Admin',
      adminPassword: password,
    }).catch((e: Error) => die(e.message));
    db.close();
    process.stdout.write(`${JSON.stringify(created)}\n`);
    return;
  }
  die(`unknown command "${command}"\n\n${USAGE}`);
}

main(process.argv.slice(2)).catch((e: unknown) => die(e instanceof Error ? e.message : String(e)));
