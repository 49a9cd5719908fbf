/**
 * Synthetic phone numbers for tests and generated exports, made in code. Dutch mobiles are drawn from the
 * block 06-1234xxxx around libphonenumber's own NL example number (0612345678); no real person's number is
 * written down anywhere in this repository. Also the ways people write one number in chats.
 */

/** The eight national digits after "06" for the n-th synthetic Dutch mobile (n in 0..9999). */
export function syntheticNlMobileDigits(n: number): string {
  return `1234${String(Math.abs(Math.trunc(n)) % 10000).padStart(4, '0')}`;
}

/** E.164 of the n-th synthetic Dutch mobile. */
export function syntheticNlMobile(n: number): string {
  return `+316${syntheticNlMobileDigits(n)}`;
}

/** The ways people write a Dutch mobile in a chat, given its eight digits after "06". */
export const NL_MOBILE_WRITINGS: ((d: string) => string)[] = [
  (d) => `06${d}`,
  (d) => `06-${d}`,
  (d) => `06 ${d}`,
  (d) => `06 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} ${d.slice(6)}`,
  (d) => `06-${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} ${d.slice(6)}`,
  (d) => `06 ${d.slice(0, 4)} ${d.slice(4)}`,
  (d) => `+316${d}`,
  (d) => `+31 6 ${d}`,
  (d) => `+31 6 ${d.slice(0, 4)} ${d.slice(4)}`,
  (d) => `+31 (0)6-${d}`,
  (d) => `+31 (0)6 ${d.slice(0, 4)} ${d.slice(4)}`,
  (d) => `+31-6-${d}`,
  (d) => `0031612${d.slice(2)}`.replace('612', `6${d.slice(0, 2)}`),
  (d) => `0031 6 ${d}`,
  (d) => `(06) ${d}`,
  (d) => `06.${d.slice(0, 2)}.${d.slice(2, 4)}.${d.slice(4, 6)}.${d.slice(6)}`,
  (d) => `t.me/+316${d}`,
  (d) => `https://t.me/+316${d}`,
  (d) => `wa.me/316${d}`,
  (d) => `https://api.whatsapp.com/send?phone=316${d}`,
  (d) => `06‑${d}`, // non-breaking hyphen, as phones paste it
];
