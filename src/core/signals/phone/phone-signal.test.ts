import { describeSignalType } from '../signal-type.case.js';
import { phoneSignal } from './phone-signal.js';

describeSignalType(phoneSignal);
