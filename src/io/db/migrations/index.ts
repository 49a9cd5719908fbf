/**
 * Every migration, listed statically (a bundled server has no folder to read). A new migration is a file
 * <yyyymmddhhmm>-<kebab-name>.ts in this folder and one line here; a test checks that no file is left out.
 */
import type { Migration } from 'kysely';
import * as createBank from './202611281330-create-bank.js';
import * as createScan from './202611281400-create-scan.js';
import * as signalsAsRows from './202611301210-signals-as-rows.js';
import * as incrementalClusters from './202611301211-incremental-clusters.js';
import * as createIdentifierKey from './202611301220-create-identifier-key.js';
import * as keyDerivedValues from './202611301221-key-derived-values.js';
import * as createApiKey from './202611301300-create-api-key.js';
import * as createNotice from './202611301310-create-notice.js';
import * as createVictimCase from './202611301320-create-victim-case.js';
import * as createScanJob from './202612010000-create-scan-job.js';
import * as createBankChange from './202612010050-create-bank-change.js';
import * as dropBankEntrySignalIndex from './202612010080-drop-bank-entry-signal-index.js';
import * as storeBankValueOnce from './202612020000-store-bank-value-once.js';
import * as mediaClusterIndex from './202612020050-media-cluster-index.js';
import * as dropStaleRegionMag from './202612030000-drop-stale-region-mag.js';

export const migrations: Record<string, Migration> = {
  '202611281330-create-bank': createBank,
  '202611281400-create-scan': createScan,
  '202611301210-signals-as-rows': signalsAsRows,
  '202611301211-incremental-clusters': incrementalClusters,
  '202611301220-create-identifier-key': createIdentifierKey,
  '202611301221-key-derived-values': keyDerivedValues,
  '202611301300-create-api-key': createApiKey,
  '202611301310-create-notice': createNotice,
  '202611301320-create-victim-case': createVictimCase,
  '202612010000-create-scan-job': createScanJob,
  '202612010050-create-bank-change': createBankChange,
  '202612010080-drop-bank-entry-signal-index': dropBankEntrySignalIndex,
  '202612020000-store-bank-value-once': storeBankValueOnce,
  '202612020050-media-cluster-index': mediaClusterIndex,
  '202612030000-drop-stale-region-mag': dropStaleRegionMag,
};
