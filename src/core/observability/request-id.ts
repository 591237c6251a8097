import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';

/** Ids a proxy may hand down: short, printable, nothing a log line could be forged with. */
const ACCEPTABLE = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/**
 * The request id generator for Fastify: a client's `X-Request-Id` is kept only when the peer is
 * one of the trusted proxies (so a stranger cannot plant ids in our logs); otherwise a new UUID.
 */
export function requestIdGenerator(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address, bits] = entry.split('/');
    const type = isIPv4(address!) ? 'ipv4' : 'ipv6';
    if (bits === undefined) trusted.addAddress(address!, type);
    else trusted.addSubnet(address!, Number(bits), type);
  }
  const fromTrustedPeer = (peer: string | undefined): boolean => {
    if (!peer || !trustedProxies.length) return false;
    const v4 = peer.startsWith('::ffff:') ? peer.slice(7) : peer;
    return isIPv4(v4) ? trusted.check(v4, 'ipv4') : trusted.check(peer, 'ipv6');
  };
  return (req) => {
    const given = req.headers['x-request-id'];
    if (typeof given === 'string' && ACCEPTABLE.test(given) && fromTrustedPeer(req.socket?.remoteAddress)) return given;
    return randomUUID();
  };
}
