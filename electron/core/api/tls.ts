import tls, { type TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import type { KnownHosts } from './known-hosts';
import { ApiError, ChangedCertificateError, UntrustedCertificateError } from './errors';

/**
 * Connects with TLS 1.2+ and decides trust itself before any byte is sent:
 * a pinned origin must present exactly its confirmed certificate (a change is a hard error);
 * an unpinned one must chain to a system CA and match its host name, or the user is asked
 * to confirm its fingerprint (UntrustedCertificateError).
 */
export function pinnedConnector(origin: string, knownHosts: KnownHosts, timeoutMs: number): buildConnector.connector {
  const base = buildConnector({ rejectUnauthorized: false, minVersion: 'TLSv1.2', maxCachedSessions: 0, timeout: timeoutMs });
  return (opts, callback) => {
    base(opts, (err, socket) => {
      if (err || !socket) return callback(mapTlsError(err ?? new Error('no socket'), origin), null);
      const s = socket as TLSSocket;
      const cert = s.getPeerCertificate();
      const fingerprint = cert?.fingerprint256 ?? '';
      const pin = knownHosts.get(origin);
      let problem: Error | undefined;
      if (pin) {
        if (fingerprint !== pin.fingerprint) problem = new ChangedCertificateError(origin, pin.fingerprint, fingerprint);
      } else if (!s.authorized || tls.checkServerIdentity(opts.servername || opts.hostname, cert)) {
        problem = new UntrustedCertificateError(origin, fingerprint, String(cert?.subject?.CN ?? ''));
      }
      if (problem) {
        s.destroy();
        return callback(problem, null);
      }
      callback(null, s);
    });
  };
}

function mapTlsError(err: Error, origin: string): Error {
  const code = (err as { code?: string }).code ?? '';
  if (/PROTOCOL|VERSION|WRONG_VERSION/i.test(code) || /protocol|version/i.test(err.message)) {
    return new ApiError('PROTOCOL', `${origin} does not speak TLS 1.2 or newer (${err.message}); Inkstone will not connect with an older protocol.`);
  }
  return new ApiError('NETWORK', `cannot reach ${origin}: ${err.message}`, { cause: code });
}

/** The certificate a server presents, without trusting it: for the first-connect prompt. */
export function probeCertificate(url: string, timeoutMs = 10_000): Promise<{ fingerprint: string; subject: string; systemTrusted: boolean }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: u.hostname, port: Number(u.port || 443), servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname, rejectUnauthorized: false, minVersion: 'TLSv1.2', timeout: timeoutMs }, () => {
      const cert = s.getPeerCertificate();
      resolve({ fingerprint: cert.fingerprint256, subject: String(cert.subject?.CN ?? ''), systemTrusted: s.authorized });
      s.end();
    });
    s.on('timeout', () => s.destroy(new Error('timed out')));
    s.on('error', (e) => reject(mapTlsError(e, u.origin)));
  });
}
