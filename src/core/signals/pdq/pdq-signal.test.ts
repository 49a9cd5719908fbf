import { describeSignalType } from '../signal-type.case.js';
import { pdqSignal } from './pdq-signal.js';

describeSignalType(pdqSignal);
