// A sip.js softphone over WebSocket, running in Node: sip.js's own UserAgent,
// Registerer, Inviter and Invitation, with a session-description handler that
// offers and answers a fixed audio SDP (Node has no WebRTC; the edge only
// relays SDP, so signalling is what is tested).
import { Invitation, Inviter, Registerer, RegistererState, SessionState, UserAgent } from 'sip.js';
import type { Session, SessionDescriptionHandler } from 'sip.js';
import WebSocket from 'ws';

(globalThis as unknown as { WebSocket: unknown }).WebSocket ??= WebSocket;

const SDP = ['v=0', 'o=sipjs 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 41000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');

const fixedSdp = (): SessionDescriptionHandler => ({
  close: () => undefined,
  getDescription: async () => ({ body: SDP, contentType: 'application/sdp' }),
  hasDescription: (contentType) => contentType === 'application/sdp',
  setDescription: async () => undefined,
  sendDtmf: () => false,
});

export class SipJsPhone {
  readonly ua: UserAgent;
  readonly calls: Session[] = [];
  private registerer: Registerer | undefined;

  constructor(opts: { server: string; user: string; realm: string; password: string }) {
    this.ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:${opts.user}@${opts.realm}`),
      authorizationUsername: opts.user,
      authorizationPassword: opts.password,
      transportOptions: { server: opts.server },
      sessionDescriptionHandlerFactory: fixedSdp,
      logLevel: (process.env.SIPJS_LOG as 'error' | undefined) ?? 'error',
      userAgentString: 'callplane-e2e sip.js',
      delegate: {
        onInvite: (invitation: Invitation) => {
          this.calls.push(invitation);
          void invitation.accept();
        },
      },
    });
  }

  async register(): Promise<void> {
    await this.ua.start();
    this.registerer = new Registerer(this.ua, { expires: 600 });
    const registered = new Promise<void>((resolve, reject) => {
      this.registerer!.stateChange.addListener((state) => {
        if (state === RegistererState.Registered) resolve();
        if (state === RegistererState.Terminated) reject(new Error('registration terminated'));
      });
    });
    await this.registerer.register();
    await registered;
  }

  /** Calls `target` (a user at the realm) and resolves once it is answered. */
  async call(target: string, realm: string): Promise<Inviter> {
    const inviter = new Inviter(this.ua, UserAgent.makeURI(`sip:${target}@${realm}`)!);
    const established = new Promise<void>((resolve, reject) => {
      inviter.stateChange.addListener((state) => {
        if (state === SessionState.Established) resolve();
        if (state === SessionState.Terminated) reject(new Error('call ended before it was answered'));
      });
    });
    await inviter.invite();
    await established;
    return inviter;
  }

  async stop(): Promise<void> {
    await this.ua.stop();
  }
}
