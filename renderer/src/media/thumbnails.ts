import { useEffect, useState } from 'react';
import type { InkstoneBridge } from '../../../shared/ipc/contract';

/**
 * Thumbnail bytes come over the bridge from the local store (never from the network here)
 * and become blob: URLs, the only image source besides 'self' and data: the renderer's CSP
 * allows. One URL per asset for the page's life, at most LIMIT kept (oldest revoked).
 */
const LIMIT = 400;
const urls = new Map<string, Promise<string | null>>();

function load(bridge: InkstoneBridge, env: string, id: string): Promise<string | null> {
  const key = `${env}/${id}`;
  const known = urls.get(key);
  if (known) return known;
  const made = bridge.invoke('assets.thumbnail', { env, id }).then((r) => {
    if (!r.ok || !r.value) {
      urls.delete(key);
      return null;
    }
    const bin = atob(r.value.dataBase64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return URL.createObjectURL(new Blob([bytes], { type: r.value.mimeType }));
  });
  urls.set(key, made);
  if (urls.size > LIMIT) {
    const [oldest, url] = urls.entries().next().value as [string, Promise<string | null>];
    urls.delete(oldest);
    void url.then((u) => u && URL.revokeObjectURL(u));
  }
  return made;
}

/** The blob: URL of an asset's thumbnail, or null (none kept, or not yet read). */
export function useThumbnail(bridge: InkstoneBridge | null, env: string | null, id: string | null, preview: boolean): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!bridge || !env || !id || !preview) return setUrl(null);
    let live = true;
    void load(bridge, env, id).then((u) => live && setUrl(u));
    return () => {
      live = false;
    };
  }, [bridge, env, id, preview]);
  return url;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "PNG", "PDF", "Markdown": the type as people say it. */
export function typeLabel(mime: string): string {
  const known: Record<string, string> = { 'text/markdown': 'Markdown', 'text/plain': 'Text', 'text/csv': 'CSV', 'application/json': 'JSON', 'application/pdf': 'PDF', 'image/jpeg': 'JPEG' };
  return known[mime] ?? (mime.split('/')[1] ?? mime).toUpperCase();
}
