// IANA zones converted into every vendor's form, checked against the tz
// database's own rules for the zones the product's customers live in.
import { describe, expect, it } from 'vitest';
import { offsetMinutesAt, posixTz, zoneRules } from '../../../provisioning/index.js';
import { ciscoTime } from '../../../provisioning/vendors/cisco/index.js';
import { fanvilTime } from '../../../provisioning/vendors/fanvil/index.js';
import { grandstreamTimeZone } from '../../../provisioning/vendors/grandstream/index.js';
import { polycomTime } from '../../../provisioning/vendors/polycom/index.js';
import { snomTime } from '../../../provisioning/vendors/snom/index.js';
import { yealinkTime } from '../../../provisioning/vendors/yealink/index.js';

const YEAR = 2025;

describe('zone rules from Intl', () => {
  it.each([
    ['Europe/Berlin', 60, 'CET-1CEST,M3.5.0,M10.5.0/3', 'CET-1CEST-2,M3.5.0/02:00:00,M10.5.0/03:00:00'],
    ['America/New_York', -300, 'EST5EDT,M3.2.0,M11.1.0', 'EST5EDT4,M3.2.0/02:00:00,M11.1.0/02:00:00'],
    ['Asia/Kolkata', 330, 'IST-5:30', 'IST-5:30'],
    ['Australia/Sydney', 600, 'AEST-10AEDT,M10.1.0,M4.1.0/3', 'AEST-10AEDT-11,M10.1.0/02:00:00,M4.1.0/03:00:00'],
    ['UTC', 0, 'UTC0', 'UTC0'],
  ])('%s: standard offset %i, POSIX %s', (zone, offset, short, full) => {
    const rules = zoneRules(zone, YEAR);
    expect(rules.standardOffsetMinutes).toBe(offset);
    expect(posixTz(rules)).toBe(short);
    expect(posixTz(rules, 'full')).toBe(full);
  });

  it('Sydney keeps summer time over the new year: it starts in October and ends in April', () => {
    const dst = zoneRules('Australia/Sydney', YEAR).dst!;
    expect([dst.start.month, dst.start.week, dst.start.weekday, dst.start.minutes]).toEqual([10, 1, 0, 120]);
    expect([dst.end.month, dst.end.week, dst.end.weekday, dst.end.minutes]).toEqual([4, 1, 0, 180]);
    expect(offsetMinutesAt('Australia/Sydney', new Date('2025-01-15T00:00:00Z'))).toBe(660);
    expect(offsetMinutesAt('Australia/Sydney', new Date('2025-07-15T00:00:00Z'))).toBe(600);
  });

  it('Berlin changes on the last Sunday of March (day 30 in 2025) and of October (day 26)', () => {
    const dst = zoneRules('Europe/Berlin', YEAR).dst!;
    expect(dst.start).toEqual({ month: 3, week: 5, weekday: 0, day: 30, minutes: 120 });
    expect(dst.end).toEqual({ month: 10, week: 5, weekday: 0, day: 26, minutes: 180 });
    expect(dst.saveMinutes).toBe(60);
  });

  it('Kolkata and UTC have no DST', () => {
    expect(zoneRules('Asia/Kolkata', YEAR).dst).toBeUndefined();
    expect(zoneRules('UTC', YEAR).dst).toBeUndefined();
  });

  it('an unknown zone is refused', () => {
    expect(() => zoneRules('Mars/Olympus_Mons', YEAR)).toThrow(RangeError);
  });
});

describe("each vendor's time zone form", () => {
  it('Yealink: named zone with automatic DST, explicit rules where it has no name', () => {
    expect(Object.fromEntries(yealinkTime('Europe/Berlin', YEAR))).toEqual({ 'local_time.time_zone': '+1', 'local_time.time_zone_name': 'Germany(Berlin)', 'local_time.summer_time': 2 });
    expect(Object.fromEntries(yealinkTime('Asia/Kolkata', YEAR))).toMatchObject({ 'local_time.time_zone': '+5:30', 'local_time.summer_time': 0 });
    expect(Object.fromEntries(yealinkTime('Australia/Sydney', YEAR))).toEqual({
      'local_time.time_zone': '+10', 'local_time.summer_time': 1, 'local_time.dst_time_type': 1,
      'local_time.start_time': '10/1/7/2', 'local_time.end_time': '4/1/7/3', 'local_time.offset_time': 60,
    });
    expect(Object.fromEntries(yealinkTime('UTC', YEAR))).toEqual({ 'local_time.time_zone': '+0', 'local_time.summer_time': 0 });
  });

  it('Poly: GMT offset in seconds and a second-Sunday / last-Sunday rule', () => {
    const ny = polycomTime('America/New_York', YEAR, 'ntp');
    expect(ny).toMatchObject({ 'tcpIpApp.sntp.gmtOffset': -18_000, 'tcpIpApp.sntp.daylightSavings.start.date': 8, 'tcpIpApp.sntp.daylightSavings.start.dayOfWeek': 1, 'tcpIpApp.sntp.daylightSavings.stop.month': 11 });
    expect(polycomTime('Asia/Kolkata', YEAR, 'ntp')).toMatchObject({ 'tcpIpApp.sntp.gmtOffset': 19_800, 'tcpIpApp.sntp.daylightSavings.enable': 0 });
    expect(polycomTime('Europe/Berlin', YEAR, 'ntp')).toMatchObject({ 'tcpIpApp.sntp.daylightSavings.start.dayOfWeek.lastInMonth': 1, 'tcpIpApp.sntp.daylightSavings.stop.time': 3 });
  });

  it.each([
    ['Europe/Berlin', 'GMT+01:00', 'start=3/-1/7/2;end=10/-1/7/3;save=1'],
    ['America/New_York', 'GMT-05:00', 'start=3/8/7/2;end=11/1/7/2;save=1'],
    ['Australia/Sydney', 'GMT+10:00', 'start=10/1/7/2;end=4/1/7/3;save=1'],
  ])('Cisco SPA %s: %s %s', (zone, tz, rule) => {
    expect(Object.fromEntries(ciscoTime(zone, YEAR))).toEqual({ Time_Zone: tz, Daylight_Saving_Time_Enable: 'Yes', Daylight_Saving_Time_Rule: rule });
  });

  it('Cisco SPA without DST: Kolkata GMT+05:30, UTC plain GMT', () => {
    expect(Object.fromEntries(ciscoTime('Asia/Kolkata', YEAR))).toEqual({ Time_Zone: 'GMT+05:30', Daylight_Saving_Time_Enable: 'No' });
    expect(Object.fromEntries(ciscoTime('UTC', YEAR))).toEqual({ Time_Zone: 'GMT', Daylight_Saving_Time_Enable: 'No' });
  });

  it('Grandstream P64 is the full POSIX string', () => {
    expect(grandstreamTimeZone('America/New_York', YEAR)).toBe('EST5EDT4,M3.2.0/02:00:00,M11.1.0/02:00:00');
  });

  it('Snom: named zones where snom has them, offset and rule otherwise', () => {
    expect(snomTime('Europe/Berlin', YEAR)).toEqual([['timezone', 'GER+1']]);
    expect(snomTime('Asia/Kolkata', YEAR)).toEqual([['timezone', 'IND+5.5']]);
    expect(snomTime('Australia/Sydney', YEAR)).toEqual([['timezone', ''], ['utc_offset', 36_000], ['dst', '3600 10.01.07 02:00:00 04.01.07 03:00:00']]);
    expect(snomTime('UTC', YEAR)).toEqual([['timezone', ''], ['utc_offset', 0], ['dst', '']]);
  });

  it('Fanvil: quarter hours east of UTC, with its UTC±h name', () => {
    expect(Object.fromEntries(fanvilTime('Asia/Kolkata', YEAR))).toEqual({ 'Time Zone': 22, 'Time Zone Name': 'UTC+5:30', 'Enable DST': 0 });
    expect(Object.fromEntries(fanvilTime('Europe/Berlin', YEAR))).toMatchObject({ 'Time Zone': 4, 'DST Start Week': -1, 'DST End Hour': 3 });
  });
});
