import { describeSignalType } from '../signal-type.case.js';
import { md5Signal } from './md5-signal.js';

describeSignalType(md5Signal);
