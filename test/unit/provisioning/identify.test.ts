// Which vendor, model, firmware and MAC a provisioning request reveals, from
// real User-Agent strings and the file names each vendor asks for.
import { describe, expect, it } from 'vitest';
import { identifyRequest } from '../../../provisioning/index.js';

describe('User-Agent identification', () => {
  it.each([
    ['Yealink SIP-T46U 108.86.0.20 00:15:65:aa:bb:cc', 'yealink', 'T46U', '108.86.0.20', '001565aabbcc'],
    ['Yealink SIP-T54W 96.86.0.100 80:5e:c0:11:22:33', 'yealink', 'T54W', '96.86.0.100', '805ec0112233'],
    ['Grandstream Model HW HT802 SW 1.0.43.11 DevId c074ad112233', 'grandstream', 'HT802', '1.0.43.11', 'c074ad112233'],
    ['Grandstream Model HW HT801 V1.1A SW 1.0.17.5 DevId c074ad273a10', 'grandstream', 'HT801', '1.0.17.5', 'c074ad273a10'],
    ['Grandstream Model HW HT802V2 V1.0A SW 1.0.5.4 DevId ec74d763e419', 'grandstream', 'HT802', '1.0.5.4', 'ec74d763e419'],
    ['Grandstream Model HW GXP2160 SW 1.0.11.79 DevId 000b82aabbcc', 'grandstream', 'GXP2160', '1.0.11.79', '000b82aabbcc'],
    ['Cisco/SPA112-1.4.1(SR5)', 'cisco', 'SPA112', '1.4.1(SR5)', undefined],
    ['Linksys/SPA122-1.3.5 (SR1)', 'cisco', 'SPA122', '1.3.5(SR1)', undefined],
    ['Cisco/SPA508G-7.4.9a (0004F2E57712)(CCQ162306EA)', 'cisco', 'SPA508G', '7.4.9a', '0004f2e57712'],
    ['PolycomVVX-VVX_450-UA/6.4.3.5018', 'polycom', 'VVX450', '6.4.3.5018', undefined],
    ['FileTransport PolycomVVX-VVX_411-UA/5.9.0.9373 Type/Application', 'polycom', 'VVX411', '5.9.0.9373', undefined],
    ['OBIHAI/OBi202-3.2.2.5921', 'obihai', 'OBi202', '3.2.2.5921', undefined],
    ['Mozilla/4.0 (compatible; snom D785 10.1.73.16 000413aabbcc)', 'snom', 'D785', '10.1.73.16', '000413aabbcc'],
    ['Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)', 'snom', 'D785', '10.1.33.33', '000413922d24'],
    ['Fanvil X4U 2.12.4.7 0c383e112233', 'fanvil', 'X4U', '2.12.4.7', '0c383e112233'],
  ])('%s', (ua, vendor, model, firmware, mac) => {
    const found = identifyRequest('unknown-file.bin', ua);
    expect(found).toMatchObject({ vendor, model, firmware });
    expect(found?.userAgentMac).toBe(mac);
  });

  it('a browser or curl is no device', () => {
    expect(identifyRequest('x', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0')).toBeUndefined();
    expect(identifyRequest('x', 'curl/8.5.0')).toBeUndefined();
  });
});

describe('file names', () => {
  it.each([
    // a common file names no MAC: the User-Agent's identifies the device
    ['y000000000108.cfg', 'Yealink SIP-T46U 108.86.0.20 00:15:65:aa:bb:cc', 'yealink', '001565aabbcc'],
    ['001565AABBCC.cfg', 'Yealink SIP-T46U 108.86.0.20 00:15:65:aa:bb:cc', 'yealink', '001565aabbcc'],
    ['001565aabbcc.boot', undefined, 'yealink', '001565aabbcc'],
    ['0004f2aabbcc.cfg', 'PolycomVVX-VVX_450-UA/6.4.3.5018', 'polycom', '0004f2aabbcc'],
    ['0004f2aabbcc-callplane.cfg', undefined, 'polycom', '0004f2aabbcc'],
    ['000000000000.cfg', 'PolycomVVX-VVX_450-UA/6.4.3.5018', 'polycom', undefined],
    ['cfgc074ad112233.xml', undefined, 'grandstream', 'c074ad112233'],
    ['cfgc074ad112233', undefined, 'grandstream', 'c074ad112233'],
    ['spa0004f2aabbcc.cfg', undefined, 'cisco', '0004f2aabbcc'],
    ['obi9CADEF112233.xml', undefined, 'obihai', '9cadef112233'],
    ['snomD785-000413AABBCC.htm', undefined, 'snom', '000413aabbcc'],
    ['0c383e112233.cfg', 'Fanvil X4U 2.12.4.7 0c383e112233', 'fanvil', '0c383e112233'],
  ])('%s (UA %s) is %s, MAC %s', (name, ua, vendor, mac) => {
    const found = identifyRequest(`/p/key/${name}`, ua);
    expect(found).toMatchObject({ vendor, pathMatched: true });
    expect(found?.mac).toBe(mac);
  });

  it('a Polycom log upload is recognised as an upload, not a config file', () => {
    expect(identifyRequest('0004f2aabbcc-app.log', 'FileTransport PolycomVVX-VVX_411-UA/5.9.0.9373 Type/Application')).toMatchObject({
      vendor: 'polycom', upload: true, pathMatched: false, mac: '0004f2aabbcc',
    });
  });

  it('a file named after one MAC fetched by a device announcing another keeps both for the service to compare', () => {
    const found = identifyRequest('001565000001.cfg', 'Yealink SIP-T46U 108.86.0.20 00:15:65:aa:bb:cc');
    expect(found).toMatchObject({ mac: '001565000001', userAgentMac: '001565aabbcc' });
  });

  it('names no vendor asks for match nothing', () => {
    expect(identifyRequest('../../etc/passwd', undefined)).toBeUndefined();
    expect(identifyRequest('index.html', undefined)).toBeUndefined();
  });
});
