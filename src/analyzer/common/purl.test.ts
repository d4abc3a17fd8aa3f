import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { langPurl, pep503Name } from './purl.js';

describe('langPurl', () => {
  it('follows each purl type’s namespace and name rules', () => {
    assert.equal(langPurl('npm', '@babel/core', '7.23.0'), 'pkg:npm/%40babel/core@7.23.0');
    assert.equal(langPurl('npm', 'lodash', '4.17.21'), 'pkg:npm/lodash@4.17.21');
    assert.equal(langPurl('pypi', 'Zope.Interface', '6.1'), 'pkg:pypi/zope-interface@6.1');
    assert.equal(
      langPurl('golang', 'github.com/foo/bar/v2', 'v2.1.0'),
      'pkg:golang/github.com/foo/bar/v2@v2.1.0',
    );
    assert.equal(langPurl('golang', 'stdlib', '1.21.3'), 'pkg:golang/stdlib@1.21.3');
    assert.equal(
      langPurl('maven', 'org.apache.commons:commons-lang3', '3.12.0'),
      'pkg:maven/org.apache.commons/commons-lang3@3.12.0',
    );
    assert.equal(langPurl('maven', 'plain-lib', '1.0'), 'pkg:maven/plain-lib@1.0');
    assert.equal(langPurl('composer', 'Monolog/Monolog', '3.5.0'), 'pkg:composer/monolog/monolog@3.5.0');
    assert.equal(langPurl('cargo', 'serde', '1.0.193'), 'pkg:cargo/serde@1.0.193');
    assert.equal(langPurl('gem', 'rails', '7.1.2'), 'pkg:gem/rails@7.1.2');
    assert.equal(langPurl('nuget', 'Newtonsoft.Json', '13.0.1'), 'pkg:nuget/Newtonsoft.Json@13.0.1');
  });

  it('pep503Name collapses runs of separators', () => {
    assert.equal(pep503Name('Foo__Bar.-baz'), 'foo-bar-baz');
  });
});
