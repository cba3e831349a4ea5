/**
 * A smoke run of the benchmark harness (not a timed test): 224 messages from 14 people through
 * the production build, both channels, Redis and the fakes; every message must produce exactly
 * its sends at the fakes, in order. This keeps the harness from rotting.
 */
import { expect, it } from 'vitest';
import { build, runPipelineBench } from '../../bench/pipeline.js';

it('delivers every reply of every message once, end to end', async () => {
  build();
  const figures = await runPipelineBench({ people: 14, connections: 8, deliveryTimeoutMs: 60_000, telegramChatMps: 100 });
  expect(figures.inboundMessages).toBe(224);
  expect(figures.load.requests).toBe(224);
  expect(figures.load.errors + figures.load.timeouts + figures.load.non2xx).toBe(0);
  expect(figures.outgoing.delivered).toBe(figures.outgoing.expected);
  expect(figures.outgoing.lost).toBe(0);
  expect(figures.outgoing.doubled).toBe(0);
  expect(figures.outgoing.misordered).toBe(0);
}, 180_000);
