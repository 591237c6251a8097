import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoopDelaySampler, serveIpc } from './ipc.js';

/** The yardstick: a bare node:http server answering a constant, in its own process like the service. */
const body = JSON.stringify({ ping: 'pong' });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
const loop = new LoopDelaySampler();
server.listen(0, '127.0.0.1', () => {
  serveIpc({
    port: () => (server.address() as AddressInfo).port,
    eldStart: () => loop.start(),
    eldStop: () => loop.stop(),
  });
  process.send?.({ id: 0, ok: true, result: 'ready' });
});
