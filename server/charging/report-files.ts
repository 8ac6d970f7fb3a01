// A monthly report as files people open: CSV (one row per call, then the
// totals by class, subaccount and cost centre) and a printable PDF. Times are
// shown in the report's timezone, money in major units of its currency.
import { minorUnitExponent, pdfkit } from '../billing/index.js';
import type { ReportLine } from '../billing/index.js';
import type { MonthlyReport } from './reports.js';

export function majorUnits(minor: number, currency: string | null): string {
  const exponent = minorUnitExponent(currency ?? 'EUR');
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

function localTime(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

const cell = (value: string | number): string => {
  const text = String(value);
  // a leading = + - @ would be a formula in a spreadsheet: quote it away (a phone number — digits, spaces,
  // dashes and parentheses after the + — is not one)
  const safe = /^[=@]|^[+-](?![0-9][0-9 ()-]*$)/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const row = (values: (string | number)[]) => values.map(cell).join(',');

export function reportCsv(report: MonthlyReport): string {
  const money = (minor: number) => majorUnits(minor, report.currency);
  const lines = [row(['started', 'subaccount', 'cost_centre', 'direction', 'class', 'number', 'billable_seconds', `cost_${report.currency ?? ''}`])];
  for (const c of report.calls) {
    lines.push(row([localTime(c.startedAt, report.timezone), c.subaccountName ?? '', c.costCentre ?? '', c.direction, c.callClass, c.numberDisplay, c.billableSeconds, money(c.costMinor)]));
  }
  const section = (title: string, entries: ReportLine[]) => {
    lines.push('', row([title, 'calls', 'answered', 'billable_seconds', 'cost']));
    for (const l of entries) lines.push(row([l.label, l.calls, l.answered, l.billableSeconds, money(l.costMinor)]));
  };
  section('class', report.byClass);
  section('subaccount', report.bySubaccount);
  section('cost_centre', report.byCostCentre);
  if (report.byConference.length > 0) section('conference', report.byConference);
  const t = report.totals;
  lines.push('', row(['total', t.calls, t.answered, t.billableSeconds, money(t.costMinor)]));
  return `${lines.join('\r\n')}\r\n`;
}

export async function reportPdf(report: MonthlyReport): Promise<Buffer> {
  const PDFDocument = await pdfkit();
  const doc = new PDFDocument({ size: 'A4', margin: 48, compress: false, info: { Title: `Call costs ${report.month}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const money = (minor: number) => `${majorUnits(minor, report.currency)} ${report.currency ?? ''}`.trim();
  doc.fontSize(16).text(`Call costs - ${report.accountName}${report.subaccountName ? ` - ${report.subaccountName}` : ''}`);
  doc.fontSize(10).text(`Month ${report.month} (${report.timezone}), ${localTime(report.from, report.timezone)} to ${localTime(report.to, report.timezone)}`);
  doc.moveDown();
  const t = report.totals;
  doc.fontSize(12).text(`Total: ${t.calls} calls, ${t.answered} answered, ${(t.billableSeconds / 60).toFixed(1)} minutes, ${money(t.costMinor)}`);
  const table = (title: string, entries: ReportLine[]) => {
    if (entries.length === 0) return;
    doc.moveDown().fontSize(12).text(title);
    doc.fontSize(9);
    for (const l of entries) doc.text(`${l.label}: ${l.calls} calls, ${(l.billableSeconds / 60).toFixed(1)} min, ${money(l.costMinor)}`);
  };
  table('By call class', report.byClass);
  table('By subaccount', report.bySubaccount);
  table('By cost centre', report.byCostCentre);
  table('By conference room', report.byConference);
  doc.moveDown().fontSize(12).text('Calls');
  doc.fontSize(8);
  for (const c of report.calls) {
    doc.text(`${localTime(c.startedAt, report.timezone)}  ${c.subaccountName ?? '-'}  ${c.direction} ${c.callClass}  ${c.numberDisplay}  ${c.billableSeconds} s  ${money(c.costMinor)}`);
  }
  doc.end();
  return done;
}
