// Row types of every table, as Kysely sees them. Kept by hand next to the
// migrations: a column added in SQL is added here in the same change.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface AccountTable {
  id: Generated<string>;
  parent_id: string | null;
  lineage: string[];
  kind: 'operator' | 'reseller' | 'account';
  name: string;
  realm: string;
  timezone: string;
  country: string;
  status: Generated<'active' | 'suspended' | 'closed'>;
  trunks_inbound: Generated<number | null>;
  trunks_outbound: Generated<number | null>;
  trunks_twoway: Generated<number | null>;
  caller_id_privacy: Generated<'none' | 'name' | 'number' | 'both'>;
  local_prefixes: Generated<string[]>;
  /** set by a completed cancellation request: the account closes then (closeDueAccounts) */
  closes_at: Generated<Date | null>;
  /** jsonb: written as JSON text */
  technical_contact: ColumnType<Contact | null, string | null | undefined, string | null>;
  billing_contact: ColumnType<Contact | null, string | null | undefined, string | null>;
  number_format: Generated<NumberFormatKind>;
  number_format_countries: Generated<string[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type Role = 'operator' | 'reseller' | 'owner' | 'admin' | 'user';

export interface UserTable {
  id: Generated<string>;
  account_id: string;
  email: string;
  name: Generated<string>;
  password_hash: string;
  role: Role;
  subaccount_id: string | null;
  timezone: string | null;
  disabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RefreshTokenTable {
  id: string;
  user_id: string;
  family: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_at: CreatedAt;
}

export interface SubaccountTable {
  id: Generated<string>;
  account_id: string;
  kind: 'phone' | 'conference';
  name: string;
  sip_user: string;
  sip_password_enc: string;
  extension: string;
  network_number: Generated<string>;
  caller_id_name: string | null;
  caller_id_number: string | null;
  conference_passcode_enc: string | null;
  conference_max_participants: number | null;
  conference_moderator_pin_enc: string | null;
  cost_centre: string | null;
  charging_plan_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeviceTable {
  id: Generated<string>;
  account_id: string;
  mac: string;
  vendor: string;
  model: string;
  label: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeviceLineTable {
  device_id: string;
  line_no: number;
  subaccount_id: string;
  ring: Generated<boolean>;
}

export interface PhoneNumberTable {
  id: Generated<string>;
  account_id: string;
  e164: string;
  label: Generated<string>;
  destination_kind: DestinationKindColumn | null;
  destination_id: string | null;
  destination_e164: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A destination's kind as stored; with an `_id` (entities) or an `_e164` (kind `number`) column beside it. */
export type DestinationKindColumn = 'subaccount' | 'hunt_group' | 'ivr_menu' | 'conference' | 'schedule' | 'number';

export interface HuntGroupTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  extension: string | null;
  strategy: 'simultaneous' | 'sequential' | 'round_robin' | 'random';
  member_timeout_seconds: number;
  total_timeout_seconds: number;
  skip_busy: boolean;
  fallback_kind: DestinationKindColumn | null;
  fallback_id: string | null;
  fallback_e164: string | null;
  round_robin_cursor: Generated<number | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface HuntGroupMemberTable {
  hunt_group_id: string;
  position: number;
  subaccount_id: string | null;
  e164: string | null;
}

export interface IvrMenuTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  greeting: string;
  invalid_prompt: string;
  timeout_prompt: string;
  timeout_seconds: number;
  max_retries: number;
  allow_extension_dialing: boolean;
  fallback_kind: DestinationKindColumn | null;
  fallback_id: string | null;
  fallback_e164: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface IvrMenuOptionTable {
  ivr_menu_id: string;
  digit: string;
  destination_kind: DestinationKindColumn;
  destination_id: string | null;
  destination_e164: string | null;
}

export interface ScheduleTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  holidays: Generated<string[]>;
  open_kind: DestinationKindColumn;
  open_id: string | null;
  open_e164: string | null;
  closed_kind: DestinationKindColumn;
  closed_id: string | null;
  closed_e164: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ScheduleRangeTable {
  schedule_id: string;
  position: number;
  days: number[];
  opens: string;
  closes: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, never, never>;
  actor_user_id: string | null;
  actor: string;
  account_id: string | null;
  entity: string;
  entity_id: string;
  action: string;
  before: unknown;
  after: unknown;
}

export interface DB {
  accounts: AccountTable;
  users: UserTable;
  refresh_tokens: RefreshTokenTable;
  subaccounts: SubaccountTable;
  devices: DeviceTable;
  device_lines: DeviceLineTable;
  phone_numbers: PhoneNumberTable;
  audit_log: AuditLogTable;
  registrations: RegistrationTable;
  sip_nonce_counts: SipNonceCountTable;
  sip_auth_failures: SipAuthFailureTable;
  sip_bans: SipBanTable;
  active_calls: ActiveCallTable;
  carrier_trunks: CarrierTrunkTable;
  cdrs: CdrTable;
  hunt_groups: HuntGroupTable;
  hunt_group_members: HuntGroupMemberTable;
  ivr_menus: IvrMenuTable;
  ivr_menu_options: IvrMenuOptionTable;
  schedules: ScheduleTable;
  schedule_ranges: ScheduleRangeTable;
  ledger_entries: LedgerEntryTable;
  account_balances: AccountBalanceTable;
  call_reservations: CallReservationTable;
  subaccount_credit_limits: SubaccountCreditLimitTable;
  service_requests: ServiceRequestTable;
  service_request_comments: ServiceRequestCommentTable;
  phone_models: PhoneModelTable;
  phone_orders: PhoneOrderTable;
  phone_order_items: PhoneOrderItemTable;
  charging_plans: ChargingPlanTable;
  initial_credits: InitialCreditTable;
  rate_decks: RateDeckTable;
  rate_deck_rows: RateDeckRowTable;
  payment_methods: PaymentMethodTable;
  usage_settings: UsageSettingsTable;
  payment_charges: PaymentChargeTable;
  usage_alerts: UsageAlertTable;
  outbox: OutboxTable;
  price_lists: PriceListTable;
  subscription_items: SubscriptionItemTable;
  subscription_charges: SubscriptionChargeTable;
  number_inventory: NumberInventoryTable;
  invoices: InvoiceTable;
  provisioning_accounts: ProvisioningAccountTable;
  device_provisioning: DeviceProvisioningTable;
  provisioning_fetches: ProvisioningFetchTable;
  provisioning_misses: ProvisioningMissTable;
  provisioning_bans: ProvisioningBanTable;
  provisioning_discovered: ProvisioningDiscoveredTable;
  provisioning_uploads: ProvisioningUploadTable;
}

export type AccountRow = Selectable<AccountTable>;
export type UserRow = Selectable<UserTable>;
export type SubaccountRow = Selectable<SubaccountTable>;
export type DeviceRow = Selectable<DeviceTable>;
export type DeviceLineRow = Selectable<DeviceLineTable>;
export type PhoneNumberRow = Selectable<PhoneNumberTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type HuntGroupRow = Selectable<HuntGroupTable>;
export type HuntGroupMemberRow = Selectable<HuntGroupMemberTable>;
export type IvrMenuRow = Selectable<IvrMenuTable>;
export type IvrMenuOptionRow = Selectable<IvrMenuOptionTable>;
export type ScheduleRow = Selectable<ScheduleTable>;
export type ScheduleRangeRow = Selectable<ScheduleRangeTable>;
export type NewAccount = Insertable<AccountTable>;
export type AccountUpdate = Updateable<AccountTable>;

export interface RegistrationTable {
  id: Generated<string>;
  subaccount_id: string;
  account_id: string;
  contact: string;
  instance_id: string | null;
  reg_id: number | null;
  call_id: string;
  cseq: number;
  source_address: string;
  source_port: number;
  transport: string;
  user_agent: Generated<string>;
  expires_at: Date;
  device_id: Generated<string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ActiveCallTable {
  call_id: string;
  account_id: string;
  direction: 'inbound' | 'outbound';
  started_at: Generated<Date>;
  seen_at: Generated<Date>;
}

export interface CarrierTrunkTable {
  id: Generated<string>;
  account_id: string | null;
  name: string;
  inbound_addresses: Generated<string[]>;
  outbound_host: string | null;
  outbound_port: Generated<number>;
  outbound_transport: Generated<'udp' | 'tcp' | 'tls'>;
  username: string | null;
  password_enc: string | null;
  register: Generated<boolean>;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type CarrierTrunkRow = Selectable<CarrierTrunkTable>;

export interface CdrTable {
  call_uuid: string;
  account_id: string;
  subaccount_id: string | null;
  direction: 'outgoing' | 'incoming';
  call_class: string;
  caller_name: string;
  caller_number: string;
  dialed: string;
  callee: string;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date;
  billable_seconds: number;
  hangup_cause: string;
  hunt_group_id: string | null;
  ivr_menu_id: string | null;
  conference_subaccount_id: string | null;
  trunk_id: string | null;
  did: string | null;
  /** the hunt-group leg to a carrier that answered: its authorization is the one charged */
  charged_leg_uuid: string | null;
  recorded_at: Generated<Date>;
}

/** Partitioned by slot, the minute of the nonce's expiry mod 16 (registration.repository.ts). */
export interface SipNonceCountTable {
  slot: number;
  nonce: string;
  nc: number;
}

export interface SipAuthFailureTable {
  address: string;
  at: Generated<Date>;
}

export interface SipBanTable {
  address: string;
  reason: string;
  banned_until: Date;
  created_at: CreatedAt;
}

export type RegistrationRow = Selectable<RegistrationTable>;
export type SipBanRow = Selectable<SipBanTable>;

export type LedgerEntryKind = 'topup' | 'initial_credit' | 'call_charge' | 'subscription' | 'proration' | 'refund' | 'adjustment';

export interface LedgerEntryTable {
  id: Generated<number>;
  account_id: string;
  subaccount_id: string | null;
  kind: LedgerEntryKind;
  amount_minor: number;
  currency: string;
  call_uuid: string | null;
  memo: Generated<string>;
  created_at: Generated<Date>;
  created_by: string;
}

export interface AccountBalanceTable {
  account_id: string;
  balance_minor: number;
  currency: string;
  updated_at: Generated<Date>;
  /** what the account's unreleased call reservations hold; kept by triggers on call_reservations */
  held_minor: Generated<number>;
}

export interface CallReservationTable {
  call_uuid: string;
  account_id: string;
  subaccount_id: string | null;
  reserved_minor: number;
  max_seconds: number;
  created_at: Generated<Date>;
  released_at: Date | null;
}

export interface SubaccountCreditLimitTable {
  subaccount_id: string;
  limit_minor: number;
}

export type LedgerEntryRow = Selectable<LedgerEntryTable>;
export type AccountBalanceRow = Selectable<AccountBalanceTable>;
export type CallReservationRow = Selectable<CallReservationTable>;

export interface ChargingPlanTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  /** billing's ChargingPlan, validated on the way in and out */
  definition: unknown;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface InitialCreditTable {
  subaccount_id: string;
  charging_plan_id: string;
  ledger_entry_id: number;
}

export interface RateDeckTable {
  id: Generated<string>;
  name: string;
  currency: string;
  effective_from: Date;
  status: 'importing' | 'ready' | 'failed';
  rows_total: number;
  rows_done: Generated<number>;
  prefix_count: Generated<number>;
  failure: string | null;
  created_at: CreatedAt;
  ready_at: Date | null;
  created_by: string;
}

export interface RateDeckRowTable {
  deck_id: string;
  prefix: string;
  destination: string;
  cost_per_minute_micros: number;
  connection_fee_micros: number;
  first_increment_s: number;
  next_increment_s: number;
  effective_from: Date;
}

export type ChargingPlanRow = Selectable<ChargingPlanTable>;
export type RateDeckRow = Selectable<RateDeckTable>;
/** A technical or billing contact of an account (stored as jsonb). */
export interface Contact {
  name: string;
  email: string | null;
  phone: string | null;
}

export type NumberFormatKind = 'international' | 'national' | 'international_with_national_for';

export interface PaymentMethodTable {
  id: Generated<string>;
  account_id: string;
  provider: string;
  token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
}

export interface UsageSettingsTable {
  account_id: string;
  alert_threshold_minor: number | null;
  alert_emails: Generated<string[]>;
  webhook_url: string | null;
  webhook_secret_enc: string | null;
  recharge_enabled: Generated<boolean>;
  recharge_below_minor: Generated<number>;
  recharge_amount_minor: Generated<number>;
  recharge_max_per_day: Generated<number>;
  alert_armed: Generated<boolean>;
  updated_at: Generated<Date>;
}

export type ChargeStatus = 'pending' | 'succeeded' | 'declined' | 'expired';

export interface PaymentChargeTable {
  id: Generated<string>;
  account_id: string;
  payment_method_id: string | null;
  kind: 'topup' | 'auto_recharge';
  idempotency_key: string;
  day: string | null;
  seq: number | null;
  amount_minor: number;
  currency: string;
  status: Generated<ChargeStatus>;
  reason: string | null;
  ledger_entry_id: number | null;
  created_at: Generated<Date>;
  completed_at: Date | null;
}

export type UsageAlertKind = 'balance_below_threshold' | 'recharge_declined';

export interface UsageAlertTable {
  id: Generated<string>;
  account_id: string;
  kind: UsageAlertKind;
  balance_minor: number;
  threshold_minor: number | null;
  currency: string | null;
  message: string;
  created_at: Generated<Date>;
}

export type OutboxStatus = 'pending' | 'sent' | 'stored' | 'failed';

export interface OutboxTable {
  id: Generated<string>;
  account_id: string;
  alert_id: string | null;
  channel: 'email' | 'webhook';
  recipient: string;
  subject: string;
  body: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  response_status: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export type PaymentMethodRow = Selectable<PaymentMethodTable>;
export type UsageSettingsRow = Selectable<UsageSettingsTable>;
export type PaymentChargeRow = Selectable<PaymentChargeTable>;
export type UsageAlertRow = Selectable<UsageAlertTable>;
export type OutboxRow = Selectable<OutboxTable>;
export interface PriceListTable {
  account_id: string;
  currency: string;
  seat_price_minor: number;
  updated_at: Generated<Date>;
}

export interface SubscriptionItemTable {
  id: Generated<string>;
  account_id: string;
  kind: 'seat' | 'number';
  quantity: number;
  unit_price_minor: number;
  currency: string;
  phone_number_id: string | null;
  e164: string | null;
  started_at: Date;
  ended_at: Date | null;
}

export interface SubscriptionChargeTable {
  account_id: string;
  period: string;
  charged_at: Generated<Date>;
}

export interface NumberInventoryTable {
  e164: string;
  area_code: string;
  monthly_fee_minor: number;
  setup_fee_minor: number;
  account_id: string | null;
  phone_number_id: string | null;
  sold_at: Date | null;
  created_at: Generated<Date>;
}

export interface InvoiceTable {
  id: Generated<string>;
  account_id: string;
  period: string;
  period_start: Date;
  period_end: Date;
  currency: string;
  subtotal_minor: number;
  tax_rate_bp: number;
  tax_minor: number;
  total_minor: number;
  document: unknown;
  created_at: Generated<Date>;
}

export type PriceListRow = Selectable<PriceListTable>;
export type SubscriptionItemRow = Selectable<SubscriptionItemTable>;
export type NumberInventoryRow = Selectable<NumberInventoryTable>;
export type InvoiceRow = Selectable<InvoiceTable>;

export type ServiceRequestKind = 'porting' | 'number_removal' | 'mac_addition' | 'owner_change' | 'toll_free' | 'cancellation';
export type ServiceRequestStatus = 'open' | 'in_progress' | 'done' | 'rejected';

export interface ServiceRequestTable {
  id: Generated<string>;
  account_id: string;
  kind: ServiceRequestKind;
  status: Generated<ServiceRequestStatus>;
  details: unknown;
  secret_enc: string | null;
  filed_by_user_id: string | null;
  filed_by: string;
  assignee_user_id: Generated<string | null>;
  assignee: Generated<string | null>;
  handled_by_user_id: Generated<string | null>;
  handled_by: Generated<string | null>;
  reject_reason: Generated<string | null>;
  outcome: Generated<unknown>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  closed_at: Generated<Date | null>;
}

export interface ServiceRequestCommentTable {
  id: Generated<number>;
  request_id: string;
  author_user_id: string | null;
  author: string;
  side: 'account' | 'staff';
  body: string;
  created_at: Generated<Date>;
}

export interface PhoneModelTable {
  id: Generated<string>;
  vendor: string;
  model: string;
  name: string;
  price_minor: number;
  currency: string;
  available: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type PhoneOrderStatus = 'placed' | 'shipped' | 'delivered' | 'cancelled';

export interface PhoneOrderTable {
  id: Generated<string>;
  account_id: string;
  status: Generated<PhoneOrderStatus>;
  total_minor: number;
  currency: string;
  placed_by: string;
  handled_by: Generated<string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  shipped_at: Generated<Date | null>;
  delivered_at: Generated<Date | null>;
  cancelled_at: Generated<Date | null>;
}

export interface PhoneOrderItemTable {
  order_id: string;
  position: number;
  model_id: string;
  vendor: string;
  model: string;
  unit_price_minor: number;
  quantity: number;
  macs: Generated<string[]>;
}

export type ServiceRequestRow = Selectable<ServiceRequestTable>;
export type ServiceRequestCommentRow = Selectable<ServiceRequestCommentTable>;
export type PhoneModelRow = Selectable<PhoneModelTable>;
export type PhoneOrderRow = Selectable<PhoneOrderTable>;
export type PhoneOrderItemRow = Selectable<PhoneOrderItemTable>;
export interface ProvisioningAccountTable {
  account_id: string;
  key_hash: string;
  key_enc: string;
  allow: Generated<string[]>;
  rotated_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DeviceProvisioningTable {
  device_id: string;
  admin_password_enc: string;
  http_user: string | null;
  http_password_enc: string | null;
  language: Generated<string>;
  codecs: Generated<string[]>;
  function_keys: ColumnType<unknown, string | undefined, string>;
  line_labels: ColumnType<unknown, string | undefined, string>;
  updated_at: Generated<Date>;
}

export interface ProvisioningFetchTable {
  id: Generated<number>;
  at: Generated<Date>;
  account_id: string | null;
  device_id: string | null;
  mac: string | null;
  address: string;
  user_agent: string;
  file: string;
  result: string;
}

export interface ProvisioningMissTable {
  address: string;
  target: string;
  account_id: string | null;
  at: Generated<Date>;
}

export interface ProvisioningBanTable {
  address: string;
  account_id: string | null;
  reason: string;
  banned_until: Date;
  created_at: CreatedAt;
}

export interface ProvisioningDiscoveredTable {
  id: Generated<string>;
  account_id: string;
  mac: string;
  vendor: string;
  model: Generated<string>;
  user_agent: Generated<string>;
  address: string;
  first_seen: Generated<Date>;
  last_seen: Generated<Date>;
  dismissed_at: Date | null;
}

export interface ProvisioningUploadTable {
  id: Generated<number>;
  device_id: string;
  file: string;
  body: Buffer;
  address: string;
  at: Generated<Date>;
}

export type DeviceProvisioningRow = Selectable<DeviceProvisioningTable>;
export type ProvisioningBanRow = Selectable<ProvisioningBanTable>;
export type ProvisioningDiscoveredRow = Selectable<ProvisioningDiscoveredTable>;
