// An invoice as files to download: CSV (one table: the lines, the usage
// breakdowns, the totals) and PDF (pdfkit). Both are rendered from the stored
// invoice document, so they always agree with the JSON.
import type { InvoiceDocument } from './invoice.js';
import { minorUnitExponent } from './money.js';

/** 12345 USD → "123.45"; −5 JPY → "-5". */
export function formatMinor(amountMinor: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export const CSV_COLUMNS = ['section', 'date', 'description', 'user_id', 'project', 'calls', 'amount_minor', 'amount', 'currency'] as const;

/** Text a spreadsheet would run as a formula (subaccount names are typed by customers) is prefixed with '. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function invoiceCsv(doc: InvoiceDocument): string {
  const money = (m: number) => [m, formatMinor(m, doc.currency), doc.currency] as const;
  const rows: (string | number | null)[][] = [[...CSV_COLUMNS]];
  for (const l of doc.lines) rows.push([l.section, l.date, l.description, null, null, null, ...money(l.amountMinor)]);
  for (const s of doc.usage.bySubaccount) rows.push(['usage_by_subaccount', null, s.name, s.userId, s.project, s.calls, ...money(s.amountMinor)]);
  for (const p of doc.usage.byProject) rows.push(['usage_by_project', null, p.project ?? '(no project)', null, p.project, p.calls, ...money(p.amountMinor)]);
  rows.push(['subtotal', null, `Subtotal ${doc.period}`, null, null, null, ...money(doc.subtotalMinor)]);
  rows.push(['tax', null, `Tax ${doc.taxRateBp / 100} %`, null, null, null, ...money(doc.taxMinor)]);
  rows.push(['total', null, `Total ${doc.period}`, null, null, null, ...money(doc.totalMinor)]);
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * pdfkit, loaded at the first PDF rather than at start: with fontkit, its fonts
 * and decoders it is ~4 MB of code that every major GC of this process would
 * otherwise mark (the SIP edge shares the process). Node caches the module.
 */
export async function pdfkit() {
  return (await import('pdfkit')).default;
}

export async function invoicePdf(doc: InvoiceDocument, invoiceId: string): Promise<Buffer> {
  const PDFDocument = await pdfkit();
  const total = `${formatMinor(doc.totalMinor, doc.currency)} ${doc.currency}`;
  // Uncompressed: small anyway, and its text can be checked without inflating streams.
  const pdf = new PDFDocument({
    size: 'A4',
    compress: false,
    info: { Title: `Invoice ${doc.period} ${doc.accountName}`, Subject: `Total ${total}`, Keywords: invoiceId },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.fontSize(18).text(`Invoice ${doc.period}`);
  pdf.fontSize(10).text(`${doc.accountName} (${doc.accountId})`).text(`Invoice ${invoiceId}`);
  pdf.text(`Period ${doc.periodStart} to ${doc.periodEnd} (${doc.timezone})`).moveDown();
  const money = (m: number) => `${formatMinor(m, doc.currency)} ${doc.currency}`;
  for (const l of doc.lines) pdf.text(`${l.date ?? '          '}  ${l.section.padEnd(12)} ${l.description}  ${money(l.amountMinor)}`);
  pdf.moveDown().fontSize(12).text('Calls by user');
  pdf.fontSize(10);
  for (const s of doc.usage.bySubaccount) pdf.text(`${s.name} ${s.userId ?? ''}  ${s.calls} calls  ${money(s.amountMinor)}`);
  pdf.moveDown().fontSize(12).text('Calls by project');
  pdf.fontSize(10);
  for (const p of doc.usage.byProject) pdf.text(`${p.project ?? '(no project)'}  ${p.calls} calls  ${money(p.amountMinor)}`);
  pdf.moveDown().text(`Subtotal ${money(doc.subtotalMinor)}`).text(`Tax (${doc.taxRateBp / 100} %) ${money(doc.taxMinor)}`);
  pdf.fontSize(12).text(`Total ${total}`);
  pdf.end();
  return done;
}
