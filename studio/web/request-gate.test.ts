// The Host and Origin rules of `maxent serve` for each way it can be bound (loopback, a LAN
// address, every interface); the server test checks they are applied to real requests.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { requestGate } from './request-gate.ts';

describe('requestGate', () => {
  it('bound to loopback: accepts the loopback names of that port only', () => {
    const g = requestGate('127.0.0.1', 5170);
    for (const h of ['127.0.0.1:5170', 'localhost:5170', 'LOCALHOST:5170', '[::1]:5170']) expect(g.checkHost(h), h).toBeNull();
    for (const h of ['evil.example:5170', '127.0.0.1:5171', '127.0.0.1', 'a@127.0.0.1:5170', '127.0.0.1:5170/x', '', undefined])
      expect(g.checkHost(h), String(h)).toMatch(/not this server|no Host header/);
    expect(g.checkOrigin(undefined)).toBeNull();
    for (const o of ['http://127.0.0.1:5170', 'http://localhost:5170', 'http://[::1]:5170']) expect(g.checkOrigin(o), o).toBeNull();
    for (const o of ['null', 'https://127.0.0.1:5170', 'http://127.0.0.1:5171', 'http://evil.example:5170', 'file://', 'garbage'])
      expect(g.checkOrigin(o), o).toMatch(/only pages this server serves \(http:\/\/127.0.0.1:5170\)/);
  });

  it('bound to localhost or ::1: the same loopback names', () => {
    expect(requestGate('localhost', 80).checkHost('127.0.0.1')).toBeNull(); // port 80 is left out
    expect(requestGate('::1', 5170).checkHost('localhost:5170')).toBeNull();
    expect(requestGate('::1', 5170).checkOrigin('http://[::1]:5170')).toBeNull();
  });

  it('bound to a LAN address: that address only, and the reason names it', () => {
    const g = requestGate('192.168.1.20', 5170);
    expect(g.checkHost('192.168.1.20:5170')).toBeNull();
    expect(g.checkOrigin('http://192.168.1.20:5170')).toBeNull();
    expect(g.checkHost('localhost:5170')).toMatch(/open http:\/\/192.168.1.20:5170\//);
    expect(g.checkOrigin('http://evil.example:5170')).not.toBeNull();
  });

  it('bound to every interface: loopback names and this machine’s addresses', () => {
    const g = requestGate('0.0.0.0', 5170);
    expect(g.checkHost('127.0.0.1:5170')).toBeNull();
    const v4 = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a?.family === 'IPv4' && !a.internal);
    if (v4) expect(g.checkOrigin(`http://${v4.address}:5170`)).toBeNull();
    expect(g.checkHost('evil.example:5170')).not.toBeNull();
  });

  it('refuses a host it cannot parse', () => {
    expect(() => requestGate('bad host', 1)).toThrow(/invalid host "bad host"/);
  });
});
