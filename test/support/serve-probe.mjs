/**
 * A server process for memory tests: starts the built server (dist) with the configuration in argv[2] (flags as
 * `unexpose serve` takes them, environment as usual), tells its parent the URL, and on "heap" runs full garbage
 * collections (node --expose-gc) and replies with the heap and array-buffer bytes and the index's size.
 */
import { loadServerConfig } from '../../dist/server/config.js';
import { startServer } from '../../dist/server/start-server.js';

const server = await startServer(loadServerConfig(JSON.parse(process.argv[2]), process.env));
process.send({ url: server.url });
process.on('message', async (m) => {
  if (m === 'heap') {
    for (let i = 0; i < 4; i++) {
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 30));
    }
    const u = process.memoryUsage();
    const i = server.ctx.index;
    process.send({ reply: 'heap', heapUsed: u.heapUsed, arrayBuffers: u.arrayBuffers, entries: i.size, seq: i.seq, loads: i.loads });
  }
});
process.once('SIGTERM', () => {
  server.close().then(() => process.exit(0), () => process.exit(1));
});
