// The SMTP mailer (nodemailer) for alert emails, used when CALLPLANE_SMTP_URL is set.
import { type Transporter, createTransport } from 'nodemailer';
import type { Mailer } from './delivery.js';

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(url);
  }

  async send(message: { to: string; subject: string; text: string }): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }

  close(): void {
    this.transport.close();
  }
}
