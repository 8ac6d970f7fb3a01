// Calls that cross a carrier trunk. In: from a trunk's addresses, the dialed DID
// names the account; the account's inbound / two-way trunks must have room; the
// call goes to FreeSWITCH with the DID. Out: FreeSWITCH names the trunk in
// X-Callplane-Trunk; the edge calls the carrier and answers its digest
// challenge with the trunk's credentials.
import type { TrunkDirectory, TrunkRoute } from '../trunks/index.js';
import { callRepository } from '../registrations/index.js';
import { bridge } from './bridge.js';
import type { CallDeps, CallSrf } from './calls.js';
import { type SipRequest, type SipResponse, parseUri } from './message.js';

/** Caller-id and privacy headers FreeSWITCH sets that the carrier must see. */
const TO_CARRIER = ['Privacy', 'P-Asserted-Identity', 'Remote-Party-ID', 'Diversion', 'Session-Expires', 'Min-SE', 'Supported'];
const FROM_CARRIER = ['P-Asserted-Identity', 'Privacy', 'Diversion', 'Session-Expires', 'Min-SE', 'Supported', 'User-Agent'];

export function callFromCarrier(srf: CallSrf, deps: CallDeps) {
  const now = () => deps.now?.() ?? new Date();
  return async (req: SipRequest, res: SipResponse, trunk: TrunkRoute): Promise<void> => {
    const dialed = parseUri(req.uri)?.user ?? '';
    const number = await callRepository.numberOwner(deps.db, dialed);
    if (!number || (trunk.accountId !== null && trunk.accountId !== number.accountId)) return res.send(404, 'Not Found');
    const callId = req.get('Call-ID') ?? '';
    if (!(await callRepository.admitCall(deps.db, { callId, accountId: number.accountId, direction: 'inbound' }, now()))) {
      return res.send(503, 'Trunk Limit Reached');
    }
    const release = () => callRepository.endCall(deps.db, callId).catch(() => undefined);
    try {
      const { uas, uac } = await srf.createB2BUA(req, res, `sip:${number.e164}@${deps.switchAddress.host}:${deps.switchAddress.port}`, {
        proxyRequestHeaders: FROM_CARRIER,
        headers: { 'X-Callplane-Account': number.accountId, 'X-Callplane-Trunk': trunk.id, 'X-Callplane-Did': number.e164 },
      });
      // a carrier cannot be named as the transferor of a call: its REFERs are refused (403)
      bridge(uas, uac, () => void release(), { device: uas, transferor: null, pairs: deps.pairs });
    } catch (error) {
      await release();
      if ((error as { status?: number }).status === undefined) deps.log.warn({ err: (error as Error).message, callId }, 'inbound carrier call failed');
    }
  };
}

export function callToCarrier(srf: CallSrf, deps: CallDeps & { trunks: TrunkDirectory }) {
  return async (req: SipRequest, res: SipResponse, trunkId: string): Promise<void> => {
    const trunk = deps.trunks.get(trunkId);
    const dialed = parseUri(req.uri)?.user;
    if (!trunk?.outbound) return res.send(503, 'No Such Trunk');
    if (!dialed || !/^\+?[0-9]{2,15}$/.test(dialed)) return res.send(484, 'Address Incomplete');
    const { hostport, transport, username, password } = trunk.outbound;
    try {
      const { uas, uac } = await srf.createB2BUA(req, res, `sip:${dialed}@${hostport};transport=${transport}`, {
        proxyRequestHeaders: TO_CARRIER,
        headers: { To: `<sip:${dialed}@${hostport}>` },
        ...(username && password ? { auth: { username, password } } : {}),
      });
      bridge(uas, uac, () => undefined, { device: uac, transferor: null, pairs: deps.pairs });
    } catch (error) {
      if ((error as { status?: number }).status === undefined) deps.log.warn({ err: (error as Error).message }, 'call to carrier failed');
    }
  };
}
