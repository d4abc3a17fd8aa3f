import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzers } from '../registry.js';
import { langAnalyzers } from './index.js';

describe('language analyzer registration', () => {
  it('every ecosystem folder contributes analyzers, all of them in the registry, with unique names', async () => {
    const folders = readdirSync(import.meta.dirname).filter(
      (f) => statSync(path.join(import.meta.dirname, f)).isDirectory() && f !== 'testdata',
    );
    assert.deepEqual(folders.sort(), ['dotnet', 'go', 'java', 'npm', 'php', 'python', 'ruby', 'rust']);
    for (const folder of folders) {
      const mod = (await import(`./${folder}/index.js`)) as Record<string, unknown>;
      const group = Object.values(mod).find(Array.isArray) as { name: string }[] | undefined;
      assert.ok(group && group.length > 0, folder);
      for (const a of group)
        assert.ok(langAnalyzers.includes(a as never), `${folder}: ${a.name} not in langAnalyzers`);
    }
    for (const a of langAnalyzers) assert.ok(analyzers.includes(a), `${a.name} not registered`);
    const names = langAnalyzers.map((a) => a.name);
    assert.equal(new Set(names).size, names.length);
  });
});
