/** Members a docker-archive names by digest are checked; a tampered copy of a real archive is refused. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { bosunError, readAll } from './testing/assertions.js';
import { openImageSource } from './index.js';

const images = path.join(sharedFixtures, 'images');
let scratch: string;
before(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'bosun-docker-archive-test-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A writable copy of a fixture, extracted by tar(1), and a function to re-tar it. */
function tamperable(fixture: string) {
  const dir = mkdtempSync(path.join(scratch, 'x-'));
  execFileSync('tar', ['-C', dir, '-xf', path.join(images, fixture)]);
  execFileSync('chmod', ['-R', 'u+w', dir]);
  const flipLastByte = (member: string) => {
    const bytes = readFileSync(path.join(dir, member));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(path.join(dir, member), bytes);
  };
  const retar = () => {
    const file = `${dir}.tar`;
    execFileSync('tar', ['-C', dir, '-cf', file, '.']);
    return file;
  };
  return { dir, flipLastByte, retar };
}

describe('docker-archive digest checks', () => {
  it('a kaniko layer named <digest>.tar.gz fails its stream once its bytes change', async () => {
    const { dir, flipLastByte, retar } = tamperable('dive-test-kaniko-image.tar');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const member: string = manifest[0].Layers[3];
    flipLastByte(member);
    const archive = retar();
    const source = await openImageSource(archive, { input: true });
    try {
      const layers = await source.layers();
      assert.equal(layers[3]!.digest, `sha256:${member.slice(0, 64)}`);
      await readAll(await layers[2]!.open()); // untouched layers still read
      await assert.rejects(readAll(await layers[3]!.open()), bosunError('badInput', archive, member));
    } finally {
      await source.close();
    }
  });

  it('a config named sha256:<digest> or <digest>.json is refused once changed', async () => {
    for (const fixture of ['ggcr-whiteout_dir.tar', 'scalibr-basic.tar']) {
      const { dir, flipLastByte } = tamperable(fixture);
      const config: string = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))[0].Config;
      flipLastByte(config);
      await assert.rejects(openImageSource(dir, { input: true }), bosunError('badInput', dir, config));
    }
  });
});
