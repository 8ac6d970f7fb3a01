// Lists of IP addresses and CIDR blocks ("198.51.100.0/24", "2001:db8::1"),
// as the SIP allow list and carrier trunks give them.
import net from 'node:net';

export interface AddressList {
  has(address: string): boolean;
}

/** Most answers an address list remembers; past that it starts over (many sources cost what they cost before). */
const SEEN_MAX = 4096;

/** Throws on an entry that is not an address or CIDR block (config and API validate them first). */
export function addressList(entries: readonly string[]): AddressList {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    if (!address || net.isIP(address) === 0) throw new Error(`not an address or CIDR block: ${entry}`);
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  // the list never changes: remember answers, as the SIP edge asks about the same few sources for every request
  const seen = new Map<string, boolean>();
  return {
    has: (address) => {
      let answer = seen.get(address);
      if (answer === undefined) {
        answer = net.isIP(address) !== 0 && list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
        if (seen.size >= SEEN_MAX) seen.clear();
        seen.set(address, answer);
      }
      return answer;
    },
  };
}
