// /accounts/{accountId}/invoices: the monthly bill as JSON, or `?format=csv` /
// `?format=pdf` to download it (the API selects variants by query parameter, as
// its filters do, rather than by Accept).
import { type Invoices, invoiceSchemas as s } from '../subscriptions/index.js';
import { pageSchema } from '../paging.js';
import { accountParams, itemParams } from './crud.js';
import { Download, route } from './route.js';

export function invoiceRoutes(deps: { invoices: Invoices }) {
  const tag = 'invoices';
  return [
    route({
      method: 'get', path: '/accounts/{accountId}/invoices', operationId: 'listInvoices', tag,
      summary: 'The account’s invoices, newest period first',
      params: accountParams, query: s.invoiceFilter, response: pageSchema(s.invoiceSummary),
      handler: ({ caller, params, query }) => deps.invoices.list(caller, params.accountId, query),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/invoices', operationId: 'generateInvoice', tag,
      summary: 'Generate the invoice of an ended period now (operator and resellers); 409 when it exists',
      params: accountParams, body: s.generateInvoice, response: s.invoice,
      handler: ({ caller, params, body }) => deps.invoices.generate(caller, params.accountId, body.period, new Date()),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/invoices/{invoiceId}', operationId: 'getInvoice', tag,
      summary: 'One invoice: lines, usage by subaccount and by project, tax, totals (`?format=csv|pdf` downloads it)',
      params: itemParams('invoiceId'), query: s.invoiceFormat, response: s.invoice,
      handler: async ({ caller, params, query }) => {
        if (query.format === 'json') return deps.invoices.get(caller, params.accountId, params.invoiceId);
        const file = await deps.invoices.file(caller, params.accountId, params.invoiceId, query.format);
        return new Download(file.filename, file.contentType, file.body);
      },
    }),
  ];
}
