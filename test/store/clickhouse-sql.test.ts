/** ClickHouse SQL without a server: capabilities by version, DDL for 18.16 and 24.x, old-server rewriting, TSV. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilitiesOf, createClickhouseDialect, createClickhouseSchema } from '../../src/store/index.ts';
import { adaptSql, inlineCte, replaceBooleans } from '../../src/store/clickhouse/compat.ts';
import { parseTsvLine } from '../../src/store/clickhouse/tsv.ts';
import { fieldToJs } from '../../src/store/clickhouse/runner.ts';
import { partitionEndMs } from '../../src/store/clickhouse/retention.ts';

const TTL = { raw: 259_200, rollups: { flows_1m: 2_592_000, flows_1h: 34_560_000 } };
const OLD = capabilitiesOf('18.16.1');
const NEW = capabilitiesOf('24.8.4.13');

test('capabilities follow the version', () => {
  assert.deepEqual(
    { ...OLD, version: undefined },
    {
      version: undefined,
      ttl: false,
      lowCardinality: false,
      ipv6Type: false,
      dateTime64: false,
      cteSubquery: false,
      boolLiterals: false,
    },
  );
  assert.ok(Object.entries(NEW).every(([k, v]) => k === 'version' || v === true));
  assert.equal(capabilitiesOf('19.6.2').ttl, true);
  assert.equal(capabilitiesOf('19.5.9').ttl, false);
  assert.throws(() => capabilitiesOf('unknown'), /unrecognised/);
});

test('raw table DDL on 18.16: FixedString addresses, plain strings, no TTL', () => {
  const [raw, r1m, , mv1m] = createClickhouseSchema('flowlens', OLD, TTL).createAll();
  assert.match(
    raw!,
    /^CREATE TABLE IF NOT EXISTS `flowlens`\.`flows` \(`time` UInt64, `type` Enum8\('netflow5' = 1, /,
  );
  assert.match(raw!, /`exporter` String, `observationDomain` Nullable\(UInt32\)/);
  assert.match(raw!, /`srcAddr` Nullable\(FixedString\(16\)\)/);
  assert.match(raw!, /`tunnelType` Nullable\(String\)/);
  assert.match(raw!, /`mplsLabels` Array\(UInt32\)/);
  assert.match(raw!, /`timeUtc` DateTime\('UTC'\) ALIAS toDateTime\(intDiv\(`time`, 1000\), 'UTC'\)\)/);
  assert.ok(
    raw!.endsWith(
      "ENGINE = MergeTree PARTITION BY toYYYYMMDD(toDateTime(intDiv(`time`, 1000), 'UTC')) " +
        'ORDER BY (intDiv(`time`, 3600000), `exporter`, `time`) SETTINGS index_granularity = 8192',
    ),
  );
  assert.doesNotMatch(raw!, /TTL|LowCardinality|IPv6 /);
  assert.match(r1m!, /ENGINE = SummingMergeTree\(\(`bytes`, `packets`, `flows`\)\) PARTITION BY toYYYYMMDD/);
  assert.match(
    r1m!,
    /PRIMARY KEY \(`time`, `type`, `exporter`\) ORDER BY \(`time`, `type`, `exporter`, assumeNotNull\(`proto`\), isNull\(`proto`\), /,
  );
  assert.ok(
    mv1m!.startsWith(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS `flowlens`.`flows_1m_mv` TO `flowlens`.`flows_1m` AS SELECT ' +
        'intDiv(`time`, 60000) * 60000 AS `time`, `type`, `exporter`, `proto`, `inIf`, `outIf`, `direction`, `srcAs`, ',
    ),
  );
  assert.match(
    mv1m!,
    /sum\(`bytes` \* coalesce\(`samplingRate`, 1\)\) AS `bytes`, .* count\(\) AS `flows` FROM `flowlens`\.`flows` GROUP BY `time`, `type`/,
  );
});

test('DDL on 24.x: IPv6, LowCardinality, DateTime64 alias and TTLs', () => {
  const s = createClickhouseSchema('flowlens', NEW, TTL);
  const [raw, r1m, r1h] = s.createAll();
  assert.match(raw!, /`exporter` LowCardinality\(String\), /);
  assert.match(raw!, /`srcAddr` Nullable\(IPv6\)/);
  assert.match(raw!, /`tunnelType` LowCardinality\(Nullable\(String\)\)/);
  assert.match(raw!, /`timeUtc` DateTime64\(3, 'UTC'\) ALIAS toDateTime64\(`time` \/ 1000, 3, 'UTC'\)/);
  assert.match(raw!, / TTL toDateTime\(intDiv\(`time`, 1000\), 'UTC'\) \+ INTERVAL 259200 SECOND SETTINGS/);
  assert.match(r1m!, / TTL toDateTime\(intDiv\(`time`, 1000\), 'UTC'\) \+ INTERVAL 2592000 SECOND$/);
  assert.match(r1h!, /PARTITION BY toYYYYMM\(/);
  assert.equal(
    s.modifyTtl('flows_1h'),
    "ALTER TABLE `flowlens`.`flows_1h` MODIFY TTL toDateTime(intDiv(`time`, 1000), 'UTC') + INTERVAL 34560000 SECOND",
  );
  assert.equal(s.createDatabase(), 'CREATE DATABASE IF NOT EXISTS `flowlens`');
});

test('literals and p95 by version', () => {
  const ip = 0xffff0a000001n;
  assert.equal(createClickhouseDialect(OLD).literal('ip', ip), "IPv6StringToNum('0:0:0:0:0:ffff:a00:1')");
  assert.equal(createClickhouseDialect(NEW).literal('ip', ip), "toIPv6('0:0:0:0:0:ffff:a00:1')");
  const d = createClickhouseDialect(OLD);
  assert.equal(d.time(1_704_067_200_000), '1704067200000');
  assert.equal(d.bucketMs('`time`', 60_000), 'intDiv(`time`, 60000) * 60000');
  assert.match(
    d.quantile('v', 0.95),
    /^\(arrayElement\(arraySort\(groupArray\(v\)\), toUInt64\(floor\(\(\(length/,
  );
  assert.throws(() => d.quantile('v', 2), /out of 0\.\.1/);
  assert.equal(d.string("it's \\"), "'it\\'s \\\\'");
});

test('old servers: TRUE/FALSE and a leading CTE are rewritten, strings never', () => {
  assert.equal(
    replaceBooleans("SELECT 1 WHERE TRUE AND (NOT coalesce(`a` = 'TRUE', FALSE)) AND t.true"),
    "SELECT 1 WHERE 1 AND (NOT coalesce(`a` = 'TRUE', 0)) AND t.true",
  );
  assert.equal(
    inlineCte(
      'WITH b AS (SELECT `x` AS `k0`, sum(y) AS v FROM `flows` WHERE (1) GROUP BY `k0`) SELECT `k0`, sum(v) FROM b GROUP BY `k0`',
    ),
    'SELECT `k0`, sum(v) FROM (SELECT `x` AS `k0`, sum(y) AS v FROM `flows` WHERE (1) GROUP BY `k0`) AS b GROUP BY `k0`',
  );
  assert.equal(inlineCte('WITH 1 AS x SELECT x'), 'WITH 1 AS x SELECT x');
  assert.equal(adaptSql('SELECT TRUE', NEW), 'SELECT TRUE');
  assert.equal(adaptSql("SELECT 'it\\'s TRUE' WHERE TRUE", OLD), "SELECT 'it\\'s TRUE' WHERE 1");
});

test('TSV fields: escapes, NULL, FixedString addresses, IPv6 text, lists', () => {
  const line = Buffer.from('a\\tb\\\\c\t\\N\t\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\xff\\xff\n\\0\\0\\1\t[1,2]');
  const f = parseTsvLine(line);
  assert.equal(f[0]!.toString(), 'a\tb\\c');
  assert.equal(f[1], null);
  // 16 raw bytes: ::ffff:10.0.0.1 with an escaped newline (0x0a) among them.
  const raw = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x0a, 0, 0, 1]);
  assert.equal(fieldToJs('ip', 'FixedString(16)', raw), '10.0.0.1');
  assert.equal(fieldToJs('ip', 'Nullable(IPv6)', Buffer.from('::ffff:10.0.0.1')), '10.0.0.1');
  assert.equal(fieldToJs('ip', 'IPv6', Buffer.from('2001:db8::1')), '2001:db8::1');
  assert.deepEqual(fieldToJs('u32list', 'Array(UInt32)', f[3]!), [1, 2]);
  assert.equal(fieldToJs('u32list', 'Array(UInt32)', Buffer.from('[]')), undefined);
  assert.equal(fieldToJs('mac', 'Nullable(UInt64)', Buffer.from('73588229205')), '00:11:22:33:44:55');
});

test('partition ends: UTC days and months', () => {
  assert.equal(partitionEndMs('20240131'), Date.UTC(2024, 1, 1));
  assert.equal(partitionEndMs('202412'), Date.UTC(2025, 0, 1));
  assert.equal(partitionEndMs('all'), undefined);
});
