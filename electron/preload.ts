// Exposes exactly StudioApi to the page as window.studio; nothing else of Node or Electron.
// Every call travels as the same { id, method, params } message the WebSocket host accepts
// and is validated in main before it reaches the service.
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName } from '../studio/api.ts';
import { buildStudioApi } from '../studio/api-client.ts';
import { IPC_CALL, IPC_EVENT } from './window-options.ts';
import { mediaVideoUrl } from './media-protocol.ts';
import { IPC_RECORD_PROGRESS } from './offscreen-options.ts';

let nextId = 1;
const handlers = new Map<EventName, Set<(d: unknown) => void>>();

ipcRenderer.on(IPC_EVENT, (_e, msg: { event: EventName; data: unknown }) => {
  for (const h of handlers.get(msg?.event) ?? []) h(msg.data);
});

const api = buildStudioApi(
  async (method, params) => {
    const reply = (await ipcRenderer.invoke(IPC_CALL, { id: nextId++, method, params })) as { result?: unknown; error?: string };
    if (typeof reply?.error === 'string') throw new Error(reply.error);
    return reply?.result;
  },
  (event, handler) => {
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  },
);

// The host says where a saved video plays (renderer/record-panel.ts asks it, never sniffs).
contextBridge.exposeInMainWorld('studio', { ...api, recorder: { ...api.recorder, videoUrl: mediaVideoUrl } });

// The offscreen recorder's page (?mode=record) reports progress to main; main validates it.
if (new URLSearchParams(location.search).get('mode') === 'record')
  contextBridge.exposeInMainWorld('__maxentRecordProgress', (p: unknown) => ipcRenderer.send(IPC_RECORD_PROGRESS, p));
