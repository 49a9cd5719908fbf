/** The repositories and an inline hashing pool over a test database, as a face would hand them to the services. */
import type { OpenedDatabase } from '../../src/io/db/open-database.js';
import { createHashPool, type HashPool } from '../../src/services/hash-media.js';
import { storeRepos } from '../../src/services/store.js';

export type TestStore = ReturnType<typeof storeRepos> & { pool: HashPool };

/** Tests run on the TypeScript sources (no compiled worker): hashing runs inline. */
export function testStore(opened: Pick<OpenedDatabase, 'db' | 'dialect'>): TestStore {
  return { ...storeRepos(opened.db, opened.dialect), pool: createHashPool({ mode: 'inline' }) };
}
