/**
 * Runs the migrations in migrations/ at start. Every file named <yyyymmddhhmm>-<kebab-name>.(js|ts) there is a
 * migration, so a feature adds its tables by adding one file, without touching a list. Unordered migrations are
 * allowed: two branches may each add one with an older timestamp than the other's.
 */
import { readdir } from 'node:fs/promises';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const MIGRATION_FILE = /^(\d{12}-[a-z0-9-]+)\.(js|ts)$/;

class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const dir = new URL('./migrations/', import.meta.url);
    const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) {
      const name = MIGRATION_FILE.exec(f)![1];
      if (out[name]) continue; // a .js and a .ts of one migration (tests run from src, the CLI from dist)
      out[name] = (await import(new URL(f, dir).href)) as Migration;
    }
    return out;
  }
}

/** Brings the database to the newest schema (PostgreSQL: in `schema`, when given); throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Brings the database to the named migration exactly (tests of a migration start from the one before it). */
export async function migrateTo(db: Kysely<unknown>, target: string, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true, migrationTableSchema: schema });
  const { error } = await migrator.migrateTo(target);
  if (error) throw new Error(`database migration to ${target} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
