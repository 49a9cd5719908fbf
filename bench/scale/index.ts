/**
 * npm run bench:scale (issue 14): runs each section of bench/scale in turn. This branch has the lookups section
 * (matcher replicas); the jobs section (worker processes) joins it at merge. Benchmarks are not tests.
 * BENCH_SCALE_ONLY=lookups runs one section.
 */
import { runLookups } from './lookups.js';

const sections: Record<string, () => Promise<unknown>> = { lookups: runLookups };
const only = process.env.BENCH_SCALE_ONLY;
for (const [name, run] of Object.entries(sections)) if (!only || only === name) await run();
