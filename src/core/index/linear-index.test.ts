/** LinearIndex runs the shared HammingIndex conformance suite. */
import { describeHammingIndex } from './hamming-index.case.js';
import { LinearIndex } from './linear-index.js';

describeHammingIndex('LinearIndex', (ids, words) => LinearIndex.fromArrays(ids, words));
