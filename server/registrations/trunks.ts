// Trunk limits (seed 003): inbound trunks carry calls from carriers, outbound
// trunks calls to them, two-way trunks either. A call is admitted when its own
// kind has room, or when the two-way pool can absorb it.

export interface TrunkLimits {
  /** null: unlimited */
  inbound: number | null;
  outbound: number | null;
  twoWay: number | null;
}

export interface TrunkUsage {
  inbound: number;
  outbound: number;
}

export type CallDirection = 'inbound' | 'outbound';

export function trunkAdmits(limits: TrunkLimits, usage: TrunkUsage, direction: CallDirection): boolean {
  if (limits.inbound === null && limits.outbound === null && limits.twoWay === null) return true;
  const own = direction === 'inbound' ? limits.inbound : limits.outbound;
  if (own === null) return true;
  const next = { ...usage, [direction]: usage[direction] + 1 };
  const overflow = Math.max(0, next.inbound - (limits.inbound ?? Infinity)) + Math.max(0, next.outbound - (limits.outbound ?? Infinity));
  return overflow <= (limits.twoWay ?? 0);
}

/** Dialed strings that never leave the system: short extensions and network numbers. */
export function looksOnNet(dialed: string): boolean {
  return /^[0-9]{2,6}$/.test(dialed) || /^10[0-9]{6}$/.test(dialed);
}
