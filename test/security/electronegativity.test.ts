import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Doyensec's Electronegativity over the Electron shell: main (where the window, navigation,
 * permission and protocol handling live) and the renderer's HTML. Its TypeScript parser is
 * old, so the files are scanned as they are written, from a copy without tests.
 */
describe('electronegativity', () => {
  it('reports no high-severity finding', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-eneg-'));
    const src = join(dir, 'src');
    mkdirSync(src);
    for (const f of readdirSync('electron/main')) if (f.endsWith('.ts') && !f.endsWith('.test.ts')) copyFileSync(join('electron/main', f), join(src, f));
    copyFileSync('renderer/index.html', join(src, 'index.html'));
    const out = join(dir, 'report.csv');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['node_modules/@doyensec/electronegativity/dist/index.js', '-i', src, '-o', out, '-e', '45.0.0'], { stdio: 'ignore' });
      child.on('close', resolve);
    });
    expect(code).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(0); // it did scan: it always has something to say
    const high = rows.filter((r) => r.split(',')[1] === '"HIGH"');
    expect(high).toEqual([]);
  });
});
