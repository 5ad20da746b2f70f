import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/http/server';
import { DEMO_USERS } from '../../server/demo/seed';
import { TestClient, cmid } from '../support/server';
import { newDataDir, openCore, signIn } from '../support/core';
import type { InkstoneCore } from '../../electron/core/core';
import { dastFromText, type Json } from '../../shared/domain';

/** The body is structured text: a DAST document. */
const OFFLINE_BODY = dastFromText('Body written offline.') as unknown as Json;

const serverDir = mkdtempSync(join(tmpdir(), 'inkstone-offline-'));
let server: RunningServer | null = null;
let core: InkstoneCore | null = null;
afterAll(async () => {
  await core?.close();
  await server?.close();
  rmSync(serverDir, { recursive: true, force: true });
});

describe('offline editing', () => {
  it('edits made while the server is down survive a restart of both sides and converge; a two-sided cell edit is one conflict', async () => {
    server = await startServer({ dataDir: serverDir, port: 0, demo: true });
    const port = server.port;
    const dataDir = newDataDir();
    core = await openCore(dataDir);
    await signIn(core, server, DEMO_USERS.editor);

    await server.close();
    server = null;
    core.edit('main', 'article-05', { title: { en: 'Paper (mine)' } });
    core.edit('main', 'article-05', { body: { en: OFFLINE_BODY } });
    core.create('main', 'author', { name: 'Offline Author' }, 'offline-author-1');
    const offline = await core.sync();
    expect(offline.offline).toBe(true);
    expect(core.status().environments['main']?.pending).toBe(2);

    // Restart the app: the edits are on disk.
    await core.close();
    core = await openCore(dataDir);
    expect(core.record('main', 'article-05').values['title']).toMatchObject({ en: 'Paper (mine)' });
    expect(core.status().environments['main']?.pending).toBe(2);

    // Restart the server; meanwhile someone else edits the same title and the slug.
    server = await startServer({ dataDir: serverDir, port, demo: true });
    const admin = await new TestClient(server).login(DEMO_USERS.admin);
    const v = (await admin.ok<{ record: { version: number } }>('{ record(environment: "main", id: "article-05") { version } }')).record.version;
    await admin.ok('mutation($v: Int!, $c: ID!) { updateRecord(environment: "main", id: "article-05", baseVersion: $v, values: { title: { en: "Paper (theirs)" }, slug: "paper-theirs" }, clientMutationId: $c) { id } }', {
      v,
      c: cmid(),
    });

    const report = await core.sync();
    expect(report.offline).toBe(false);
    expect(report.conflicts).toBe(1);
    const conflicts = core.conflicts('main');
    expect(conflicts).toEqual([
      {
        env: 'main',
        recordId: 'article-05',
        cell: 'title.en',
        model: 'article',
        title: 'Paper (theirs)',
        label: 'Title',
        locale: 'en',
        fieldDeleted: false,
        base: 'Paper, part 1',
        mine: 'Paper (mine)',
        theirs: 'Paper (theirs)',
        theirsAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        theirsBy: expect.any(String),
      },
    ]);
    const serverNow = async () => (await admin.ok<{ record: { values: Record<string, unknown> } }>('{ record(environment: "main", id: "article-05") { values } }')).record.values;
    expect(await serverNow()).toMatchObject({ title: { en: 'Paper (theirs)' }, slug: 'paper-theirs', body: { en: OFFLINE_BODY } });
    expect((await admin.ok<{ record: { id: string } | null }>('{ record(environment: "main", id: "offline-author-1") { id } }')).record?.id).toBe('offline-author-1');

    core.resolveConflict('main', 'article-05', 'title.en', { keep: 'mine' });
    await core.sync();
    expect(core.conflicts()).toEqual([]);
    expect(await serverNow()).toMatchObject({ title: { en: 'Paper (mine)' }, slug: 'paper-theirs', body: { en: OFFLINE_BODY } });
    expect(core.status().environments['main']).toMatchObject({ pending: 0, drafts: 0, conflicts: 0 });
  });
});
