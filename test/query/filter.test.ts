/** The filter language: parsing, errors with columns, SQL for both dialects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterError, parseFilter, renderFilter } from '../../src/query/index.ts';
import { clickhouseDialect, duckdbDialect } from '../../src/store/index.ts';

const ch = (f: string): string => renderFilter(parseFilter(f), clickhouseDialect);
const dd = (f: string): string => renderFilter(parseFilter(f), duckdbDialect);

test('the example of the issue, for ClickHouse and DuckDB', () => {
  const f = 'src 10.0.0.0/8 and dport 443 and not proto udp';
  assert.equal(
    ch(f),
    "(((`srcAddr` BETWEEN toIPv6('0:0:0:0:0:ffff:a00:0') AND toIPv6('0:0:0:0:0:ffff:aff:ffff')) AND `dstPort` = 443) " +
      'AND (NOT coalesce(`proto` = 17, FALSE)))',
  );
  assert.equal(
    dd(f),
    '((("srcAddr" BETWEEN 281470849515520::UHUGEINT AND 281470866292735::UHUGEINT) AND "dstPort" = 443) ' +
      'AND (NOT coalesce("proto" = 17, FALSE)))',
  );
});

test('either-side names, in lists, negations, strings and MACs', () => {
  assert.equal(
    ch('host 2001:db8::1'),
    "(`srcAddr` = toIPv6('2001:db8:0:0:0:0:0:1') OR `dstAddr` = toIPv6('2001:db8:0:0:0:0:0:1'))",
  );
  assert.equal(
    ch('port != 53'),
    '((`srcPort` IS NULL OR NOT (`srcPort` = 53)) AND (`dstPort` IS NULL OR NOT (`dstPort` = 53)))',
  );
  assert.equal(ch('dport in (80, 443)'), '`dstPort` IN (80, 443)');
  assert.equal(
    ch('src in (10.0.0.0/8, 192.0.2.1)'),
    "((`srcAddr` BETWEEN toIPv6('0:0:0:0:0:ffff:a00:0') AND toIPv6('0:0:0:0:0:ffff:aff:ffff')) OR `srcAddr` = toIPv6('0:0:0:0:0:ffff:c000:201'))",
  );
  assert.equal(ch('app = "it\'s\\\\"'), "`appProto` = 'it\\'s\\\\'");
  assert.equal(dd('app = "it\'s"'), `"appProto" = 'it''s'`);
  assert.equal(ch('mac 00:00:00:00:01:00'), '(`srcMac` = 256 OR `dstMac` = 256)');
  assert.equal(ch('TYPE sflow5 OR dir egress'), "(`type` = 'sflow5' OR `direction` = 'egress')");
  assert.equal(
    ch('srcAs >= 64512 and (inif 3 or outif 3)'),
    '(`srcAs` >= 64512 AND (`inIf` = 3 OR `outIf` = 3))',
  );
  assert.equal(parseFilter('  '), undefined);
  assert.equal(renderFilter(undefined, clickhouseDialect), 'TRUE');
});

test('errors name the column of the bad token', () => {
  const cases: [string, number, RegExp][] = [
    ['srcc 10.0.0.1', 1, /unknown field "srcc"/],
    ['src 10.0.0.1 and dport 99999', 24, /integer in range for dstPort/],
    ['src 10.0.0.0/33', 5, /address or CIDR/],
    ['src 10.0.0.1 or', 16, /expected a field name, found the end/],
    ['(proto tcp', 11, /expected "\)"/],
    ['proto tcp udp', 11, /expected "and", "or" or the end/],
    ['dport in (80 443)', 14, /expected "," or "\)"/],
    ['src > 10.0.0.0/8', 7, /a CIDR only takes = or !=/],
    ['type foo', 6, /one of netflow5/],
    ['app = "x', 7, /unterminated string/],
    ['dport ; 3', 7, /unexpected character/],
  ];
  for (const [f, column, message] of cases) {
    assert.throws(
      () => parseFilter(f),
      (err: unknown) => err instanceof FilterError && err.column === column && message.test(err.message),
      f,
    );
  }
});
