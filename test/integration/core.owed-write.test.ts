import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import type { InkstoneCore } from '../../electron/core/core';
import { serverWithCores } from '../support/core';

// A first edit of a server record owes its write instead of queuing it (outbox.ts): found by an
// attack on that change, where it acted differently from queuing the write at once.
const suite = serverWithCores();
const coreFor = (email: string) => suite.coreFor(email);

type Rec = { version: number; publishedVersion: number | null; status: string; values: Record<string, Record<string, unknown> | unknown> };
const serverRecord = async (id: string): Promise<Rec> =>
  (await suite.admin.ok<{ record: Rec }>('query($id: ID!) { record(environment: "main", id: $id) { version publishedVersion status values } }', { id })).record;
async function publishedValues(id: string): Promise<Record<string, unknown>> {
  const r = await serverRecord(id);
  const vs = await suite.admin.ok<{ recordVersions: { version: number; values: Record<string, unknown> }[] }>('query($id: ID!) { recordVersions(environment: "main", id: $id) { version values } }', { id });
  return vs.recordVersions.find((v) => v.version === r.publishedVersion)!.values;
}
const main = (core: InkstoneCore) => core.status().environments['main']!;

describe('writes owed by drafts', () => {
  it('retrying a refused publish publishes the values seen at the retry, not text typed after it', async () => {
    const core = await coreFor(DEMO_USERS.editor);
    // A publish the server refuses (the title is required).
    core.edit('main', 'article-16', { title: { en: null } });
    core.recordAction('main', 'article-16', 'publish');
    await core.sync();
    const [problem] = main(core).problems;
    expect(problem?.kind).toBe('publish');
    // The user fixes the title (a first edit since the sync: its write is owed), then presses Retry.
    core.edit('main', 'article-16', { title: { en: 'Seen when retrying' } });
    core.retryOp('main', problem!.seq);
    // Typed after pressing Retry: like an edit after Publish, it must not go live.
    core.edit('main', 'article-16', { title: { en: 'Typed after the retry' } });
    expect(await core.sync()).toMatchObject({ problems: 0, conflicts: 0 });
    expect(main(core)).toMatchObject({ pending: 0, problems: [] });
    expect((await publishedValues('article-16'))['title']).toMatchObject({ en: 'Seen when retrying' });
    const now = await serverRecord('article-16');
    expect(now.values['title']).toMatchObject({ en: 'Typed after the retry' });
    expect(now.status).toBe('updated');
  });
});
