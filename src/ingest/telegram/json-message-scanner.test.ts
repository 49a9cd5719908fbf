import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonMessageScanner, MAX_DEPTH, MAX_KEPT_STRING, MAX_MESSAGE_BYTES, repairHexEscapes, type ScannedMessage } from './json-message-scanner.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Feeds the bytes in the given chunk sizes; returns the parsed messages and the scanner. */
function scan(bytes: Uint8Array, cuts: number[] = [], start = 0, state?: ConstructorParameters<typeof JsonMessageScanner>[1]) {
  const s = new JsonMessageScanner(start, state);
  const got: (ScannedMessage & { obj: unknown; state: ReturnType<JsonMessageScanner['state']> })[] = [];
  let at = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < bytes.length).sort((a, b) => a - b), bytes.length]) {
    if (c <= at) continue;
    s.push(bytes.subarray(at, c), (m) => got.push({ ...m, raw: m.raw.slice(), obj: JSON.parse(repairHexEscapes(dec.decode(m.raw)).text), state: s.state() }));
    at = c;
  }
  return { got, s };
}

const jsonValue = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), tie('v'), { maxKeys: 3 })),
})).v;
const message = fc.record({ id: fc.integer({ min: 1 }), type: fc.constant('message'), text: fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.record({ type: fc.constant('bold'), text: fc.string() })))), extra: jsonValue });

describe('JsonMessageScanner', () => {
  it('property: yields exactly the messages of a single-chat export, however the bytes are cut', () => {
    fc.assert(fc.property(fc.array(message, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), fc.string(), (msgs, cuts, name) => {
      const doc = enc.encode(JSON.stringify({ name, type: 'private_supergroup', id: 99, messages: msgs }, null, 1));
      const { got, s } = scan(doc, cuts.map((c) => c % (doc.length + 1)));
      expect(got.map((g) => g.obj)).toEqual(msgs);
      expect(got.every((g) => g.chat.name === name && g.chat.id === '99' && g.chat.type === 'private_supergroup')).toBe(true);
      expect(s.complete).toBe(true);
      for (const g of got) expect(dec.decode(doc.subarray(g.offset, g.end))).toBe(dec.decode(g.raw));
    }));
  });

  it('property: a file cut anywhere keeps exactly the messages that ended before the cut', () => {
    fc.assert(fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), fc.nat(), (msgs, cutSeed) => {
      const doc = enc.encode(JSON.stringify({ name: 'c', type: 'private_group', id: 1, messages: msgs }, null, 1));
      const cut = cutSeed % doc.length;
      const full = scan(doc).got;
      const { got, s } = scan(doc.subarray(0, cut));
      expect(got.map((g) => g.obj)).toEqual(full.filter((f) => f.end <= cut).map((f) => f.obj));
      expect(s.complete).toBe(false);
    }));
  });

  it('property: resuming from any message boundary with its state gives the rest, nothing twice', () => {
    fc.assert(fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), fc.nat(), fc.integer({ min: 1, max: 4 }), (msgs, pick, chats) => {
      const list = Array.from({ length: chats }, (_, c) => ({ name: `c${c}`, type: 'public_channel', id: c + 1, messages: msgs }));
      const doc = enc.encode(JSON.stringify({ about: 'x', chats: { about: 'y', list } }, null, 1));
      const full = scan(doc).got;
      const at = full[pick % full.length];
      const rest = scan(doc.subarray(at.end), [], at.end, JSON.parse(JSON.stringify(at.state))).got;
      expect(rest.map((r) => [r.index, r.chat.id, r.offset])).toEqual(full.filter((f) => f.index > at.index).map((f) => [f.index, f.chat.id, f.offset]));
    }));
  });

  it('reads chats of a full export, including left_chats, and skips other sections', () => {
    const doc = enc.encode(JSON.stringify({
      about: 'a', personal_information: { phone_number: '+31 6 12345678', messages: [{ id: 9 }] },
      contacts: { list: [{ first_name: 'x' }] },
      chats: { about: 'c', list: [{ name: 'A', type: 'private_group', id: 1, messages: [{ id: 1 }, { id: 2 }] }] },
      left_chats: { about: 'l', list: [{ name: 'B', type: 'public_channel', id: 2, messages: [{ id: 3 }] }] },
    }));
    const { got } = scan(doc);
    expect(got.map((g) => [g.chat.name, (g.obj as { id: number }).id, g.index])).toEqual([['A', 1, 0], ['A', 2, 1], ['B', 3, 2]]);
  });

  it('counts \\xHH escapes and repairs them without touching an escaped backslash', () => {
    const text = '{"name":"a\\x01","type":"private_group","id":1,"messages":[{"id":1,"text":"x\\x07y \\\\x41"}]}';
    const { got, s } = scan(enc.encode(text));
    expect(s.hexEscapes).toBe(2);
    expect(s.firstHexEscapeAt).toBe(text.indexOf('\\x01'));
    expect((got[0].obj as { text: string }).text).toBe('x\u0007y \\x41');
    expect(got[0].chat.name).toBe('a\u0001');
    expect(repairHexEscapes('"\\\\x41 \\x41"')).toEqual({ text: '"\\\\x41 \\u0041"', count: 1 });
  });

  it('says when the input is not a JSON object', () => {
    expect(scan(enc.encode('[{"id":1}]')).s.error?.message).toMatch(/JSON list, not an object/);
    expect(scan(enc.encode('hello')).s.error?.message).toMatch(/does not start with "\{"/);
  });
});

describe('JsonMessageScanner bounds', () => {
  it('cuts a kept chat name at MAX_KEPT_STRING bytes counted as written (escapes too), never inside an escape', () => {
    const doc = enc.encode(`{"name":"${'\\\\'.repeat(200_000)}","type":"private_group","id":1,"messages":[{"id":1}]}`);
    const { got, s } = scan(doc, [1000, 70_000]);
    expect(got).toHaveLength(1);
    expect(got[0].chat.name).toBe('\\'.repeat(MAX_KEPT_STRING / 2 - 2));
    expect(s.stringsCut).toBe(1);
    expect(s.error).toBeNull();
  });

  it('skips a message over MAX_MESSAGE_BYTES without keeping its bytes, and reads the next one', () => {
    const big = JSON.stringify({ id: 1, text: 'x'.repeat(MAX_MESSAGE_BYTES + 10) });
    const doc = enc.encode(`{"name":"a","type":"private_group","id":1,"messages":[${big},{"id":2}]}`);
    const s = new JsonMessageScanner();
    const got: ScannedMessage[] = [];
    for (let at = 0; at < doc.length; at += 65536) s.push(doc.subarray(at, at + 65536), (m) => got.push(m));
    expect(got.map((m) => [m.index, m.tooLarge ?? 0, m.raw.length])).toEqual([[0, big.length, 0], [1, 0, 8]]);
  });

  it('refuses nesting deeper than MAX_DEPTH and a number longer than MAX_SCALAR_CHARS outside messages', () => {
    const deep = scan(enc.encode(`{"name":"a","x":${'['.repeat(MAX_DEPTH + 5)}`)).s;
    expect(deep.error?.message).toMatch(/nesting deeper than 64 levels/);
    const long = scan(enc.encode(`{"id":${'9'.repeat(10_000)},"messages":[]}`)).s;
    expect(long.error?.message).toMatch(/longer than 64 characters/);
  });
});
