/** `flowlens user add|list` and `flowlens apikey create` (the run functions cli-main wires). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runApiKeyCreate, runUserAdd, runUserList } from '../../src/app/commands/user.ts';
import { createAuthStore } from '../../src/auth/index.ts';

function sink(): PassThrough & { text(): string } {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c: Buffer) => (text += String(c)));
  return Object.assign(s, { text: () => text });
}

test('user add (password from stdin), user list, apikey create', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-user-'));
  try {
    const config = join(dir, 'flowlens.yaml');
    writeFileSync(config, `storage:\n  path: ${join(dir, 'data')}\n`);
    const io = { stdin: Readable.from(['s3cret password\n']), stdout: sink(), stderr: sink() };
    assert.equal(await runUserAdd({ name: 'alice', role: 'admin', passwordStdin: true, config }, io), 0);
    assert.match(io.stdout.text(), /user alice added \(admin\)/);
    const file = join(dir, 'data', 'auth.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const store = createAuthStore({ file, now: Date.now });
    assert.equal((await store.verifyLogin('alice', 's3cret password'))?.role, 'admin');

    const list = { stdout: sink() };
    await runUserList({ config }, list);
    assert.equal((JSON.parse(list.stdout.text()) as { name: string }).name, 'alice');

    const keyIo = { stdout: sink(), stderr: sink() };
    await runApiKeyCreate({ role: 'viewer', config }, keyIo);
    const key = keyIo.stdout.text().trim();
    assert.equal(store.verifyKey(key)?.role, 'viewer');

    await assert.rejects(runUserAdd({ name: 'bob', role: 'boss', config }, io), /--role must be one of/);
    await assert.rejects(
      runUserAdd(
        { name: 'alice', role: 'viewer', passwordStdin: true, config },
        { ...io, stdin: Readable.from(['x\n']) },
      ),
      /exists/,
    );
    await assert.rejects(
      runUserAdd(
        { name: 'bob', role: 'viewer', passwordStdin: true, config },
        { ...io, stdin: Readable.from(['short\n']) },
      ),
      /at least 8/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
