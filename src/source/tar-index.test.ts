/** The header-only tar index against archives GNU tar writes in each of its formats. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BosunError } from '../core/errors.js';
import { TarFiles } from './image-files.js';
import { readAll } from './testing/assertions.js';

let scratch: string;
let tree: string;
const longDir = `${'d'.repeat(90)}/${'e'.repeat(90)}`;
const longName = `${longDir}/${'f'.repeat(120)}.json`;
const contents: Record<string, Buffer> = {
  'manifest.json': Buffer.from('[{"Config":"c.json"}]'),
  [longName]: Buffer.from('{"long":true}'),
  'big.bin': Buffer.alloc(70_000, 0xab),
  'empty.txt': Buffer.alloc(0),
  // Longer than the 100-byte name field: ustar splits it into its prefix field.
  [`${'p'.repeat(120)}/prefixed.txt`]: Buffer.from('prefixed'),
};

before(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'bosun-tar-index-test-'));
  tree = path.join(scratch, 'tree');
  for (const [name, data] of Object.entries(contents)) {
    mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
    writeFileSync(path.join(tree, name), data);
  }
  mkdirSync(path.join(tree, 'layer'));
  symlinkSync('../big.bin', path.join(tree, 'layer/layer.tar'));
  linkSync(path.join(tree, 'manifest.json'), path.join(tree, 'hard.json'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const read = async (files: TarFiles, name: string) => readAll(await files.open(name));

for (const format of ['gnu', 'pax', 'ustar'] as const) {
  describe(`TarFiles on a GNU tar --format=${format} archive`, () => {
    it('lists what tar -t lists and reads each member exactly', async (t) => {
      const archive = path.join(scratch, `${format}.tar`);
      const names = Object.keys(contents).concat('layer/layer.tar', 'hard.json');
      const members = format === 'ustar' ? names.filter((n) => n !== longName) : names;
      // ustar cannot hold a 120-character final component; the others can.
      execFileSync('tar', [`--format=${format}`, '-C', tree, '-cf', archive, ...members]);
      const listed = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
      const files = await TarFiles.open(archive, archive);
      t.after(() => files.close());
      assert.deepEqual(files.names.sort(), listed.sort());
      for (const name of members.filter((n) => n in contents)) {
        assert.deepEqual(await read(files, name), contents[name], name);
        assert.equal(await files.size(name), contents[name]!.length);
      }
      assert.deepEqual(await files.read('manifest.json'), contents['manifest.json']);
      // Links inside the archive resolve to their target's bytes.
      assert.deepEqual(await read(files, 'layer/layer.tar'), contents['big.bin']);
      assert.deepEqual(await read(files, './hard.json'), contents['manifest.json']);
      assert.equal(await files.has('nope'), false);
      await assert.rejects(
        files.open('nope'),
        (e: unknown) => e instanceof BosunError && e.kind === 'badInput',
      );
    });
  });
}

describe('TarFiles on damaged tars', () => {
  it('reports a corrupt header checksum as badInput naming the file', async () => {
    const archive = path.join(scratch, 'corrupt.tar');
    execFileSync('tar', ['-C', tree, '-cf', archive, 'manifest.json', 'big.bin']);
    const bytes = readFileSync(archive);
    bytes[10] = 0x41; // inside the first header's name
    writeFileSync(archive, bytes);
    await assert.rejects(
      TarFiles.open(archive, archive),
      (e: unknown) =>
        e instanceof BosunError &&
        e.kind === 'badInput' &&
        e.message.includes(archive) &&
        /checksum/.test(e.message),
    );
  });
});
