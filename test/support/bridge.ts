import WebSocket from 'ws';
import type { RunningHost } from '../../electron/host/host';

export interface BridgeReply {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; details?: Record<string, string> };
}

/** A WebSocket to the browser host's bridge, with the given Origin header (or none). */
export function connect(host: RunningHost, origin: string | undefined, opts: { maxPayload?: number } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/bridge`, { ...(origin ? { origin } : {}), ...opts });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A bridge client as the renderer has it: hello with the secret, then commands by id; events collected. */
export async function bridge(host: RunningHost, secret: string) {
  const ws = await connect(host, host.origin);
  const pending = new Map<number, (r: BridgeReply) => void>();
  const events: { event: string; payload: unknown }[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
  const welcome = new Promise<unknown>((resolve) =>
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { type: string; id?: number; result?: BridgeReply; event?: string; payload?: unknown };
      if (m.type === 'welcome') resolve(m);
      if (m.type === 'result') pending.get(m.id!)?.(m.result!);
      if (m.type === 'event') events.push({ event: m.event!, payload: m.payload });
    }),
  );
  ws.send(JSON.stringify({ type: 'hello', secret }));
  let next = 1;
  return {
    welcome,
    events,
    closed: () => closed,
    ws,
    invoke: (channel: string, payload: unknown) =>
      new Promise<BridgeReply>((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, payload }));
      }),
  };
}
