// The fake FreeSWITCH (test/support/fake-freeswitch.ts) speaks FreeSWITCH's
// event-socket wire format byte for byte: re-framing and re-encoding every
// message of the real captures in test/fixtures/esl/ gives back the captured
// bytes. That is what lets the switch tests trust it as a protocol peer.
import { describe, expect, it } from 'vitest';
import {
  type Recording,
  eventMessage,
  eventOf,
  frame,
  header,
  parseMessages,
  recorded,
  recordedHangups,
  recordedStreams,
  urlEncode,
} from '../../support/fake-freeswitch.js';

const RECORDINGS: Recording[] = ['outbound-extension-call', 'outbound-rejected-call', 'inbound-hangup-events'];
const contentType = (lines: string[]) => lines.find((l) => l.startsWith('Content-Type: '))?.slice('Content-Type: '.length);

describe('the ESL wire format of the fake FreeSWITCH', () => {
  it.each(RECORDINGS)('frames %s into messages that re-frame to the captured bytes', (name) => {
    const { fromSwitch } = recordedStreams(name);
    const { messages, rest } = parseMessages(fromSwitch);
    expect(rest.length).toBe(0);
    expect(Buffer.concat(messages.map(frame)).equals(fromSwitch)).toBe(true);
  });

  it.each(RECORDINGS)('re-serialises every event of %s, plain or JSON, to the captured bytes', (name) => {
    const events = recorded(name).fromSwitch.filter((m) => contentType(m.lines)?.startsWith('text/event-'));
    expect(events.length).toBeGreaterThan(0);
    for (const m of events) {
      const format = contentType(m.lines) === 'text/event-json' ? 'json' : 'plain';
      expect(frame(eventMessage(eventOf(m), format)).toString()).toBe(frame(m).toString());
    }
  });

  it('url-encodes CHANNEL_DATA header values exactly as FreeSWITCH did', () => {
    const channelData = recorded('outbound-extension-call').fromSwitch[0]!;
    expect(channelData.lines).toContain('Event-Name: CHANNEL_DATA');
    for (const line of channelData.lines) {
      const [name, value] = [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)];
      expect(`${name}: ${urlEncode(decodeURIComponent(value))}`).toBe(line);
    }
  });

  it.each([
    ['+OK\n', '%2BOK%0A'],
    ['sip:alice@127.0.0.1:5060', 'sip%3Aalice%40127.0.0.1%3A5060'],
    ['Mon, 23 Nov 2026', 'Mon,%2023%20Nov%202026'],
    ['SIP/2.0/UDP', 'SIP/2.0/UDP'],
    ['café', 'caf%C3%A9'],
    ['100%25 done', '100%25%20done'],
  ])('url-encodes %j as switch_url_encode does: %s', (value, encoded) => {
    expect(urlEncode(value)).toBe(encoded);
  });

  it('finds the three recorded hangups by what distinguishes them', () => {
    const { routedCall, bridgedLeg, rejectedCall } = recordedHangups();
    expect([routedCall, bridgedLeg, rejectedCall].map((e) => header(e, 'Event-Name'))).toEqual(Array(3).fill('CHANNEL_HANGUP_COMPLETE'));
    expect(new Set([routedCall, bridgedLeg, rejectedCall].map((e) => header(e, 'Unique-ID'))).size).toBe(3);
  });
});
