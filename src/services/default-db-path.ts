/** The default SQLite file, without loading the database drivers (a command's options name it). */
export { DEFAULT_DB_PATH } from '../io/db/default-db-path.js';
