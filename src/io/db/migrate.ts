/**
 * Runs the migrations listed in migrations/index.ts at start. Unordered migrations are allowed: two branches may
 * each add one with an older timestamp than the other's.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';

class ListedMigrations implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.list;
  }
}

function migrator(db: Kysely<unknown>, schema?: string): Migrator {
  return new Migrator({ db, provider: new ListedMigrations(migrations), allowUnorderedMigrations: true, migrationTableSchema: schema });
}

function check({ error, results }: Awaited<ReturnType<Migrator['migrateToLatest']>>): void {
  if (!error) return;
  const failed = results?.find((r) => r.status === 'Error');
  throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Brings the database to the newest schema (PostgreSQL: in `schema`, when given); throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  check(await migrator(db, schema).migrateToLatest());
}

/** Brings the database up to and including the named migration (tests build old schemas with it). */
export async function migrateUpTo(db: Kysely<unknown>, name: string, schema?: string): Promise<void> {
  if (!migrations[name]) throw new Error(`no migration named ${name}`);
  check(await migrator(db, schema).migrateTo(name));
}

/** The migrations not yet run (a read-only process refuses a store that needs them rather than migrating it). */
export async function pendingMigrations(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  return (await migrator(db, schema).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
