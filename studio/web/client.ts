// StudioApi over WebSocket, for the renderer in a browser (`maxent serve`). Browser-safe: no Node
// imports. Replies and events are checked for shape before they reach the UI.
//
// Calls made before the first connection wait for it. Once connected, a call made while the
// connection is down fails at once, and a call in flight when it drops fails: neither is ever
// sent later, so a click the UI reported as failed cannot start a run behind the user's back.
import type { EventName, MethodName, StudioApi } from '../api.ts';
import { buildStudioApi } from '../api-client.ts';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string };

export interface WsClientOptions {
  /** Reconnect delay after the socket closes (ms). */
  reconnectMs?: number;
  /** Per-call timeout (ms). */
  timeoutMs?: number;
}

/** The connection went down ('lost', once per outage) or came back ('open'). */
export type ConnectionState = 'open' | 'lost';

/** A StudioApi whose connection can drop (the browser's; Electron's IPC cannot). */
export interface ConnectionAware {
  onConnection(fn: (state: ConnectionState) => void): () => void;
}

export function isConnectionAware(api: object): api is ConnectionAware {
  return typeof (api as Partial<ConnectionAware>).onConnection === 'function';
}

export function createWsClient(
  url: string,
  opts: WsClientOptions = {},
): StudioApi & ConnectionAware & { close(): void; ready: Promise<void> } {
  const pending = new Map<number, Pending>();
  const handlers = new Map<EventName, Set<(d: unknown) => void>>();
  const watchers = new Set<(state: ConnectionState) => void>();
  let nextId = 1;
  let ws: WebSocket;
  let closed = false;
  let everOpen = false;
  let lost = false; // an outage reported and not yet over: a failed reconnect says nothing new
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const queue: string[] = []; // calls made before the first connection

  function connect(): void {
    ws = new WebSocket(url);
    ws.onopen = () => {
      everOpen = true;
      resolveReady();
      for (const m of queue.splice(0)) ws.send(m);
      if (lost) {
        lost = false;
        emit('log', { level: 'info', message: 'connection to the studio restored' });
        for (const w of watchers) w('open');
      }
    };
    ws.onmessage = (ev) => onMessage(typeof ev.data === 'string' ? ev.data : '');
    ws.onerror = () => undefined; // a failed connect or a drop: the close that follows handles it
    ws.onclose = () => {
      queue.length = 0; // rejected below: never sent later
      for (const [id, p] of pending) {
        p.reject(new Error(`${p.method}: connection to the studio closed`));
        pending.delete(id);
      }
      if (!lost && !closed) {
        lost = true;
        emit('log', { level: 'warn', message: 'connection to the studio lost; reconnecting' });
        for (const w of watchers) w('lost');
      }
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
    const open = ws.readyState === WebSocket.OPEN;
    if (!open && everOpen) return Promise.reject(new Error(`${method}: not connected to the studio (reconnecting)`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (pending.delete(id)) reject(new Error(`${method}: no reply from the studio within ${(opts.timeoutMs ?? 60000) / 1000} s`));
      }, opts.timeoutMs ?? 60000);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        method,
      });
      if (open) ws.send(text);
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
    onConnection(fn: (state: ConnectionState) => void): () => void {
      watchers.add(fn);
      return () => watchers.delete(fn);
    },
    close() {
      closed = true;
      ws.close();
    },
  });
}
