/** A loopback HTTP server that records every JSON body posted to it, answering after a delay. */
import { createServer, type Server } from 'node:http';

export interface HttpTarget {
  url: string;
  received: unknown[];
  close(): Promise<void>;
}

/** Starts the recorder on a free loopback port. */
export async function startHttpTarget(delayMs = 0): Promise<HttpTarget> {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A deliverer that posts each outbox entry to `url` and fails on any non-2xx answer. */
export function postTo(url: string) {
  return async (entry: unknown): Promise<void> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry) });
    if (!res.ok) throw new Error(`target answered ${res.status}`);
  };
}
