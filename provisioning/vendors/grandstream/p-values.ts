// Grandstream P-value numbers, per account/port and per multi-purpose key.
// Checked against Grandstream's own config templates (the commented ones
// Grandstream publishes per firmware), cross-checked with FusionPBX:
//   [GS-GXP]  "Configuration Template For GXP2130/2135/2140/2160/2170 Firmware 1.0.11.16"
//             and "... GXP21xx Firmware 1.0.8.4", both in wazo-platform/wazo-provd-plugins
//             plugins/wazo-grandstream/docs/config-template/gxp2130_40_60_70_35_config_1.0.11.16.txt,
//             gxp21xx_config_1.0.8.6.txt (commit 36197dbd)
//   [GS-GRP]  "Configuration Template For GRP261x Firmware 1.0.5.15", same folder, grp261x_config_1.0.5.15.txt
//   [GS-HT]   ht80x_config_1.0.19.11.txt, ht81x_config_1.0.19.11.txt, same folder
//   [FPBX]    fusionpbx/fusionpbx resources/templates/provision/grandstream/gxp21xx/{$mac}.xml,
//             grp26xx/{$mac}.xml, grp2614/{$mac}.xml (pks.mpk.N ↔ P323/P301…, pks.ext.N ↔ P23000…)
import type { Transport } from '../../contract.js';

/** "SIP Transport. 0 - UDP, 1 - TCP, 2 - TLS/TCP" [GS-GXP] [GS-GRP] [GS-HT]; FPBX writes tls → 2. */
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

/** Phone account 1, and HT80x FXS port 1 [GS-GXP] [GS-GRP] [GS-HT]. */
const ACCOUNT_1: AccountP = {
  active: 'P271', server: 'P47', outboundProxy: 'P48', userId: 'P35', authId: 'P36', password: 'P34',
  displayName: 'P3', accountName: 'P270', transport: 'P130', expiresMinutes: 'P32', voicemail: 'P33',
};

/**
 * GXP21xx/GRP261x accounts 2–6 each own a block of P-values; the blocks are not
 * consecutive: accounts 5 and 6 jump to P17xx and P18xx [GS-GXP] [GS-GRP] [FPBX gxp21xx: P1701, P1748].
 */
const ACCOUNT_BLOCK: Readonly<Record<number, number>> = { 2: 4, 3: 5, 4: 6, 5: 17, 6: 18 };

/**
 * GXP/GRP account N: account 1 has its own numbers; accounts 2–6 use offsets in their block
 * (account 2: active P401, server P402, outbound proxy P403, user P404, auth P405, password P406,
 * name P407, register expiration P412, account name P417, voicemail P426, SIP transport P448).
 */
export function phoneAccount(n: number): AccountP | undefined {
  if (n === 1) return ACCOUNT_1;
  const block = ACCOUNT_BLOCK[n];
  if (block === undefined) return undefined;
  const p = (offset: number): string => `P${block * 100 + offset}`;
  return {
    active: p(1), server: p(2), outboundProxy: p(3), userId: p(4), authId: p(5), password: p(6),
    displayName: p(7), expiresMinutes: p(12), accountName: p(17), voicemail: p(26), transport: p(48),
  };
}

/** HT801/HT802 FXS ports: port 2 has its own, non-sequential numbers [GS-HT ht80x "Profile 2"]. */
export function ht80xPort(port: number): AccountP | undefined {
  if (port === 1) return { ...ACCOUNT_1, accountName: undefined };
  if (port !== 2) return undefined;
  return {
    active: 'P401', server: 'P747', outboundProxy: 'P748', userId: 'P735', authId: 'P736', password: 'P734',
    displayName: 'P703', transport: 'P830', expiresMinutes: 'P732',
  };
}

/** HT812/HT814: ports share SIP profile 1 (P47 …); per port (0-based i) user id P4060+i, auth P4090+i, password P4120+i, name P4180+i, profile P4150+i [GS-HT ht81x "FXS Ports"]. */
export function ht81xPort(port: number): { userId: string; authId: string; password: string; name: string; profile: string } {
  const i = port - 1;
  return { userId: `P${4060 + i}`, authId: `P${4090 + i}`, password: `P${4120 + i}`, name: `P${4180 + i}`, profile: `P${4150 + i}` };
}

export interface MpkP {
  mode: string;
  account: string;
  name: string;
  value: string;
}

/**
 * The phone's own multi-purpose keys, "Programmable Keys/Physical Multi-Purpose Keys"
 * [GS-GXP] (GXP2130 keys 1–8, GXP2160 1–24) and [GS-GRP] (GRP2614/2616 1–24), same numbers
 * in both. Keys 1–7 keep their mode apart from the other three (MPK 1: mode P323, account P301,
 * name P302, value P303); keys 8–18 and 19–24 are runs of four. P23000… is NOT the phone's keys:
 * it is "EXT MPK", the GXP2200EXT extension board [GS-GXP] [GS-GRP] [FPBX pks.ext.N].
 */
export function mpk(position: number): MpkP | undefined {
  if (position >= 1 && position <= 7) {
    const first = 301 + (position - 1) * 3;
    return { mode: `P${322 + position}`, account: `P${first}`, name: `P${first + 1}`, value: `P${first + 2}` };
  }
  const base = position >= 8 && position <= 18 ? 353 + (position - 8) * 4 : position >= 19 && position <= 24 ? 1440 + (position - 19) * 4 : 0;
  if (base === 0) return undefined;
  return { mode: `P${base}`, account: `P${base + 1}`, name: `P${base + 2}`, value: `P${base + 3}` };
}

/** MPK key modes: "-1 - None, 0 - Speed Dial, 1 - BLF" [GS-GXP] [GS-GRP]; account 0-based ("0 - Account 1"). */
export const MPK_MODE = { speed_dial: 0, blf: 1 } as const;
