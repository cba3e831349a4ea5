import { createMemoryStore } from '../../src/storage/memory.js';
import { storeContract } from './contract.js';

storeContract('memory', async () => {
  let now = 1_000_000;
  const store = createMemoryStore({ now: () => now });
  return {
    store,
    elapse: async (ms) => {
      now += ms;
    },
    close: () => store.close(),
  };
});
