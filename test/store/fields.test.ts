/** The field table covers the flow record, so every field reaches the store and the queries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELDS } from '../../src/schema/fields.ts';
import { FLOW_FIELDS } from '../../src/schema/record-format.ts';
import { clickhouseDialect, duckdbDialect, STORE_COLUMNS } from '../../src/store/index.ts';

test('every output field of a flow record is in the field table, once', () => {
  const names = FIELDS.map((f) => f.name);
  assert.equal(new Set(names).size, names.length);
  for (const f of FLOW_FIELDS) assert.ok(names.includes(f), `${f} is missing from src/schema/fields.ts`);
});

test('both dialects type every stored column', () => {
  for (const c of STORE_COLUMNS) {
    assert.match(duckdbDialect.columnType(c), /^[A-Z]/, c.name);
    assert.match(clickhouseDialect.columnType(c), /^[A-Z]/, c.name);
  }
  const srcAddr = STORE_COLUMNS.find((c) => c.name === 'srcAddr')!;
  assert.equal(duckdbDialect.columnType(srcAddr), 'UHUGEINT');
  assert.equal(clickhouseDialect.columnType(srcAddr), 'Nullable(IPv6)');
  const type = STORE_COLUMNS.find((c) => c.name === 'type')!;
  assert.equal(
    clickhouseDialect.columnType(type),
    "Enum8('netflow5' = 1, 'netflow9' = 2, 'ipfix' = 3, 'sflow5' = 4, 'packets' = 5)",
  );
});
