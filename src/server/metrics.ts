/**
 * Prometheus metrics (prom-client, its own registry): request latency by route pattern and status, lookups and
 * matches, index size (total, and entries per bank read from the store when scraped), scan job queue depth.
 */
import client from 'prom-client';

export interface MetricsSources {
  indexSize(): number;
  entriesPerBank(): Promise<{ bank: string; entries: number }[]>;
  jobQueueDepth(): number;
}

export class ServerMetrics {
  readonly registry = new client.Registry();
  readonly requestSeconds: client.Histogram<'route' | 'method' | 'status'>;
  readonly lookups: client.Counter<'api'>;
  readonly matches: client.Counter<'api'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry, prefix: 'unexpose_' });
    this.requestSeconds = new client.Histogram({
      name: 'unexpose_http_request_duration_seconds', help: 'HTTP request latency by route pattern', labelNames: ['route', 'method', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers,
    });
    this.lookups = new client.Counter({ name: 'unexpose_lookups_total', help: 'Signals looked up', labelNames: ['api'], registers });
    this.matches = new client.Counter({ name: 'unexpose_matches_total', help: 'Matches returned', labelNames: ['api'], registers });
    new client.Gauge({ name: 'unexpose_index_entries', help: 'PDQ entries in the in-memory index', registers, collect() { this.set(sources.indexSize()); } });
    new client.Gauge({
      name: 'unexpose_bank_entries', help: 'Entries per bank in the store', labelNames: ['bank'], registers,
      async collect() {
        this.reset();
        for (const b of await sources.entriesPerBank()) this.set({ bank: b.bank }, b.entries);
      },
    });
    new client.Gauge({ name: 'unexpose_job_queue_depth', help: 'Scan jobs waiting or running', registers, collect() { this.set(sources.jobQueueDepth()); } });
  }
}
