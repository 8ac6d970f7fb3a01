// Lists of IP addresses and CIDR blocks ("198.51.100.0/24", "2001:db8::1"),
// as the SIP allow list and carrier trunks give them.
import net from 'node:net';

export interface AddressList {
  has(address: string): boolean;
}

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
  return {
    has: (address) => net.isIP(address) !== 0 && list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4'),
  };
}
