// Alert emails through SMTP (CALLPLANE_SMTP_URL): a real SMTP conversation with
// a local server (the smtp-server package, nodemailer's own) receives the
// threshold alert, addressed to each recipient, and the outbox shows it sent.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntry } from '../../server/billing/index.js';
import { type TestPlane, customerAccount, startTestPlane } from '../support/plane.js';
import { until } from '../support/until.js';

interface Received {
  from: string;
  to: string[];
  data: string;
}

let smtp: SMTPServer;
let plane: TestPlane;
const received: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  plane = await startTestPlane({
    CALLPLANE_USAGE_CHECK_INTERVAL: '0',
    CALLPLANE_SMTP_URL: `smtp://127.0.0.1:${port}`,
    CALLPLANE_MAIL_FROM: 'alerts@callplane.test',
  });
});

afterAll(async () => {
  await plane?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('alert emails over SMTP', () => {
  it('sends the threshold alert to each recipient through the SMTP server, and the outbox shows it sent', async () => {
    const acct = await customerAccount(plane, 'Mail Co', plane.operator);
    await postEntry(plane.db, { accountId: acct.id, kind: 'topup', amountMinor: 1_000, currency: 'EUR', createdBy: 'test' });
    const put = await acct.owner.put(`/accounts/${acct.id}/usage-settings`, { alertThresholdMinor: 500, alertEmails: ['ops@mail.example', 'cfo@mail.example'] });
    expect(put.status).toBe(200);
    await postEntry(plane.db, { accountId: acct.id, kind: 'adjustment', amountMinor: -600, currency: 'EUR', createdBy: 'test' });
    await plane.features.usage.afterBalanceChange(acct.id);

    const mails = await until(async () => (received.length >= 2 ? received : undefined));
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['cfo@mail.example', 'ops@mail.example']);
    for (const mail of mails) {
      expect(mail.from).toBe('alerts@callplane.test');
      expect(mail.data).toContain('below your alert threshold of 5.00 EUR');
    }
    const outbox = (await acct.owner.get(`/accounts/${acct.id}/outbox`)).body.items as { channel: string; status: string }[];
    expect(outbox.map((m) => [m.channel, m.status])).toEqual([
      ['email', 'sent'],
      ['email', 'sent'],
    ]);
  });
});
