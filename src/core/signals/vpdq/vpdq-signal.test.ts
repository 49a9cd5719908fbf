import { describeSignalType } from '../signal-type.case.js';
import { vpdqSignal } from './vpdq-signal.js';

describeSignalType(vpdqSignal);
