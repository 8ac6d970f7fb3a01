// Call classes: what kind of destination a call reached, as routing decides it.
// A charging plan allows and prices calls per class. 'extension' (a short
// extension in the same account) and 'network' (a 10… network number anywhere
// on the system) are on-net; the rest leave through a carrier. Incoming is a
// direction, not a class: an incoming call still has the class of the far end.
import { z } from 'zod';

export const CALL_CLASSES = [
  'extension',
  'network',
  'local',
  'national',
  'mobile',
  'international',
  'toll_free',
  'premium',
] as const;
export type CallClass = (typeof CALL_CLASSES)[number];
export const callClass = z.enum(CALL_CLASSES);

export const ON_NET_CLASSES = ['extension', 'network'] as const;
export type OnNetClass = (typeof ON_NET_CLASSES)[number];

/** Classes that reach the public network through a carrier. */
export const EXTERNAL_CLASSES = ['local', 'national', 'mobile', 'international', 'toll_free', 'premium'] as const;
export type ExternalClass = (typeof EXTERNAL_CLASSES)[number];
export const externalClass = z.enum(EXTERNAL_CLASSES);

export const CALL_DIRECTIONS = ['outgoing', 'incoming'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export function isOnNet(cls: CallClass): cls is OnNetClass {
  return cls === 'extension' || cls === 'network';
}
