import { describe, expect, it } from 'vitest';
import { type AddressCategory, classifyAddress, isPublicAddress } from './address-classifier.js';
import { inPrefix, parseIPv6, stripZone } from './ip-address.js';

const NOT_PUBLIC: [string, AddressCategory][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.1.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['0.1.2.3', 'reserved'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['2001:db8::1', 'documentation'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456::1', 'unique-local'],
  ['169.254.169.254', 'cloud-metadata'],
  ['169.254.170.2', 'cloud-metadata'],
  ['100.100.100.200', 'cloud-metadata'],
  ['fd00:ec2::254', 'cloud-metadata'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:a9fe:a9fe', 'cloud-metadata'],
  ['::127.0.0.1', 'loopback'],
  ['::7f00:1', 'loopback'],
  ['::8.8.8.8', 'reserved'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b:1::1', 'reserved'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:c0a8:101::1', 'private'],
  ['2001::1', 'reserved'],
  ['2001:0:4136:e378::1', 'reserved'],
  ['100::1', 'reserved'],
  ['fec0::1', 'reserved'],
  ['3fff::1', 'documentation'],
  ['4000::1', 'reserved'],
  ['1234::1', 'reserved'],
  ['example.com', 'invalid'],
  ['', 'invalid'],
  ['2130706433', 'invalid'],
  ['127.1', 'invalid'],
  ['1.2.3.4.5', 'invalid'],
];

const PUBLIC = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '172.15.255.255',
  '172.32.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '192.169.0.1',
  '169.255.0.1',
  '223.255.255.255',
  '2606:2800:220:1:248:1893:25c8:1946',
  '2a00:1450:4007:80e::200e',
  '::ffff:93.184.216.34',
  '64:ff9b::8.8.8.8',
  '2002:808:808::1',
];

describe('classifyAddress', () => {
  it.each(NOT_PUBLIC)('refuses %s as %s', (address, category) => {
    const verdict = classifyAddress(address);

    expect(verdict).toMatchObject({ address, public: false, category });
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(PUBLIC)('accepts %s as public', (address) => {
    expect(classifyAddress(address)).toMatchObject({ public: true, category: 'public' });
    expect(isPublicAddress(address)).toBe(true);
  });

  it('names the embedded IPv4 address and its range in the reason', () => {
    expect(classifyAddress('::ffff:7f00:1').reason).toBe(
      'IPv4-mapped form of 127.0.0.1: loopback (127.0.0.0/8)',
    );
    expect(classifyAddress('64:ff9b::a00:1').reason).toContain('NAT64 form of 10.0.0.1');
    expect(classifyAddress('::8.8.8.8').reason).toBe('deprecated IPv4-compatible form of 8.8.8.8');
    expect(classifyAddress('169.254.169.254').reason).toContain('cloud metadata');
  });
});

describe('ip-address helpers', () => {
  it('expands :: and trailing dotted IPv4 into sixteen bytes', () => {
    expect(parseIPv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(parseIPv6('fe80::')?.slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(parseIPv6('not-an-address')).toBeUndefined();
  });

  it('strips brackets and zone ids', () => {
    expect(stripZone('[::1]')).toBe('::1');
    expect(stripZone('fe80::1%eth0')).toBe('fe80::1');
  });

  it('compares prefixes bit by bit, not byte by byte', () => {
    expect(inPrefix([172, 31, 0, 0], [172, 16, 0, 0], 12)).toBe(true);
    expect(inPrefix([172, 32, 0, 0], [172, 16, 0, 0], 12)).toBe(false);
  });
});
