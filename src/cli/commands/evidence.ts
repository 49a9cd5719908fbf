/**
 * `unexpose evidence --case BANK | --scan ID --export PATH --out DIR`: the evidence package for a police report or
 * a lawyer (evidence.pdf and manifest.json), read in clear from the original export and checked against the
 * stored digests. `unexpose verify MANIFEST EXPORT` checks a package against an export: exit 0 when every digest
 * matches, 1 naming each file or message that differs.
 */
import { Command, Option } from 'commander';
import { UnexposeError } from '../../core/errors.js';
import { loadStoreKey, openStore } from '../../services/store.js';
import { buildEvidence } from '../../services/evidence/build-evidence.js';
import { describeDifference, verifyEvidence } from '../../services/evidence/verify-evidence.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { parseNonNegativeInt } from '../parse-options.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { dbOption, operatorName, safe, toolVersion } from './notice-context.js';

interface EvidenceCli {
  case?: string;
  scan?: number;
  export: string;
  out: string;
  operator?: string;
  originals?: string;
  db?: string;
  format?: OutputFormat;
}

/** Adds `evidence`. */
export function registerEvidenceCommand(program: Command): void {
  program.command('evidence').description('write an evidence package (PDF + JSON manifest) for a police report, from the original export')
    .option('--case <bank>', 'every post that matched this bank (a victim\'s case)')
    .addOption(new Option('--scan <id>', 'what this scan found: bank matches, re-posted pictures, spread numbers and handles').argParser(parseNonNegativeInt))
    .requiredOption('--export <path>', 'the original export (folder or .zip) the posts are read from')
    .requiredOption('--out <dir>', 'folder for evidence.pdf and manifest.json')
    .option('--operator <name>', 'who makes the package, for the chain of custody (default $UNEXPOSE_OPERATOR or the login name)')
    .option('--originals <text>', 'where the originals are kept (default: the export\'s path)')
    .addOption(dbOption()).addOption(formatOption())
    .action(async (o: EvidenceCli) => {
      if ((o.case === undefined) === (o.scan === undefined)) throw new UnexposeError('usage', 'give exactly one of --case or --scan');
      const store = await openStore({ dbPath: o.db, databaseUrl: process.env.DATABASE_URL });
      try {
        const key = await loadStoreKey(store);
        const r = await buildEvidence({ db: store.db, key, tool: toolVersion() }, o.case !== undefined ? { caseBank: o.case } : { scanId: o.scan! },
          o.export, o.out, { operator: operatorName(o.operator), originals: o.originals });
        if (resolveFormat(o.format) === 'jsonl') await writeLine(JSON.stringify({ ...r, notices: r.notices.length }));
        else {
          await writeLine(safe(`wrote ${r.pdfPath} and ${r.manifestPath} (manifest SHA-256 ${r.manifestSha256})`));
          await writeLine(`${r.posts} post(s); ${r.digestMismatches} differ from what the scan stored; ${r.notInExport} stored post(s) not in this export${r.leftOut ? `; ${r.leftOut} left out (too many)` : ''}`);
        }
        process.exitCode = r.digestMismatches ? EXIT_FAILED : EXIT_OK;
      } finally {
        await store.close();
      }
    });

}

/** Adds `verify`. */
export function registerVerifyCommand(program: Command): void {
  program.command('verify').description('check an evidence package\'s manifest against an export: every file and message digest')
    .argument('<manifest>', 'manifest.json of the package').argument('<export>', 'the export (folder or .zip)').addOption(formatOption())
    .action(async (manifest: string, exportPath: string, o: { format?: OutputFormat }) => {
      const r = await verifyEvidence(manifest, exportPath);
      if (resolveFormat(o.format) === 'jsonl') await writeLine(JSON.stringify(r));
      else {
        for (const d of r.differences) await writeLine(safe(describeDifference(d)));
        await writeLine(r.ok
          ? `verified: ${r.filesChecked} file(s) and ${r.messagesChecked} message(s) match the manifest`
          : `NOT verified: ${r.differences.length} difference(s) in ${r.filesChecked} file(s) and ${r.messagesChecked} message(s)`);
      }
      process.exitCode = r.ok ? EXIT_OK : EXIT_FAILED;
    });
}
