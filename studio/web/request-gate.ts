// Which requests `maxent serve` answers. Any page a browser has open may send requests to
// 127.0.0.1 and open WebSockets to it, and DNS rebinding lets a remote site's own name point
// there, so: the Host header must name this server (the bound address, or a loopback alias of it
// when bound to loopback), and a WebSocket upgrade that carries an Origin must come from a page
// this server served. Tools that send no Origin (node, curl) only need the right Host.
import net from 'node:net';
import os from 'node:os';

const LOOPBACK_ALIASES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD = new Set(['0.0.0.0', '[::]']);

export interface RequestGate {
  /** Why a request with this Host header is refused, or null when it may pass. */
  checkHost(host: string | undefined): string | null;
  /** Why a WebSocket upgrade with this Origin header is refused, or null when it may pass. */
  checkOrigin(origin: string | undefined): string | null;
}

/** The gate for a server listening on `boundHost`:`port`. */
export function requestGate(boundHost: string, port: number): RequestGate {
  const bound = canonicalHost(boundHost);
  if (bound === null) throw new Error(`invalid host ${JSON.stringify(boundHost)}`);
  const loopback = isLoopback(bound);
  const wildcard = WILDCARD.has(bound);
  const names = (): Set<string> => {
    const out = new Set([bound]);
    if (loopback || wildcard) for (const n of LOOPBACK_ALIASES) out.add(n);
    // Bound to every interface: each of this machine's addresses reaches it (looked up per
    // request, as addresses come and go with the network).
    if (wildcard)
      for (const a of Object.values(os.networkInterfaces()).flat()) {
        const h = a && canonicalHost(a.address);
        if (h) out.add(h);
      }
    return out;
  };
  const own = `http://${bound}:${port}`;
  return {
    checkHost(host) {
      if (!host) return 'the request has no Host header';
      const at = parseAuthority(host);
      if (at && at.port === port && names().has(at.host)) return null;
      return `Host ${quote(host)} is not this server (open ${own}/)`;
    },
    checkOrigin(origin) {
      if (origin === undefined) return null;
      const at = parseOrigin(origin);
      if (at && at.port === port && names().has(at.host)) return null;
      return `a WebSocket from ${quote(origin)}: only pages this server serves (${own}) may connect`;
    },
  };
}

/** A host (name or address) as the WHATWG URL parser spells it: lower case, IPv6 in brackets. */
function canonicalHost(host: string): string | null {
  const h = net.isIPv6(host) ? `[${host}]` : host;
  const at = parseAuthority(h);
  return at?.host ?? null;
}

/** host[:port] of a Host header; the port defaults to HTTP's 80, as browsers leave it out there. */
function parseAuthority(s: string): { host: string; port: number } | null {
  if (!/^[A-Za-z0-9.\-[\]:]+$/.test(s)) return null; // no userinfo, path, query or spaces
  return parseOrigin(`http://${s}`);
}

function parseOrigin(s: string): { host: string; port: number } | null {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return null; // includes the opaque origin "null" of sandboxed and file:// pages
  }
  if (url.protocol !== 'http:' || url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
  if (url.hostname === '') return null;
  return { host: url.hostname, port: url.port === '' ? 80 : Number(url.port) };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || (net.isIPv4(host) && host.startsWith('127.'));
}

function quote(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
}
