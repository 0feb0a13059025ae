// StudioApi over WebSocket, for the renderer in a browser (`maxent serve`). Browser-safe: no Node
// imports. Replies and events are checked for shape before they reach the UI.
import type { EventName, MethodName, StudioApi } from '../api.ts';
import { buildStudioApi } from '../api-client.ts';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string };

export interface WsClientOptions {
  /** Reconnect delay after the socket closes (ms). */
  reconnectMs?: number;
  /** Per-call timeout (ms). */
  timeoutMs?: number;
}

export function createWsClient(url: string, opts: WsClientOptions = {}): StudioApi & { close(): void; ready: Promise<void> } {
  const pending = new Map<number, Pending>();
  const handlers = new Map<EventName, Set<(d: unknown) => void>>();
  let nextId = 1;
  let ws: WebSocket;
  let closed = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const queue: string[] = [];

  function connect(): void {
    ws = new WebSocket(url);
    ws.onopen = () => {
      resolveReady();
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (ev) => onMessage(typeof ev.data === 'string' ? ev.data : '');
    ws.onclose = () => {
      for (const [id, p] of pending) {
        p.reject(new Error(`${p.method}: connection to the studio closed`));
        pending.delete(id);
      }
      emit('log', { level: 'warn', message: 'connection to the studio lost; reconnecting' });
      if (!closed) setTimeout(connect, opts.reconnectMs ?? 1000);
    };
  }

  function emit(event: EventName, data: unknown): void {
    for (const h of handlers.get(event) ?? []) {
      try {
        h(data);
      } catch (e) {
        console.error(`handler for ${event} failed`, e);
      }
    }
  }

  function onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      console.error('studio: ignoring a message that is not JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (typeof m.event === 'string') {
      emit(m.event as EventName, m.data);
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (typeof m.error === 'string') p.reject(new Error(m.error));
    else p.resolve(m.result);
  }

  function call(method: MethodName, params: unknown[]): Promise<unknown> {
    const id = nextId++;
    const text = JSON.stringify({ id, method, params });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (pending.delete(id)) reject(new Error(`${method}: no reply from the studio within ${(opts.timeoutMs ?? 60000) / 1000} s`));
      }, opts.timeoutMs ?? 60000);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        method,
      });
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
      else queue.push(text);
    });
  }

  function subscribe(event: EventName, handler: (d: unknown) => void): () => void {
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  connect();

  return Object.assign(buildStudioApi(call, subscribe), {
    ready,
    close() {
      closed = true;
      ws.close();
    },
  });
}
