// The checks every provisioning request passes before anything is served, as
// one pure decision over what the single lookup found. Every refusal looks the
// same to the requester (one 404); `reason` is for the audit and `miss` for the
// ban counter. A MAC is not a secret: the key, the account it belongs to, the
// User-Agent's MAC and the account's allow list all have to agree.
import type { IdentifiedRequest } from './vendors.js';

export type RefuseReason =
  | 'banned'
  | 'unknown_file'
  | 'bad_key'
  | 'unknown_mac'
  | 'other_account'
  | 'ua_mismatch'
  | 'vendor_mismatch'
  | 'not_allowed';

export interface GateInput {
  banned: boolean;
  identified: IdentifiedRequest | undefined;
  /** the account whose key the request presented, when the key is right */
  keyAccount: { id: string; allow: string[] } | undefined;
  /** the device the MAC names, in any account */
  device: { id: string; accountId: string; vendor: string; allow: string[] } | undefined;
  /** true when the presented key is the device's account's key (constant-time compare) */
  keyMatchesDevice: boolean;
  /** whether the address is in an allow list */
  allowed: (list: string[]) => boolean;
}

export type Decision =
  | { kind: 'refuse'; reason: RefuseReason; miss: boolean; accountId?: string; deviceId?: string; discovered?: boolean }
  | { kind: 'common'; accountId: string }
  | { kind: 'device'; accountId: string; deviceId: string };

export function decide(input: GateInput): Decision {
  const { identified, keyAccount, device } = input;
  if (input.banned) return { kind: 'refuse', reason: 'banned', miss: false };
  if (!identified) return { kind: 'refuse', reason: 'unknown_file', miss: true };
  const { mac, userAgentMac } = identified;
  if (mac && userAgentMac && mac !== userAgentMac) return { kind: 'refuse', reason: 'ua_mismatch', miss: true };
  if (!mac && !userAgentMac) {
    if (!keyAccount) return { kind: 'refuse', reason: 'bad_key', miss: true };
    if (!listAdmits(keyAccount.allow, input)) return refuse('not_allowed', keyAccount.id);
    return { kind: 'common', accountId: keyAccount.id };
  }
  if (!device) {
    if (!keyAccount) return { kind: 'refuse', reason: 'bad_key', miss: true };
    if (!listAdmits(keyAccount.allow, input)) return refuse('not_allowed', keyAccount.id);
    return { kind: 'refuse', reason: 'unknown_mac', miss: true, accountId: keyAccount.id, discovered: true };
  }
  if (!input.keyMatchesDevice) {
    return keyAccount ? refuse('other_account', keyAccount.id) : { kind: 'refuse', reason: 'bad_key', miss: true };
  }
  if (!listAdmits(device.allow, input)) return refuse('not_allowed', device.accountId, device.id);
  if (identified.module.vendor !== device.vendor) return refuse('vendor_mismatch', device.accountId, device.id);
  return { kind: 'device', accountId: device.accountId, deviceId: device.id };
}

const listAdmits = (list: string[], input: GateInput) => list.length === 0 || input.allowed(list);

function refuse(reason: RefuseReason, accountId: string, deviceId?: string): Decision {
  return deviceId ? { kind: 'refuse', reason, miss: true, accountId, deviceId } : { kind: 'refuse', reason, miss: true, accountId };
}
