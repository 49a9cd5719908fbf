/**
 * Every signal type, listed once. Adding a signal type is one folder under core/signals/ and one line here: bank
 * imports, matching, storage (media_signal rows, per-bank thresholds), CLI choices and API enums all read this
 * list. Names are checked for form and uniqueness when a registry is built.
 */
import { UnexposeError } from '../errors.js';
import { handleSignal } from './handle/handle-signal.js';
import { md5Signal } from './md5/md5-signal.js';
import { pdqSignal } from './pdq/pdq-signal.js';
import { phoneSignal } from './phone/phone-signal.js';
import { sha256Signal } from './sha256/sha256-signal.js';
import { isSignalTypeName, type ContentKind, type SignalType } from './signal-type.js';
import { vpdqSignal } from './vpdq/vpdq-signal.js';
import { regionDctSignal } from './region_dct/region-dct-signal.js';
import { regionMagSignal } from './region_mag/region-mag-signal.js';

/**
 * A set of signal types by name. The app uses `signalTypes`; tests may build their own with an extra type.
 * @example new SignalRegistry([pdqSignal]).require('pdq').defaultThreshold // 31
 */
export class SignalRegistry {
  private readonly byName = new Map<string, SignalType>();

  constructor(types: readonly SignalType[]) {
    for (const t of types) {
      if (!isSignalTypeName(t.name)) throw new Error(`signal type name "${t.name}" is not lower snake case`);
      if (this.byName.has(t.name)) throw new Error(`two signal types are named "${t.name}"`);
      this.byName.set(t.name, t);
    }
  }

  get(name: string): SignalType | undefined {
    return this.byName.get(name);
  }

  /** The type, or a usage error listing the known names. */
  require(name: string): SignalType {
    const t = this.byName.get(name);
    if (!t) throw new UnexposeError('usage', `unknown signal type "${name}" (known: ${this.names().join(', ')})`);
    return t;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  all(): SignalType[] {
    return [...this.byName.values()];
  }

  /** Types produced by a kind of content (photo: pdq, md5, sha256). */
  forContent(kind: ContentKind): SignalType[] {
    return this.all().filter((t) => t.contentKinds.includes(kind));
  }

  /** A new registry with one more type (tests and plug-ins; the app's list is `signalTypes`). */
  with(type: SignalType): SignalRegistry {
    return new SignalRegistry([...this.all(), type]);
  }
}

export const signalTypes = new SignalRegistry([
  pdqSignal,
  vpdqSignal,
  regionDctSignal,
  regionMagSignal,
  md5Signal,
  sha256Signal,
  phoneSignal,
  handleSignal,
]);
