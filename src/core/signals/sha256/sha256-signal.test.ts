import { describeSignalType } from '../signal-type.case.js';
import { sha256Signal } from './sha256-signal.js';

describeSignalType(sha256Signal);
