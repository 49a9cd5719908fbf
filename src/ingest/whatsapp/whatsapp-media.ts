/**
 * WhatsApp's media markers, as phones write them in a message body: a file in the export (`<attached: 00000042-
 * PHOTO-….jpg>`, `< attached: … >`, `‎<Anhang: …>`, `2015-08-04-PHOTO-00004762.jpg <attached>`,
 * `IMG-20210428-WA0001.jpg (file attached)` and its translations, a `.vcf` contact card), or media left out of the
 * export (`<Media omitted>` and its translations on Android, `image omitted` / `Bild weggelassen` … on iOS).
 * The kind comes from the file's name and extension, or from the omitted-line's word.
 */
import type { MediaKind, MediaRef } from '../chat-source.js';

/** Android's "<Media omitted>" in the languages seen in exports (lower case, without the brackets). */
const MEDIA_OMITTED = new Set([
  'media omitted', 'media weggelaat', 'تم استبعاد الوسائط', 'media buraxıldı', 'media çıxarılmışdır', 'без файл',
  'মিডিয়া বাদ দেওয়া হয়েছে', 'fitxers multimèdia omesos', 'mitjans omesos', 'média vynechány', 'média vynechána', 'medier udeladt',
  'mediefil udeladt', 'medien ausgeschlossen', 'medien weggelassen', 'αρχείο παραλήφθηκε', 'εξαίρεση πολυμέσων',
  'multimedia omitido', 'archivo omitido', 'meedia välja jäetud', 'meedia ära jäetud', 'رسانه حذف شد', 'پيوست نما/آهنگ حذف شد',
  'media jätettiin pois', 'media jätetty pois', 'médias omis', 'fichier omis', 'मीडिया के बिना', 'medijski zapis izostavljen',
  'média elhagyva', 'hiányzó médiafájl', 'media tidak disertakan', 'media omessi', 'media omesso', 'המדיה לא נכללה', 'מדיה הושמטה',
  'メディアなし', 'メディアは含まれていません', 'файлдар қосылмаған', 'файл қосылған жоқ', '미디어 파일 제외됨', '미디어 파일을 생략한 대화내용',
  'medija praleista', 'praleistas medijos turinys', 'nav iekļauta multivide', 'bez multivides', 'без фајлови', 'без фајл',
  'मीडिया वगळण्यात आला', 'मीडिया वगळले', 'media dikecualikan', 'media disingkirkan', 'media utelatt', 'uten vedlegg',
  'media weggelaten', 'pominięto multimedia', 'pliki pominięto', 'ficheiro não revelado', 'mídia omitida', 'arquivo de mídia oculto',
  'conținut media omis', 'без медиафайлов', 'файл пропущен', 'médiá vynechané', 'datoteke izpuščene', 'medij izpuščen', 'media u hoq',
  'media hequr', 'медији су изостављени', 'media utelämnat', 'media har utelämnats', 'media hazijajumuishwa', 'media imerukwa',
  'ไฟล์สื่อถูกลบ', 'สื่อถูกลบ', 'walang kalakip na media', 'medya dahil edilmedi', 'medya atlanmış', 'медіа пропущено',
  'میڈیا چھوڑ دیا گیا', 'میڈیا ہٹا دیا گیا', 'fayl o‘tkazib yuborildi', 'bỏ qua tệp phương tiện', 'bỏ qua media', '忽略多媒體檔',
  '省略多媒体文件', 'mídia oculta',
]);

/** iOS "<kind> omitted": the word for each kind, in the languages seen; the rest of the line says "omitted". */
const OMITTED_KIND_WORDS: [RegExp, MediaKind][] = [
  [/^(?:image|photo|slika|bild|foto|imagen|imagem|immagine|afbeelding|kuva|zdjęcie|resim|изображение|фото|صورة|تصویر|画像|图片|圖片|사진)(?=\s|$)/i, 'photo'],
  [/^(?:video|vídeo|vidéo|videó|видео|ویدیو|فيديو|動画|视频|影片|동영상)(?=\s|$)/i, 'video'],
  [/^(?:gif)(?=\s|$)/i, 'animation'],
  [/^(?:sticker|autocollant|figurinha|adesivo|pegatina|tarra|naklejka|стикер|استیکر|ملصق|ステッカー|贴纸|貼圖|스티커)(?=\s|$)/i, 'sticker'],
  [/^(?:audio|áudio|ton|sprachnachricht|аудио|صوت|صدا|オーディオ|音频|音訊|오디오)(?=\s|$)/i, 'voice'],
  [/^(?:document|dokument|documento|documenti|asiakirja|belge|документ|مستند|سند|ドキュメント|文档|文件|문서)(?=\s|$)/i, 'document'],
  [/^(?:contact card|kontaktkarte|tarjeta de contacto|carte de contact|cartão de contato|contactkaart|scheda contatto|yhteystietokortti|контакт|مخاطب)(?=\s|$)/i, 'contact'],
];
const OMITTED_WORD = /\s(?:omitted|omitida|omitido|omis|omise|absente|weggelassen|ausgelassen|weggelaten|omessa|omesso|ocultad[oa]|omitid[oa]|jätetty pois|pominięte|pominięto|atlandı|dahil edilmedi|пропущено|опущено|حذف شد|محذوف|省略|已省略|생략됨|izostavljen[ao]?)$/i;

/** "(file attached)" and its translations. */
const FILE_ATTACHED = /^(?:file attached|datei angehängt|fichier joint|archivo adjunto|arquivo anexado|ficheiro anexado|file allegato|bestand bijgevoegd|tiedosto liitetty|plik załączony|załączony plik|fil vedhæftet|fil bifogad|fil vedlagt|dosya ekli|файл прикреплен|файл прикреплён|فایل پیوست شد|الملف مرفق|ファイル添付|附件|文件已附上|파일 첨부됨|soubor přiložen|súbor priložený|fișier atașat|datoteka priložena|fájl csatolva|αρχείο επισυνάφθηκε|файл додано)$/i;

/** iOS's "<attached: …>" word in the languages seen. */
const ATTACHED_WORD = /^(?:attached|angehängt|anhang|joint|pièce jointe|adjunto|anexado|anexo|allegato|bijgevoegd|bijlage|liitetty|liite|załączono|załącznik|vedhæftet|bifogad|vedlagt|eklendi|прикреплено|вложение|پیوست|مرفق|添付|附件|첨부|privitak|prilog)$/i;

/** File names WhatsApp gives media: Android IMG-/VID-/… and iOS 00000042-PHOTO-… or 2015-08-04-PHOTO-…. */
const WHATSAPP_FILE = /^(?:(?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d+|\d{8}-[A-Z]+-|\d{4}-\d{2}-\d{2}-[A-Z]+-\d+)/;

const base = { width: null, height: null, durationSeconds: null, fileSize: null };

/**
 * A file's media kind and MIME type from its name as WhatsApp writes it (prefix, then extension).
 * @example mediaKindFromName('PTT-20210428-WA0003.opus') // { kind: 'voice', mime: 'audio/ogg' }
 */
export function mediaKindFromName(name: string): { kind: MediaKind; mime: string | null } {
  const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const up = name.toUpperCase();
  if (ext === 'vcf' || ext === 'vcard') return { kind: 'contact', mime: 'text/vcard' };
  if (up.startsWith('STK-') || /-STICKER-/.test(up) || (ext === 'webp' && !up.startsWith('IMG-') && !/-PHOTO-/.test(up))) return { kind: 'sticker', mime: 'image/webp' };
  if (up.startsWith('PTT-') || ext === 'opus') return { kind: 'voice', mime: 'audio/ogg' };
  if (ext === 'gif' || (/-GIF-/.test(up) && ['mp4', 'mov'].includes(ext))) return { kind: 'animation', mime: ext === 'gif' ? 'image/gif' : 'video/mp4' };
  if (['jpg', 'jpeg', 'png', 'heic', 'heif', 'webp'].includes(ext)) {
    return { kind: 'photo', mime: ext === 'png' ? 'image/png' : ext === 'webp' ? 'image/webp' : ext.startsWith('hei') ? 'image/heic' : 'image/jpeg' };
  }
  if (['mp4', 'mov', '3gp', 'mkv', 'avi', 'm4v', 'webm'].includes(ext)) return { kind: 'video', mime: ext === 'mov' ? 'video/quicktime' : ext === 'webm' ? 'video/webm' : 'video/mp4' };
  if (['mp3', 'm4a', 'aac', 'ogg', 'wav', 'amr'].includes(ext) || up.startsWith('AUD-') || /-AUDIO-/.test(up)) return { kind: 'audio', mime: null };
  return { kind: 'document', mime: null };
}

function attached(name: string): MediaRef {
  const path = name.trim();
  const { kind, mime } = mediaKindFromName(path);
  return { kind, path, missing: null, mime, fileName: path, ...base };
}

const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Reads the first line of a message body as a media marker: a file in the export (its name) or media left out.
 * Returns null when the line is ordinary text.
 * @example mediaFromLine('IMG-20210428-WA0001.jpg (file attached)')?.path // 'IMG-20210428-WA0001.jpg'
 */
export function mediaFromLine(line: string): MediaRef | null {
  const t = line.replace(MARKS, '').replace(/[\u00a0\u202f]/g, ' ').trim();
  if (!t || t.length > 400) return null;
  const inner = /^<\s*(.*?)\s*>$/.exec(t)?.[1] ?? t;
  const lower = inner.toLowerCase();
  if (MEDIA_OMITTED.has(lower)) return { kind: 'unknown', path: null, missing: 'omitted', mime: null, fileName: null, ...base };
  if (OMITTED_WORD.test(inner) && inner.length <= 60) {
    const kind = OMITTED_KIND_WORDS.find(([re]) => re.test(inner))?.[1] ?? 'unknown';
    return { kind, path: null, missing: 'omitted', mime: null, fileName: null, ...base };
  }
  // iOS: "<attached: name>" (any language's word before the colon), possibly after a document's title and page count.
  const tag = /<\s*([^<>:]{1,24}?)\s?:\s*([^<>]*?)\s*>$/u.exec(t);
  if (tag && tag[2] && (ATTACHED_WORD.test(tag[1]) || /\.[\p{L}\d]{1,5}$/u.test(tag[2]))) return attached(tag[2]);
  // Older iOS: "name.jpg <attached>".
  const old = /^(\S[^<>]*?\.[\p{L}\d]{1,5})\s*<[^<>:]{1,24}>$/u.exec(t);
  if (old) return attached(old[1]);
  // Android: "name.ext (file attached)"; any bracketed words when the name is one WhatsApp gives.
  const paren = /^(\S.*?)\s+\(([^()]{1,40})\)$/u.exec(t);
  if (paren && (FILE_ATTACHED.test(paren[2].trim()) || WHATSAPP_FILE.test(paren[1]))) return attached(paren[1]);
  return null;
}
