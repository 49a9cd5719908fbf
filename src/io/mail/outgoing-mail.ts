/**
 * One e-mail as unexpose sends or exports it, and the mailer contract (SMTP in smtp-mailer.ts). A failure says
 * whether the message certainly did not leave (the server refused it, or no connection was made) or may have
 * (the connection broke while the message was on its way): only a certain failure may be retried blindly.
 */

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** "<...@...>", chosen before the first attempt and kept for every retry. */
  messageId: string;
  headers: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  response: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

export class MailError extends Error {
  /** True when the message did not leave for sure; false when it may have been delivered. */
  readonly certain: boolean;
  /** True when trying again will not help (the server refused it with a 5xx answer). */
  readonly permanent: boolean;
  constructor(message: string, certain: boolean, permanent: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailError';
    this.certain = certain;
    this.permanent = permanent;
  }
}
