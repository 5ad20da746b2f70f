// Exposes exactly the typed bridge of shared/ipc, nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import type { Channel, Envelope, EventName, EventPayload, InkstoneBridge, Input, Output } from '../../shared/ipc/contract';

const bridge = {
  invoke: <C extends Channel>(channel: C, input: Input<C>) => ipcRenderer.invoke('inkstone:invoke', channel, input) as Promise<Envelope<Output<C>>>,
  on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
    const handler = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as EventPayload<E>);
    };
    ipcRenderer.on('inkstone:event', handler);
    return () => void ipcRenderer.removeListener('inkstone:event', handler);
  },
} satisfies InkstoneBridge;

contextBridge.exposeInMainWorld('inkstone', bridge);
