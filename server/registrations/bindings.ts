// What a REGISTER asks for (RFC 3261 §10.3), decided from plain data: add or
// refresh bindings, remove them, fetch them, or refuse with the right answer.
// The registrar turns the plan into SQL; nothing here does I/O.

export interface ContactRequest {
  uri: string;
  /** the Contact's own expires parameter */
  expires?: number | undefined;
  /** +sip.instance (RFC 5626): the same device re-registering replaces its old binding */
  instanceId?: string | undefined;
  regId?: number | undefined;
}

export interface RegisterRequest {
  wildcard: boolean;
  expiresHeader?: number | undefined;
  contacts: ContactRequest[];
}

export interface ExpiryLimits {
  min: number;
  max: number;
  default: number;
  /** most bindings one subaccount may hold */
  maxBindings: number;
}

export interface BindingChange {
  uri: string;
  /** 0 removes the binding */
  expiresSeconds: number;
  instanceId: string | null;
  regId: number | null;
  /** the provisioned device this binding is, when the REGISTER tells (see macHints) */
  deviceId?: string | null;
}

export type RegisterPlan =
  | { kind: 'fetch' }
  | { kind: 'remove-all' }
  | { kind: 'too-brief'; minExpires: number }
  | { kind: 'invalid'; reason: string }
  | { kind: 'update'; changes: BindingChange[] };

export function planRegister(req: RegisterRequest, limits: ExpiryLimits): RegisterPlan {
  if (req.wildcard) {
    if (req.contacts.length > 0 || req.expiresHeader !== 0) return { kind: 'invalid', reason: 'Contact: * needs Expires: 0 and no other contact' };
    return { kind: 'remove-all' };
  }
  if (req.contacts.length === 0) return { kind: 'fetch' };
  if (req.contacts.length > limits.maxBindings) return { kind: 'invalid', reason: `at most ${limits.maxBindings} contacts` };
  const changes: BindingChange[] = [];
  for (const contact of req.contacts) {
    const asked = contact.expires ?? req.expiresHeader ?? limits.default;
    if (!Number.isInteger(asked) || asked < 0) return { kind: 'invalid', reason: 'expires must be a whole number of seconds' };
    if (asked > 0 && asked < limits.min) return { kind: 'too-brief', minExpires: limits.min };
    changes.push({
      uri: contact.uri,
      expiresSeconds: Math.min(asked, limits.max),
      instanceId: contact.instanceId ?? null,
      regId: contact.regId ?? null,
    });
  }
  return { kind: 'update', changes };
}

/** The Contact header of a 200 OK: every current binding with the seconds it has left. */
export function contactHeader(bindings: { contact: string; expires_at: Date }[], now: Date): string | undefined {
  if (bindings.length === 0) return undefined;
  return bindings
    .map((b) => `<${b.contact}>;expires=${Math.max(0, Math.round((b.expires_at.getTime() - now.getTime()) / 1000))}`)
    .join(', ');
}

/**
 * MAC addresses a REGISTER reveals: an RFC 5626 instance id built from the MAC
 * (`urn:uuid:00000000-0000-1000-8000-001565aabbcc`, as Yealink, Grandstream and
 * Polycom send it) or a MAC in the User-Agent. Used to tie a binding to a device,
 * whose line says whether it rings.
 */
export function macHints(instanceId: string | null | undefined, userAgent: string | undefined): string[] {
  const found = new Set<string>();
  const uuid = /urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})/i.exec(instanceId ?? '');
  if (uuid?.[1]) found.add(uuid[1].toLowerCase());
  for (const m of (userAgent ?? '').matchAll(/\b([0-9a-f]{2}(?:[:-]?[0-9a-f]{2}){5})\b/gi)) {
    found.add(m[1]!.replace(/[:-]/g, '').toLowerCase());
  }
  found.delete('000000000000');
  return [...found];
}

/** Where requests to a binding go: the address its REGISTER came from (NAT), as a proxy URI. */
export function sourceUri(b: { source_address: string; source_port: number; transport: string }): string {
  const host = b.source_address.includes(':') ? `[${b.source_address}]` : b.source_address;
  return `sip:${host}:${b.source_port};transport=${b.transport}`;
}
