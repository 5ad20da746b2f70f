import { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES, type InkstoneBridge } from '../../../shared/ipc/contract';

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export type UploadOutcome = { ok: true; id: string } | { ok: false; message: string };

/**
 * Copies one file into the local upload queue in chunks: begin, one chunk at a time (the
 * next is read only when the previous is acknowledged, so memory and the socket stay
 * bounded), commit. `signal` cancels it; the half-copied file is then cancelled in the core.
 */
export async function queueFile(
  bridge: InkstoneBridge,
  target: { env: string; folder: string; replaces?: string },
  file: File,
  on: { begun: (id: string) => void; progress: (fraction: number) => void },
  signal: AbortSignal,
): Promise<UploadOutcome> {
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, message: `${file.name} is larger than 50 MB, the largest file Inkstone uploads.` };
  const begun = await bridge.invoke('uploads.begin', { ...target, filename: file.name, mimeType: file.type || 'application/octet-stream', size: file.size });
  if (!begun.ok) return { ok: false, message: begun.error.message };
  const { id } = begun.value;
  on.begun(id);
  for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
    if (signal.aborted) {
      await bridge.invoke('uploads.cancel', { id });
      return { ok: false, message: `Cancelled ${file.name}.` };
    }
    const bytes = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
    const r = await bridge.invoke('uploads.chunk', { id, offset, dataBase64: toBase64(bytes) });
    if (!r.ok) {
      await bridge.invoke('uploads.cancel', { id });
      return { ok: false, message: r.error.message };
    }
    on.progress(Math.min(1, (offset + bytes.length) / Math.max(1, file.size)));
  }
  const committed = await bridge.invoke('uploads.commit', { id });
  return committed.ok ? { ok: true, id: committed.value.id } : { ok: false, message: committed.error.message };
}
