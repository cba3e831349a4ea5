/**
 * The same store contract on a real three-node Redis Cluster, through node-redis's createCluster:
 * every multi-key operation must stay on one slot (the hash tags of keys.ts).
 */
import { createCluster } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisStore } from '../../src/storage/redis.js';
import { startRedisCluster } from '../support/redisServer.js';
import { storeContract } from './contract.js';
import { testDataKeys } from '../support/dataKey.js';

let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster.stop());

storeContract('redis cluster', async () => {
  const admin = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
  await admin.connect();
  await Promise.all(admin.masters.map(async (m) => (await admin.nodeClient(m)).flushAll()));
  await admin.close();
  const store = createRedisStore({ clusterNodes: cluster.urls, dataKeys: testDataKeys });
  await store.ready();
  return {
    store,
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    close: () => store.close(),
  };
});
