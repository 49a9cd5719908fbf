/**
 * The victim page: what happens → choose photos/videos (hashed here, previews local) and optional numbers/handles →
 * case number + PIN once → status and withdrawal. Only hashes and normalised identifiers ever leave the page.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { parseIdentifier } from '../../src/core/identifiers/parse-identifier.js';
import { api, type CaseStatus, type CreatedCase, type PageConfig } from './api.js';
import { FoundPlaces } from './found-places.js';
import { Hasher, UndecodableError, type RegionValue } from './hasher.js';
import { texts, type Lang, type Texts } from './i18n.js';

type Step = 'intro' | 'choose' | 'done' | 'status';
interface Item {
  id: number; name: string; kind: 'photo' | 'video'; preview: string;
  state: 'hashing' | 'ready' | 'undecodable' | 'failed' | 'cancelled'; progress: number;
  pdq?: string; quality?: number; engine?: string; ms?: number; pdqMs?: number; regionDct?: RegionValue[]; regionMag?: RegionValue[]; frames?: number; vpdq?: string; md5?: string; abort?: AbortController;
}
interface Ident { send: string; display: string }

const MAX_PHOTOS_AT_ONCE = 50;
let nextId = 1;

export function App() {
  const [lang, setLang] = useState<Lang>(navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en');
  const t = texts[lang];
  const [step, setStep] = useState<Step>('intro');
  const [config, setConfig] = useState<PageConfig>({ helplineUrl: null, policeUrl: null });
  const [created, setCreated] = useState<CreatedCase>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { api.pageConfig().then(setConfig, () => undefined); }, []);
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  useEffect(() => { heading.current?.focus(); }, [step]);
  return (
    <>
      <header>
        <nav aria-label="unexpose">
          <strong>unexpose</strong>
          <button type="button" className="link" onClick={() => setStep('intro')}>{t.navNew}</button>
          <button type="button" className="link" onClick={() => setStep('status')}>{t.navStatus}</button>
          <button type="button" className="link" lang={lang === 'nl' ? 'en' : 'nl'} onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')}>{t.language}</button>
        </nav>
      </header>
      <main>
        {step === 'intro' && <Intro t={t} config={config} heading={heading} onStart={() => setStep('choose')} />}
        {step === 'choose' && <Choose t={t} lang={lang} heading={heading} onCreated={(c) => { setCreated(c); setStep('done'); }} />}
        {step === 'done' && created && <Done t={t} created={created} heading={heading} onContinue={() => setStep('status')} />}
        {step === 'status' && <Status t={t} heading={heading} initial={created} />}
      </main>
    </>
  );
}

type H = { heading: React.RefObject<HTMLHeadingElement | null> };

function Intro({ t, config, heading, onStart }: { t: Texts; config: PageConfig; onStart: () => void } & H) {
  return (
    <section aria-labelledby="h-intro">
      <h1 id="h-intro" ref={heading} tabIndex={-1}>{t.title}</h1>
      <h2>{t.introH}</h2>
      <ol className="plain"><li>{t.intro1}</li><li>{t.intro2}</li><li>{t.intro3}</li><li>{t.intro4}</li></ol>
      <h2>{t.helpH}</h2>
      <p>{t.helpNone}</p>
      <ul>
        {config.helplineUrl && <li><a href={config.helplineUrl} rel="noreferrer noopener" target="_blank">{t.helpline}</a></li>}
        {config.policeUrl && <li><a href={config.policeUrl} rel="noreferrer noopener" target="_blank">{t.police}</a></li>}
      </ul>
      <button type="button" className="primary" onClick={onStart}>{t.start}</button>
    </section>
  );
}

function Choose({ t, lang, heading, onCreated }: { t: Texts; lang: Lang; onCreated: (c: CreatedCase) => void } & H) {
  const hasher = useMemo(() => new Hasher(), []);
  const [items, setItems] = useState<Item[]>([]);
  const [ids, setIds] = useState<Ident[]>([]);
  const [phone, setPhone] = useState('');
  const [platform, setPlatform] = useState('instagram');
  const [handle, setHandle] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const update = (id: number, change: Partial<Item>) => setItems((all) => all.map((i) => (i.id === id ? { ...i, ...change } : i)));

  async function add(files: File[]) {
    const photos = files.filter((f) => !f.type.startsWith('video/')).slice(0, MAX_PHOTOS_AT_ONCE);
    const videos = files.filter((f) => f.type.startsWith('video/'));
    const fresh: Item[] = [...photos, ...videos].map((f) => ({
      id: nextId++, name: f.name, kind: f.type.startsWith('video/') ? 'video' : 'photo', preview: URL.createObjectURL(f), state: 'hashing', progress: 0,
      abort: f.type.startsWith('video/') ? new AbortController() : undefined,
    }));
    setItems((all) => [...all, ...fresh]);
    const byItem = [...photos, ...videos];
    for (const [n, item] of fresh.entries()) {
      const file = byItem[n];
      try {
        if (item.kind === 'photo') update(item.id, { ...(await hasher.photo(file)), state: 'ready', progress: 1 });
        else update(item.id, { ...(await hasher.video(file, (p) => update(item.id, { progress: p }), item.abort!.signal)), state: 'ready', progress: 1 });
      } catch (err) {
        update(item.id, { state: err instanceof UndecodableError ? 'undecodable' : (err as Error).name === 'AbortError' ? 'cancelled' : 'failed' });
      }
    }
  }

  function leaveOut(item: Item) {
    item.abort?.abort();
    URL.revokeObjectURL(item.preview);
    setItems((all) => all.filter((i) => i.id !== item.id));
  }

  function addIdentifier(text: string, kind: 'phone' | 'handle') {
    setError('');
    try {
      const p = parseIdentifier(kind === 'handle' ? `${platform}:${text.replace(/^@/, '')}` : text, { kind, defaultRegion: 'NL' });
      const send = p.key.replace(/^(phone|handle):/, '');
      setIds((all) => (all.some((i) => i.send === send) ? all : [...all, { send, display: p.display }]));
      if (kind === 'phone') setPhone(''); else setHandle('');
    } catch {
      setError(t.badId);
    }
  }

  async function submit() {
    const ready = items.filter((i) => i.state === 'ready');
    if (ready.length === 0 && ids.length === 0) return setError(t.nothing);
    setSending(true);
    setError('');
    try {
      const c = await api.create({
        language: lang,
        photos: ready.filter((i) => i.kind === 'photo').map((i) => ({ pdq: i.pdq!, quality: i.quality!, regionDct: i.regionDct ?? [], regionMag: i.regionMag ?? [] })),
        videos: ready.filter((i) => i.kind === 'video').map((i) => ({ vpdq: i.vpdq!, md5: i.md5! })),
        identifiers: ids.map((i) => i.send),
      });
      for (const i of items) URL.revokeObjectURL(i.preview);
      onCreated(c);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <section aria-labelledby="h-choose">
      <h1 id="h-choose" ref={heading} tabIndex={-1}>{t.chooseH}</h1>
      <p>{t.chooseHint}</p>
      <div className={`drop${dragging ? ' over' : ''}`} onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); void add([...e.dataTransfer.files]); }}>
        <label className="button" htmlFor="files">{t.pick}</label>
        <input id="files" type="file" multiple accept="image/*,video/*,.heic,.heif" className="visually-hidden"
          onChange={(e) => { void add([...(e.target.files ?? [])]); e.target.value = ''; }} />
        <span>{t.drop}</span>
      </div>
      <ul className="items" aria-live="polite">
        {items.map((i) => (
          <li key={i.id} className={`item ${i.state}`} data-engine={i.engine} data-ms={i.ms === undefined ? undefined : Math.round(i.ms)} data-pdq-ms={i.pdqMs === undefined ? undefined : Math.round(i.pdqMs)} data-frames={i.frames}>
            {i.kind === 'photo' && i.state !== 'undecodable' ? <img src={i.preview} alt="" /> : <span className="thumb" aria-hidden="true">{i.kind === 'video' ? '▶' : '?'}</span>}
            <div>
              <span className="name">{i.name}</span>
              {i.state === 'hashing' && <progress value={i.progress} max={1} aria-label={`${t.hashing} ${i.name}`} />}
              <span className="state">{i.state === 'hashing' ? t.hashing : i.state === 'ready' ? t.ready : i.state === 'undecodable' ? t.undecodable : i.state === 'cancelled' ? t.cancelled : t.failed}</span>
            </div>
            <button type="button" aria-label={`${i.state === 'hashing' && i.kind === 'video' ? t.cancel : t.leaveOut}: ${i.name}`} onClick={() => leaveOut(i)}>{i.state === 'hashing' && i.kind === 'video' ? t.cancel : t.leaveOut}</button>
          </li>
        ))}
      </ul>
      <h2>{t.idsH}</h2>
      <form className="row" onSubmit={(e) => { e.preventDefault(); addIdentifier(phone, 'phone'); }}>
        <label htmlFor="phone">{t.phone}</label>
        <input id="phone" type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} />
        <button type="submit">{t.add}</button>
      </form>
      <form className="row" onSubmit={(e) => { e.preventDefault(); addIdentifier(handle, 'handle'); }}>
        <label htmlFor="platform">{t.platform}</label>
        <select id="platform" value={platform} onChange={(e) => setPlatform(e.target.value)}>
          <option value="instagram">Instagram</option><option value="snapchat">Snapchat</option><option value="tiktok">TikTok</option>
        </select>
        <label htmlFor="handle">{t.handle}</label>
        <input id="handle" autoComplete="off" value={handle} onChange={(e) => setHandle(e.target.value)} />
        <button type="submit">{t.add}</button>
      </form>
      <ul className="ids">
        {ids.map((i) => <li key={i.send}><span>{i.display}</span> <button type="button" aria-label={`${t.remove}: ${i.display}`} onClick={() => setIds(ids.filter((x) => x !== i))}>{t.remove}</button></li>)}
      </ul>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" className="primary" disabled={sending || items.some((i) => i.state === 'hashing')} onClick={() => void submit()}>{sending ? t.sending : t.submit}</button>
    </section>
  );
}

function Done({ t, created, heading, onContinue }: { t: Texts; created: CreatedCase; onContinue: () => void } & H) {
  const [saved, setSaved] = useState(false);
  return (
    <section aria-labelledby="h-done">
      <h1 id="h-done" ref={heading} tabIndex={-1}>{t.doneH}</h1>
      <p>{t.doneText}</p>
      <dl className="secret">
        <dt>{t.caseNumber}</dt><dd data-testid="case-number">{created.caseNumber}</dd>
        <dt>{t.pin}</dt><dd data-testid="pin">{created.pin}</dd>
      </dl>
      <p>{t.registered}: {created.entries.photos} {t.photos}, {created.entries.videos} {t.videos}, {created.entries.identifiers} {t.identifiers}</p>
      <p className="check"><input id="saved" type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> <label htmlFor="saved">{t.saved}</label></p>
      <button type="button" className="primary" disabled={!saved} onClick={onContinue}>{t.continue}</button>
    </section>
  );
}

function Status({ t, heading, initial }: { t: Texts; initial: CreatedCase | undefined } & H) {
  const [caseNumber, setCaseNumber] = useState(initial?.caseNumber ?? '');
  const [pin, setPin] = useState('');
  const [status, setStatus] = useState<CaseStatus | null>(null);
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [withdrawn, setWithdrawn] = useState(false);
  const fmt = (s: string | null) => (s ? new Date(s).toLocaleDateString() : '—');
  async function show() {
    setError('');
    try { setStatus(await api.status(caseNumber, pin)); } catch (err) { setStatus(null); setError((err as Error).message); }
  }
  async function withdraw() {
    setError('');
    try { await api.withdraw(caseNumber, pin); setWithdrawn(true); setStatus(null); } catch (err) { setError((err as Error).message); }
  }
  if (withdrawn) return <section aria-labelledby="h-status"><h1 id="h-status" ref={heading} tabIndex={-1}>{t.statusH}</h1><p role="status">{t.withdrawn}</p></section>;
  return (
    <section aria-labelledby="h-status">
      <h1 id="h-status" ref={heading} tabIndex={-1}>{t.statusH}</h1>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void show(); }}>
        <label htmlFor="case">{t.caseNumber}</label>
        <input id="case" autoComplete="off" value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} />
        <label htmlFor="pin">{t.pin}</label>
        <input id="pin" inputMode="numeric" autoComplete="off" type="password" value={pin} onChange={(e) => setPin(e.target.value)} />
        <button type="submit" className="primary">{t.show}</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {status && (
        <div aria-live="polite">
          <p>{t.registered}: {status.registered.photos} {t.photos}, {status.registered.videos} {t.videos}, {status.registered.identifiers} {t.identifiers}</p>
          <h2>{t.found}: <span data-testid="items-found">{status.itemsFound}</span></h2>
          {status.places.length === 0 ? <p>{t.none}</p> : <FoundPlaces t={t} places={status.places} />}
          <h2>{t.actionsH}</h2>
          {status.actions.length === 0 ? <p>{t.noActions}</p> : <ul>{status.actions.map((a, n) => <li key={n}>{a.kind}: {a.status} ({fmt(a.at)})</li>)}</ul>}
          <h2>{t.withdrawH}</h2>
          <p>{t.withdrawText}</p>
          {!confirming ? <button type="button" onClick={() => setConfirming(true)}>{t.withdrawH}</button>
            : <button type="button" className="danger" onClick={() => void withdraw()}>{t.withdrawConfirm}</button>}
        </div>
      )}
    </section>
  );
}
