/**
 * An e-mail as an .eml file (RFC 5322), for sending by hand or pasting into a web form; built by nodemailer's
 * MailComposer, the same code that builds what SMTP sends.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { OutgoingMail } from './outgoing-mail.js';

/**
 * The message's bytes.
 * @example await writeFile('UNX-000001.eml', await composeEml(mail))
 */
export async function composeEml(mail: Omit<OutgoingMail, 'to'> & { to: string | null }): Promise<Buffer> {
  const composer = new MailComposer({
    from: mail.from, to: mail.to ?? undefined, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId,
    headers: mail.headers, date: new Date(),
  });
  return composer.compile().build();
}
