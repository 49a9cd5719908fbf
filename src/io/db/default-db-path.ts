/** The SQLite file a command uses when given neither --db nor DATABASE_URL (a module of its own: a command's help loads it without the drivers). */
export const DEFAULT_DB_PATH = './unexpose.db';
