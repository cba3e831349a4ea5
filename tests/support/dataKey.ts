/**
 * The data key the tests use with Redis (a fixed one, so separate stores, processes and
 * commands of one test read each other's data, as instances of one deployment do).
 */
import { dataKey, decodeDataKey, type DataKeyRing } from '../../src/storage/sealer.js';

/** 32 bytes in base64, as DATA_KEY is given in the environment. */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

/** The key ring of TEST_DATA_KEY, for stores made directly. */
export const testDataKeys: DataKeyRing = { current: dataKey(decodeDataKey(TEST_DATA_KEY) ?? Buffer.alloc(32)) };
