/**
 * Things in chat text that are made of digits but are not phone numbers: dates, clock times, prices, IBANs,
 * e-mail addresses, coordinates, ISBNs, Telegram invite links, and numbers that a word before them says are an
 * order, invoice, account or tracking number. The phone finder treats these spans as walls that no digit run
 * crosses. Every pattern is linear (no nested quantifiers over the same characters).
 */

/** Spans [start, end) of the (normalised) text that are not phone numbers. */
export function decoySpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const [re, needs] of DECOYS) {
    if (needs && !needs.test(text)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      spans.push([m.index, m.index + m[0].length]);
    }
  }
  return spans;
}

/** Each pattern with a cheap test that must pass before it is run. */
const DECOYS: [RegExp, RegExp | null][] = [
  // Dates with a four-digit year: 06-12-2024, 2024/05/12, 1.5.1990.
  [/\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}(?!\d)|(?<!\d)(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)/g, /\d[-/.]\d/],
  // Clock times: 14:30, 21:14:09.
  [/(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)/g, /\d:\d/],
  // Prices: € 1.250,00, €0,99, 12,50 euro, $ 1,234.56.
  [/[€$£]\s?\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?(?!\d)|(?<!\d)\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?\s?(?:euro|eur|€|usd|dollar)\b/gi, /[€$£]|eur|usd|dollar/i],
  // IBANs, with or without spaces: NL91ABNA0417164300, NL91 ABNA 0417 1643 00.
  [/\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b/g, /[A-Z]{2}\d\d/],
  // E-mail addresses.
  [/[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/g, /@/],
  // Coordinates: 52.3702, 4.8952.
  [/-?\d{1,3}\.\d{3,9},\s?-?\d{1,3}\.\d{3,9}/g, /\d\.\d{3}/],
  // ISBNs: ISBN 978-90-123-4567-8, 9789012345678.
  [/ISBN(?:-1[03])?:?\s?[\dX -]{10,17}/gi, /isbn|97[89]/i],
  [/(?<!\d)97[89][- ]?\d{1,5}[- ]\d{1,7}[- ]\d{1,7}[- ][\dX](?![\d])/g, /isbn|97[89]/i],
  [/(?<!\d)97[89]\d{10}(?!\d)/g, /isbn|97[89]/i],
  // Telegram invite links t.me/+AbC… (a t.me/+ link of digits only is a phone link and stays).
  [/(?:t|telegram)\.me\/(?:\+|joinchat\/)(?=[\w-]*[A-Za-z_-])[\w-]{1,64}/gi, /\.me\//i],
  // Software versions: v6.12.345.678, versie 6.12.345.
  [/(?:\bv|versi(?:e|on)\s?)\d{1,4}(?:\.\d{1,6}){1,5}/gi, /v/i],
];

/**
 * Words that, right before a number, say it is not a phone number: "bestelnummer 0612345678",
 * "order #...", "factuur nr. ...", "IBAN ...", "KvK: ...", "track & trace ...".
 */
export const NOT_A_PHONE_BEFORE =
  /(?:order|bestel|factuur|invoice|kvk|btw|vat|iban|rekening|account|klant|customer|referentie|reference|ref|track(?:ing)?|trace|zending|pakket|parcel|shipment|bsn|artikel|article|ticket|transactie|transaction|kenmerk|dossier|zaak|case|serial|serie|sku|ean|barcode|pin|pincode|code|id|isbn|versie|version)\w*\.?(?:\s*(?:nr|nummer|number|no|num|id|code)\.?)?\s*[:#=.-]?\s*#?\s*$/i;
