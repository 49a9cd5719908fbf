/**
 * Settings of the job queue and the workers, from the environment (documented in the README, "Workers and jobs"):
 * - UNEXPOSE_JOB_RETRY_LIMIT      attempts after the first before a job is dead (default: per job, job-flow.ts)
 * - UNEXPOSE_JOB_RETRY_DELAY      seconds before the first retry, doubled each time (default: per job)
 * - UNEXPOSE_JOB_EXPIRE           seconds a running job may take before it counts as lost and runs again (default: per job)
 * - UNEXPOSE_JOB_POLL_MS          how often an idle worker looks for work (default 1000)
 * - UNEXPOSE_JOB_SCHEMA           PostgreSQL schema of pg-boss's tables (default pgboss)
 * - UNEXPOSE_SERVE_JOBS           0: `unexpose serve` on PostgreSQL only enqueues (workers run the jobs); default 1
 */
import { UnexposeError } from '../core/errors.js';
import { JOB_FLOW, type JobPolicy } from './job-flow.js';
import type { JobName } from './job-names.js';

export interface QueueSettings {
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireSeconds?: number;
  pollMs: number;
  /** pg-boss's schema. */
  bossSchema: string;
}

function num(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UnexposeError('usage', `${name} must be a number of at least ${min} (got ${JSON.stringify(v.slice(0, 40))})`);
  return n;
}

/** Reads the settings; a bad value stops the command with a message naming the variable. */
export function queueSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const schema = env.UNEXPOSE_JOB_SCHEMA ?? 'pgboss';
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema)) throw new UnexposeError('usage', 'UNEXPOSE_JOB_SCHEMA must be a lower-case schema name');
  return {
    retryLimit: num(env, 'UNEXPOSE_JOB_RETRY_LIMIT', 0), retryDelaySeconds: num(env, 'UNEXPOSE_JOB_RETRY_DELAY', 1),
    expireSeconds: num(env, 'UNEXPOSE_JOB_EXPIRE', 1), pollMs: num(env, 'UNEXPOSE_JOB_POLL_MS', 50) ?? 1000, bossSchema: schema,
  };
}

/** A job's policy with the settings' overrides. */
export function policyOf(name: JobName, s: Pick<QueueSettings, 'retryLimit' | 'retryDelaySeconds' | 'expireSeconds'>): JobPolicy {
  const p = JOB_FLOW[name];
  return { ...p, retryLimit: s.retryLimit ?? p.retryLimit, retryDelaySeconds: s.retryDelaySeconds ?? p.retryDelaySeconds, expireSeconds: s.expireSeconds ?? p.expireSeconds };
}
