import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDeletions, ringFilesPerRecording, type BudgetFile } from './index.ts';

const file = (recordingId: string, name: string, bytes: number, startedMs: number): BudgetFile => ({
  recordingId,
  name,
  bytes,
  startedMs,
});

test('stopped recordings lose their oldest files first, across recordings, until the shares fit', () => {
  const files = [
    file('b', 'b1', 40, 20),
    file('a', 'a1', 40, 10),
    file('a', 'a2', 40, 30),
    file('b', 'b2', 40, 40),
  ];
  const plan = planDeletions(files, 100, 200);
  assert.deepEqual(
    plan.remove.map((f) => f.name),
    ['a1', 'b1'],
  );
  assert.equal(plan.fits, true);
  assert.deepEqual(planDeletions(files, 40, 200).remove, []);
  assert.equal(planDeletions(files, 201, 200).fits, false);
});

test('each recording gets a ring of at least two files, or none fits', () => {
  assert.equal(ringFilesPerRecording(2 * 2 ** 30, 100 * 2 ** 20 + 263_168, 4), 5);
  assert.equal(ringFilesPerRecording(1000, 300, 2), 0);
});
