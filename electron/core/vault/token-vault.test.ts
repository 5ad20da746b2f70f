import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KeychainUnavailableError, OsKeychainVault } from './token-vault';

// The real OS keychain (npm test runs inside scripts/with-keyring.sh).
describe('the OS keychain vault', () => {
  it('keeps, gives back and deletes a secret per account', async () => {
    const vault = new OsKeychainVault('Inkstone-test');
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    expect(await vault.get(a)).toBeNull();
    await vault.set(a, 'secret-a');
    await vault.set(b, 'secret-b');
    await vault.set(a, 'secret-a2');
    expect(await vault.get(a)).toBe('secret-a2');
    expect(await vault.get(b)).toBe('secret-b');
    expect(await vault.delete(a)).toBe(true);
    expect(await vault.delete(a)).toBe(false);
    expect(await vault.get(a)).toBeNull();
    expect(await new OsKeychainVault('Inkstone-other').get(b)).toBeNull();
    await vault.delete(b);
  });

  it('without a Secret Service it fails with the clear keychain error and keeps nothing anywhere else', () => {
    const script = `
      import { OsKeychainVault } from './electron/core/vault/token-vault.ts';
      const v = new OsKeychainVault('Inkstone-test');
      try { await v.set('x', 'y'); console.log('STORED'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const env = { ...process.env };
    delete env['DBUS_SESSION_BUS_ADDRESS'];
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
    expect(out).not.toContain('STORED');
    expect(out).toMatch(/^KeychainUnavailableError: The OS keychain is not available \(.+\)\. Inkstone keeps your sign-in only in the keychain and never in a file/);
    expect(new KeychainUnavailableError(new Error('x')).name).toBe('KeychainUnavailableError');
  });
});
