/**
 * A worker thread of picture-lookup.ts: fills values [from, to) of a shared word array with samples of a signal's
 * Gaussian model (dct-model.ts, region-pool.ts magnitudeModel), so the 10M-picture banks are made on every core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { dctModel } from './dct-model.js';
import { magnitudeModel, xorshift } from './region-pool.js';

export interface ModelJob { signal: 'region_dct' | 'region_mag'; buffer: SharedArrayBuffer; from: number; to: number; seed: number }

const job = workerData as ModelJob;
const model = job.signal === 'region_dct' ? await dctModel(400, 150) : await magnitudeModel(400, 150);
const words = new Uint32Array(job.buffer);
const rnd = xorshift(job.seed);
for (let i = job.from; i < job.to; i++) model.sample(rnd, words, i);
parentPort!.postMessage('done');
