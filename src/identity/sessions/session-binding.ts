import { isIPv4, isIPv6 } from 'node:net';

function ipv6Words(ip: string): number[] | undefined {
  let addr = ip.split('%')[0]!;
  const v4Tail = addr.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4Tail) {
    const [a, b, c, d] = v4Tail[1]!.split('.').map(Number) as [number, number, number, number];
    addr = addr.slice(0, -v4Tail[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const fill = addr.includes('::') ? 8 - h.length - t.length : 0;
  const words = [...h, ...Array(fill).fill('0'), ...t].map((w) => parseInt(w, 16));
  return words.length === 8 && words.every((w) => w >= 0 && w <= 0xffff) ? words : undefined;
}

/** Barong's session binding: the client stays in the /16 (IPv4) or /96 (IPv6) it logged in from. */
export function sameClientNetwork(loginIp: string, currentIp: string): boolean {
  const a = loginIp.replace(/^::ffff:/, '');
  const b = currentIp.replace(/^::ffff:/, '');
  if (isIPv4(a) && isIPv4(b)) return a.split('.').slice(0, 2).join('.') === b.split('.').slice(0, 2).join('.');
  if (isIPv6(a) && isIPv6(b)) {
    const wa = ipv6Words(a);
    const wb = ipv6Words(b);
    return !!wa && !!wb && wa.slice(0, 6).every((w, i) => w === wb[i]);
  }
  return a === b;
}
