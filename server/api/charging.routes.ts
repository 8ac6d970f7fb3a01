// Charging: an account's charging plans and each subaccount's plan, its balance
// and ledger, subaccount credit limits, the operator's rate decks, and the
// switch's call authorization and settlement over HTTP.
import { z } from 'zod';
import type { Balances, CallRequests, ChargingPlans, RateDecks, Reports } from '../charging/index.js';
import { callAnswer, callCharged, callEnded, callQuestion, chargingSchemas as s, deckView, reportCsv, reportPdf, reportQuery } from '../charging/index.js';
import { accountParams } from './crud.js';
import { Download, route } from './route.js';

const deckQuery = z.object({
  name: z.string().trim().min(1, 'required').max(120, 'at most 120 characters'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  effectiveFrom: z.string().datetime({ offset: true, message: 'an ISO 8601 time' }).optional().describe('default: now'),
  wait: z.enum(['true', 'false']).default('false').describe('true: answer when the import has finished'),
});

export function chargingRoutes(deps: { chargingPlans: ChargingPlans; balances: Balances; rateDecks: RateDecks; callRequests: CallRequests; reports: Reports }) {
  const plans = deps.chargingPlans;
  return [
    route({
      method: 'get', path: '/accounts/{accountId}/charging-plans', operationId: 'listChargingPlans', tag: 'charging',
      summary: 'The account’s charging plans',
      params: accountParams, response: z.array(s.planView),
      handler: ({ caller, params }) => plans.list(caller, params.accountId),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/charging-plans', operationId: 'createChargingPlan', tag: 'charging',
      summary: 'Add a charging plan (operator or reseller): allowed calls, prepaid or postpaid, segments, prices',
      params: accountParams, body: s.planInput, response: s.planView,
      handler: ({ caller, params, body }) => plans.create(caller, params.accountId, body),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/charging-plans/{planId}', operationId: 'getChargingPlan', tag: 'charging',
      summary: 'One charging plan', params: s.planParams, response: s.planView,
      handler: ({ caller, params }) => plans.get(caller, params.accountId, params.planId),
    }),
    route({
      method: 'put', path: '/accounts/{accountId}/charging-plans/{planId}', operationId: 'replaceChargingPlan', tag: 'charging',
      summary: 'Replace a charging plan’s rules (operator or reseller)',
      params: s.planParams, body: s.planInput, response: s.planView,
      handler: ({ caller, params, body }) => plans.replace(caller, params.accountId, params.planId, body),
    }),
    route({
      method: 'delete', path: '/accounts/{accountId}/charging-plans/{planId}', operationId: 'deleteChargingPlan', tag: 'charging',
      summary: 'Remove a charging plan no subaccount has', params: s.planParams,
      handler: ({ caller, params }) => plans.remove(caller, params.accountId, params.planId),
    }),
    route({
      method: 'put', path: '/accounts/{accountId}/subaccounts/{subaccountId}/charging-plan', operationId: 'setSubaccountChargingPlan', tag: 'charging',
      summary: 'Give a subaccount a charging plan (a prepaid plan’s initial credit is posted once)',
      params: s.subaccountParams, body: s.planAssignment, response: s.assignedPlan,
      handler: ({ caller, params, body }) => plans.assign(caller, params.accountId, params.subaccountId, body.chargingPlanId),
    }),
    route({
      method: 'put', path: '/accounts/{accountId}/subaccounts/{subaccountId}/credit-limit', operationId: 'setSubaccountCreditLimit', tag: 'charging',
      summary: 'The most a subaccount’s calls may hold of the shared funds at once',
      params: s.subaccountParams, body: s.creditLimit, response: s.creditLimit,
      handler: ({ caller, params, body }) => deps.balances.setCreditLimit(caller, params.accountId, params.subaccountId, body.limitMinor),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/balance', operationId: 'getBalance', tag: 'charging',
      summary: 'The account’s shared balance, what calls in progress hold, and what is available',
      params: accountParams, response: s.balanceView,
      handler: ({ caller, params }) => deps.balances.balance(caller, params.accountId),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/ledger', operationId: 'listLedgerEntries', tag: 'charging',
      summary: 'The ledger behind the balance, newest first (a user sees its own subaccount’s entries)',
      params: accountParams, query: s.ledgerFilter, response: s.ledgerPage,
      handler: ({ caller, params, query }) => deps.balances.ledger(caller, params.accountId, query),
    }),
    route({
      method: 'post', path: '/accounts/{accountId}/ledger', operationId: 'postLedgerEntry', tag: 'charging',
      summary: 'Post a top-up, refund or adjustment by hand (operator or reseller)',
      params: accountParams, body: s.staffEntry, response: s.ledgerEntryView,
      handler: ({ caller, params, body }) => deps.balances.post(caller, params.accountId, body),
    }),
    route({
      method: 'get', path: '/accounts/{accountId}/reports/calls', operationId: 'getCallCostReport', tag: 'charging',
      summary: 'Monthly call costs of the account or one subaccount, by class, subaccount, cost centre and conference (JSON, CSV or PDF)',
      params: accountParams, query: reportQuery,
      handler: async ({ caller, params, query }) => {
        const report = await deps.reports.monthly(caller, params.accountId, query);
        const name = `calls-${report.month}${report.subaccountName ? `-${report.subaccountName.replace(/[^\w.-]+/g, '_')}` : ''}`;
        if (query.format === 'csv') return new Download(`${name}.csv`, 'text/csv; charset=utf-8', reportCsv(report));
        if (query.format === 'pdf') return new Download(`${name}.pdf`, 'application/pdf', await reportPdf(report));
        return report;
      },
    }),
    route({
      method: 'post', path: '/rate-decks', operationId: 'importRateDeck', tag: 'charging',
      summary: 'Import a rate deck from CSV (operator); bad rows are listed and nothing is imported',
      query: deckQuery, body: z.string().describe('CSV: prefix,destination,cost_per_minute,connection_fee,increments,effective_date'),
      bodyType: 'text/csv', response: deckView,
      handler: async ({ caller, query, body }) => {
        const effectiveFrom = query.effectiveFrom ? new Date(query.effectiveFrom) : new Date();
        const started = await deps.rateDecks.start(caller, { name: query.name, currency: query.currency, effectiveFrom }, body);
        return query.wait === 'true' ? started.finished : started.deck;
      },
    }),
    route({
      method: 'get', path: '/rate-decks', operationId: 'listRateDecks', tag: 'charging',
      summary: 'Rate decks with their import progress (operator)', response: z.array(deckView),
      handler: ({ caller }) => deps.rateDecks.list(caller),
    }),
    route({
      method: 'get', path: '/rate-decks/{deckId}', operationId: 'getRateDeck', tag: 'charging',
      summary: 'One rate deck and its import progress (operator)',
      params: z.object({ deckId: z.string().uuid('a UUID') }), response: deckView,
      handler: ({ caller, params }) => deps.rateDecks.get(caller, params.deckId),
    }),
    route({
      method: 'post', path: '/calls/authorize', operationId: 'authorizeCall', tag: 'charging',
      summary: 'The switch’s question (operator): may this subaccount call this number, and for how long? Reserves the funds',
      body: callQuestion, response: callAnswer, status: 200,
      handler: ({ caller, body }) => deps.callRequests.authorize(caller, body),
    }),
    route({
      method: 'post', path: '/calls/complete', operationId: 'completeCall', tag: 'charging',
      summary: 'The switch’s report (operator): this call ended; record its CDR and charge it, once',
      body: callEnded, response: callCharged, status: 200,
      handler: ({ caller, body }) => deps.callRequests.complete(caller, body),
    }),
  ];
}
