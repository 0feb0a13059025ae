// The browser's WebSocket client across an outage: a call made or in flight while the studio is
// unreachable fails and is never sent later (a failed "Start" must not start a run on reconnect),
// and the page hears once that the connection went and once that it came back.
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createWsClient, type ConnectionState } from './client.ts';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket; // Node 20 has none of its own

const until = async (what: string, ok: () => boolean, ms = 5000): Promise<void> => {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A stand-in studio: records every method it receives; answers listRuns at once, holds startRun. */
function fakeStudio(port = 0) {
  const received: string[] = [];
  const wss = new WebSocketServer({ port, host: '127.0.0.1' });
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { id: number; method: string };
      received.push(m.method);
      if (m.method === 'listRuns') ws.send(JSON.stringify({ id: m.id, result: [] }));
    }),
  );
  const listening = new Promise<number>((r) => wss.on('listening', () => r((wss.address() as AddressInfo).port)));
  const close = () =>
    new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    });
  return { received, listening, close };
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

it('fails calls made or in flight during an outage, never replays them, and reports the outage once', async () => {
  let studio = fakeStudio();
  const port = await studio.listening;
  const client = createWsClient(`ws://127.0.0.1:${port}/`, { reconnectMs: 50, timeoutMs: 10_000 });
  cleanup.push(() => client.close());
  const states: ConnectionState[] = [];
  client.onConnection((s) => states.push(s));
  // Made before the first connection: waits for it.
  await expect(client.listRuns()).resolves.toEqual([]);

  const inFlight = client.startRun('multigoal'); // the studio holds it without a reply
  await until('startRun to arrive', () => studio.received.includes('startRun'));
  await studio.close();
  await expect(inFlight).rejects.toThrow(/startRun: connection to the studio closed/);
  await until('the outage to be noticed', () => states.length === 1);
  await expect(client.startRun('multigoal')).rejects.toThrow(/startRun: not connected to the studio \(reconnecting\)/);
  await expect(client.deleteRun('r1')).rejects.toThrow(/not connected/);
  await new Promise((r) => setTimeout(r, 300)); // several failed reconnects
  expect(states).toEqual(['lost']);

  studio = fakeStudio(port);
  cleanup.push(() => studio.close());
  await studio.listening;
  await until('the reconnect', () => states.length === 2);
  expect(states).toEqual(['lost', 'open']);
  await expect(client.listRuns()).resolves.toEqual([]);
  // Nothing from the outage was sent to the new studio: only the call made after it.
  expect(studio.received).toEqual(['listRuns']);
});
