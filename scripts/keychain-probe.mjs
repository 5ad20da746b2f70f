// Exit 0 when this session's OS keychain can keep a secret (stores, reads back and deletes a
// probe entry, as the app's vault would); otherwise prints why in one line and exits 1.
/* global AbortSignal */
import { AsyncEntry } from '@napi-rs/keyring';

const entry = new AsyncEntry('Inkstone', 'keychain-probe', { linux: { store: 'secret-service' } });
const signal = AbortSignal.timeout(15_000);
try {
  const value = `probe-${process.pid}`;
  await entry.setPassword(value, signal);
  const back = await entry.getPassword(signal);
  await entry.deletePassword(signal);
  if (back !== value) throw new Error('the keychain did not give the secret back');
} catch (e) {
  console.log((e instanceof Error ? e.message : String(e)).split('\n')[0]);
  process.exit(1);
}
