import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they stood at the given paths, with the project's own config.
const eslint = new ESLint({ cwd: process.cwd() });
async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const layerRules = ['no-restricted-imports', 'no-restricted-globals'];
const violations = async (filePath: string, code: string) => (await ruleIdsFor(filePath, code)).filter((r) => layerRules.includes(r));

describe('ESLint holds the layers of DESIGN §1', () => {
  it('the renderer may not import electron/, server/, Electron or Node', async () => {
    expect(await violations('renderer/src/App.ts', "import { openCache } from '../../electron/core/cache';\nexport const x = openCache;\n")).not.toHaveLength(0);
    expect(await violations('renderer/src/App.ts', "import { start } from '../../server/cli';\nexport const x = start;\n")).not.toHaveLength(0);
    expect(await violations('renderer/src/App.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n")).not.toHaveLength(0);
    expect(await violations('renderer/src/App.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).not.toHaveLength(0);
    expect(await violations('renderer/src/App.ts', "import { can } from '../../shared/permissions';\nexport const x = can;\n")).toHaveLength(0);
  });
  it('electron/core may not import Electron, the renderer or the server', async () => {
    expect(await violations('electron/core/sync/push.ts', "import { app } from 'electron';\nexport const x = app;\n")).not.toHaveLength(0);
    expect(await violations('electron/core/sync/push.ts', "import { seed } from '../../../server/demo/seed';\nexport const x = seed;\n")).not.toHaveLength(0);
    expect(await violations('electron/core/sync/push.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n")).toHaveLength(0);
  });
  it('shared/ may import neither Node built-ins, Electron, other layers nor DOM globals', async () => {
    expect(await violations('shared/values/x.ts', "import { createHash } from 'node:crypto';\nexport const x = createHash;\n")).not.toHaveLength(0);
    expect(await violations('shared/values/x.ts', "import fs from 'fs';\nexport const x = fs;\n")).not.toHaveLength(0);
    expect(await violations('shared/values/x.ts', "import { x as y } from '../../server/store';\nexport const x = y;\n")).not.toHaveLength(0);
    expect(await violations('shared/values/x.ts', 'export const x = window.location.href;\n')).not.toHaveLength(0);
    expect(await violations('shared/values/x.ts', "import { z } from 'zod';\nexport const x = z;\n")).toHaveLength(0);
  });
  it('the server may not import electron/', async () => {
    expect(await violations('server/graphql/records.ts', "import { vault } from '../../electron/core/vault';\nexport const x = vault;\n")).not.toHaveLength(0);
  });
  it('the real tree has no lint error', async () => {
    const results = await eslint.lintFiles(['shared', 'eslint.config.js']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`));
    expect(errors).toEqual([]);
  });
});
