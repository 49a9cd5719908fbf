/**
 * The io pieces the notices use cases are built from — the templates (built-in or the operator's override folder)
 * and the SMTP mailer — offered to faces through services (the dependency rule in eslint.config.js).
 */
export { noticeTemplates, TEMPLATES_ENV } from '../../io/templates/notice-templates.js';
export { createSmtpMailer, SMTP_URL_ENV } from '../../io/mail/smtp-mailer.js';
