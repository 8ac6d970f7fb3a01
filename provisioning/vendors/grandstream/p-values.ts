// Grandstream P-value numbers, per account/port. Sources: Grandstream's
// config templates as used by wazo-provd-plugins and HT80x/HT81x templates in
// other provisioning projects. UNCONFIRMED marks numbers found in one source only.
import type { Transport } from '../../contract.js';

export const GS_TRANSPORT: Record<Transport, number> = { udp: 0, tcp: 1, tls: 2 };

export interface AccountP {
  active: string;
  server: string;
  outboundProxy?: string;
  userId: string;
  authId: string;
  password: string;
  displayName: string;
  accountName?: string;
  transport?: string;
  /** Register expiration, in minutes on Grandstream. */
  expiresMinutes?: string;
  voicemail?: string;
}

/** Phone account 1, and HT80x FXS port 1. */
const ACCOUNT_1: AccountP = {
  active: 'P271', server: 'P47', outboundProxy: 'P48', userId: 'P35', authId: 'P36', password: 'P34',
  displayName: 'P3', accountName: 'P270', transport: 'P130', expiresMinutes: 'P32', voicemail: 'P33',
};

/** GXP/GRP account N ≥ 2: the block P(N+2)xx (account 2 → P401, P402 …). */
export function phoneAccount(n: number): AccountP {
  if (n === 1) return ACCOUNT_1;
  const b = `P${n + 2}`;
  return {
    active: `${b}01`, server: `${b}02`, userId: `${b}04`, authId: `${b}05`, password: `${b}06`,
    displayName: `${b}07`, accountName: `${b}17`, voicemail: `${b}26`,
    // UNCONFIRMED: SIP transport of accounts 2+ (P448, P548 …), seen in one GXP21xx template only.
    transport: `${b}48`,
  };
}

/** HT801/HT802 FXS ports: port 2 has its own, non-sequential numbers. */
export function ht80xPort(port: number): AccountP | undefined {
  if (port === 1) return { ...ACCOUNT_1, accountName: undefined };
  if (port !== 2) return undefined;
  return {
    active: 'P401', server: 'P747', outboundProxy: 'P748', userId: 'P735', authId: 'P736', password: 'P734',
    displayName: 'P703', transport: 'P830', expiresMinutes: 'P732',
  };
}

/** HT812/HT814: ports share SIP profile 1 (P47 …); per port (0-based i) user id P4060+i, auth P4090+i, password P4120+i, name P4180+i, profile P4150+i. */
export function ht81xPort(port: number): { userId: string; authId: string; password: string; name: string; profile: string } {
  const i = port - 1;
  return { userId: `P${4060 + i}`, authId: `P${4090 + i}`, password: `P${4120 + i}`, name: `P${4180 + i}`, profile: `P${4150 + i}` };
}

/** Multi-purpose keys (GXP21xx MPK): 5 P-values per key from P23000: mode, account, name, value. UNCONFIRMED for GRP. */
export function mpk(position: number): { mode: string; account: string; name: string; value: string } {
  const base = 23000 + (position - 1) * 5;
  return { mode: `P${base}`, account: `P${base + 1}`, name: `P${base + 2}`, value: `P${base + 3}` };
}

/** MPK modes: 0 speed dial, 1 BLF. */
export const MPK_MODE = { speed_dial: 0, blf: 1 } as const;
