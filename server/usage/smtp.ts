// The SMTP mailer (nodemailer) for alert emails, used when CALLPLANE_SMTP_URL is set.
// nodemailer is loaded at the first email, not at start: a process that sends
// none does not carry (and garbage-collect around) its code.
import type { Transporter } from 'nodemailer';
import type { Mailer } from './delivery.js';

export class SmtpMailer implements Mailer {
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  async send(message: { to: string; subject: string; text: string }): Promise<void> {
    this.transport ??= import('nodemailer').then(({ createTransport }) => createTransport(this.url));
    await (await this.transport).sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }

  close(): void {
    // a transport that never came up (nodemailer failed to load) has nothing to close
    void this.transport?.then((transport) => transport.close(), () => undefined);
  }
}
