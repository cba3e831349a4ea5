import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisStore } from '../../src/storage/redis.js';
import { testRedis } from '../support/redisServer.js';
import { storeContract } from './contract.js';
import { testDataKeys } from '../support/dataKey.js';

let redis: Awaited<ReturnType<typeof testRedis>>;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(() => redis.stop());

storeContract('redis', async () => {
  // Every test starts from an empty database.
  const admin = createClient({ url: redis.url });
  await admin.connect();
  await admin.flushDb();
  await admin.close();
  const store = createRedisStore({ url: redis.url, dataKeys: testDataKeys });
  await store.ready();
  return {
    store,
    // Redis keeps real time: let it pass.
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    close: () => store.close(),
  };
});
