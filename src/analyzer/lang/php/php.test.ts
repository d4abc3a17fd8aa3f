import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeBytes, analyzeFile, nameVersions } from '../test-helpers.js';
import { composerInstalledAnalyzer, composerLockAnalyzer } from './composer.js';

const testdata = path.join(import.meta.dirname, 'testdata');

describe('php composer', () => {
  it('composer.lock: packages and packages-dev, require links, licences', async () => {
    const pkgs =
      (await analyzeFile(composerLockAnalyzer, path.join(testdata, 'composer.lock'), 'composer.lock'))
        .packages ?? [];
    assert.deepEqual(nameVersions(pkgs), [
      'monolog/monolog@3.5.0',
      'phpunit/php-timer@6.0.0',
      'psr/log@3.0.0',
    ]);
    const monolog = pkgs.find((p) => p.name === 'monolog/monolog');
    assert.deepEqual(monolog?.dependsOn, ['composer:psr/log@3.0.0:composer.lock']);
    assert.equal(monolog?.purl, 'pkg:composer/monolog/monolog@3.5.0');
    assert.deepEqual(monolog?.licenses, ['MIT']);
    assert.equal(monolog?.ecosystem, 'Packagist');
    assert.equal(pkgs.find((p) => p.name === 'phpunit/php-timer')?.dev, true);
  });

  it('installed.json: Composer 1 array and Composer 2 object with dev-package-names', async () => {
    const v1 =
      (
        await analyzeFile(
          composerInstalledAnalyzer,
          path.join(testdata, 'installed-v1.json'),
          'app/vendor/composer/installed.json',
        )
      ).packages ?? [];
    assert.deepEqual(nameVersions(v1), ['symfony/polyfill-ctype@v1.28.0', 'twig/twig@v3.8.0']);
    assert.deepEqual(v1.find((p) => p.name === 'twig/twig')?.dependsOn, [
      'composer:symfony/polyfill-ctype@v1.28.0:app/vendor/composer/installed.json',
    ]);
    const v2 =
      (
        await analyzeFile(
          composerInstalledAnalyzer,
          path.join(testdata, 'installed-v2.json'),
          'vendor/composer/installed.json',
        )
      ).packages ?? [];
    assert.deepEqual(nameVersions(v2), ['phpunit/php-timer@6.0.0', 'psr/log@3.0.0']);
    assert.deepEqual(
      v2.filter((p) => p.dev).map((p) => p.name),
      ['phpunit/php-timer'],
    );
    assert.ok(v2.every((p) => p.origin === 'installed'));
    assert.ok(
      composerInstalledAnalyzer.required('app/vendor/composer/installed.json', {
        path: '',
        type: 'file',
        size: 1,
        mode: 0,
      }),
    );
    assert.ok(
      !composerInstalledAnalyzer.required('app/installed.json', { path: '', type: 'file', size: 1, mode: 0 }),
    );
  });

  it('bad input names the file', async () => {
    await assert.rejects(
      analyzeBytes(composerLockAnalyzer, 'app/composer.lock', '{"packages": ['),
      /app\/composer.lock: invalid JSON/,
    );
    await assert.rejects(
      analyzeBytes(composerInstalledAnalyzer, 'vendor/composer/installed.json', '"x"'),
      /not a composer installed.json/,
    );
  });
});
