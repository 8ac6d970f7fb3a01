// Public surface of the HTTP API.
import type { Accounts, Devices, Numbers, Subaccounts, Users } from '../accounts/index.js';
import type { HuntGroups, IvrMenus, Schedules } from '../callflows/index.js';
import type { Registrations } from '../registrations/index.js';
import type { Trunks } from '../trunks/index.js';
import type { Database } from '../db/index.js';
import type { Cdrs } from '../cdrs/index.js';
import type { Balances, CallCharging, CallRequests, ChargingPlans, RateDecks, Reports } from '../charging/index.js';
import { chargingRoutes } from './charging.routes.js';
import type { PaymentMethods } from '../payments/index.js';
import type { Usage } from '../usage/index.js';
import type { Invoices, Subscriptions } from '../subscriptions/index.js';
import type { NumberInventory } from '../numbers-inventory/index.js';
import { invoiceRoutes } from './invoices.routes.js';
import { numberInventoryRoutes } from './number-inventory.routes.js';
import { subscriptionRoutes } from './subscriptions.routes.js';
import type { PhoneCatalogue, PhoneOrders } from '../orders/index.js';
import type { ServiceRequests } from '../requests/index.js';
import type { Provisioning } from '../provisioning/index.js';
import { provisioningRoutes } from './provisioning.routes.js';
import { accountRoutes } from './accounts.routes.js';
import { cdrRoutes } from './cdrs.routes.js';
import { authRoutes } from './auth.routes.js';
import { callFlowRoutes } from './callflows.routes.js';
import { deviceRoutes } from './devices.routes.js';
import { numberRoutes } from './numbers.routes.js';
import { paymentRoutes } from './payments.routes.js';
import type { Route } from './route.js';
import { registrationRoutes } from './registrations.routes.js';
import { orderRoutes } from './orders.routes.js';
import { serviceRequestRoutes } from './requests.routes.js';
import { subaccountRoutes } from './subaccounts.routes.js';
import { trunkRoutes } from './trunks.routes.js';
import type { Tokens } from './tokens.js';
import { usageRoutes } from './usage.routes.js';
import { userRoutes } from './users.routes.js';

export { createApp, type AppDeps } from './app.js';
export { openApiDocument } from './openapi.js';
export type { Route } from './route.js';
export { Tokens, callerOf, type TokenPair, type TokenSettings } from './tokens.js';

export interface ApiFeatures {
  cdrs: Cdrs;
  db: Database;
  tokens: Tokens;
  accounts: Accounts;
  users: Users;
  subaccounts: Subaccounts;
  devices: Devices;
  numbers: Numbers;
  registrations: Registrations;
  trunks: Trunks;
  huntGroups: HuntGroups;
  ivrMenus: IvrMenus;
  schedules: Schedules;
  chargingPlans: ChargingPlans;
  balances: Balances;
  rateDecks: RateDecks;
  callCharging: CallCharging;
  callRequests: CallRequests;
  reports: Reports;
  paymentMethods: PaymentMethods;
  usage: Usage;
  subscriptions: Subscriptions;
  invoices: Invoices;
  numberInventory: NumberInventory;
  serviceRequests: ServiceRequests;
  phoneCatalogue: PhoneCatalogue;
  phoneOrders: PhoneOrders;
  provisioning: Provisioning;
}

/** Every route of /api/v1, in the order the OpenAPI document lists them. */
export function apiRoutes(f: ApiFeatures): Route[] {
  return [
    ...authRoutes(f),
    ...accountRoutes(f),
    ...userRoutes(f),
    ...subaccountRoutes(f),
    ...registrationRoutes(f),
    ...deviceRoutes(f),
    ...numberRoutes(f),
    ...callFlowRoutes(f),
    ...trunkRoutes(f),
    ...cdrRoutes(f),
    ...chargingRoutes(f),
    ...paymentRoutes(f),
    ...usageRoutes(f),
    ...subscriptionRoutes(f),
    ...numberInventoryRoutes(f),
    ...invoiceRoutes(f),
    ...serviceRequestRoutes(f),
    ...orderRoutes(f),
    ...provisioningRoutes(f),
  ];
}
