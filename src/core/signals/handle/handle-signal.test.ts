import { describeSignalType } from '../signal-type.case.js';
import { handleSignal } from './handle-signal.js';

describeSignalType(handleSignal);
