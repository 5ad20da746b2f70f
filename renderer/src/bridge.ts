import type { Channel, Envelope, EventName, EventPayload, InkstoneBridge, Input, Output } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Present under Electron: the preload's bridge. */
    inkstone?: InkstoneBridge;
  }
}

/** The browser host's bridge: the same contract over a WebSocket, unlocked by the per-launch secret. */
function hostBridge(): { bridge: InkstoneBridge; ready: Promise<{ demoServerUrl: string | null }> } {
  // The secret comes in the URL fragment; it is kept for this tab only (a reload still works)
  // and taken out of the address bar, so it is not copied or bookmarked with the URL.
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('secret');
  if (fromHash) sessionStorage.setItem('inkstone.secret', fromHash);
  const secret = fromHash ?? sessionStorage.getItem('inkstone.secret') ?? '';
  history.replaceState(null, '', location.pathname);
  const pending = new Map<number, (r: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let next = 1;
  let resolveReady: (v: { demoServerUrl: string | null }) => void = () => {};
  const ready = new Promise<{ demoServerUrl: string | null }>((r) => (resolveReady = r));
  let ws: WebSocket;
  let open: Promise<void>;
  let retryMs = 250;
  // A lost socket is reconnected by itself (with growing pauses): the page never ends on a
  // dead "reload" message. Requests in flight when it closed are answered with an error.
  const connect = () => {
    let opened: () => void = () => {};
    open = new Promise((r) => (opened = r));
    ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/bridge`);
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'hello', secret })));
    ws.addEventListener('message', (e) => {
      const m = JSON.parse(String(e.data)) as { type: string; id?: number; result?: Envelope<unknown>; event?: string; payload?: unknown; demoServerUrl?: string | null };
      if (m.type === 'welcome') {
        retryMs = 250;
        opened();
        resolveReady({ demoServerUrl: m.demoServerUrl ?? null });
      } else if (m.type === 'result' && m.id !== undefined) pending.get(m.id)?.(m.result!);
      else if (m.type === 'event' && m.event) listeners.get(m.event)?.forEach((l) => l(m.payload));
    });
    ws.addEventListener('close', () => {
      for (const r of pending.values()) r({ ok: false, error: { code: 'INTERNAL', message: 'The connection to Inkstone’s core was interrupted; this request may not have completed. Reconnecting…' } });
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    });
  };
  connect();
  const bridge: InkstoneBridge = {
    invoke: <C extends Channel>(channel: C, input: Input<C>) =>
      new Promise<Envelope<Output<C>>>((resolve) => {
        const id = next++;
        pending.set(id, (r) => {
          pending.delete(id);
          resolve(r as Envelope<Output<C>>);
        });
        void open.then(() => {
          // Sent on the socket that is open now, or refused: never replayed later, after the page was told it failed.
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id, channel, payload: input }));
          else pending.get(id)?.({ ok: false, error: { code: 'INTERNAL', message: 'Not connected to Inkstone’s core; reconnecting. Try again in a moment.' } });
        });
      }),
    on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => void set.delete(listener as (p: unknown) => void);
    },
  };
  return { bridge, ready };
}

export function connectBridge(): { bridge: InkstoneBridge; ready: Promise<{ demoServerUrl: string | null }> } {
  if (window.inkstone) {
    const bridge = window.inkstone;
    const ready = (bridge.invoke as (c: string, i: unknown) => Promise<Envelope<{ demoServerUrl: string | null }>>)('app.info', {}).then((r) => (r.ok ? r.value : { demoServerUrl: null }));
    return { bridge, ready };
  }
  return hostBridge();
}
