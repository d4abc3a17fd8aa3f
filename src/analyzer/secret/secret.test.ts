import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BosunError } from '../../core/errors.js';
import type { FileContent, FileInfo } from '../types.js';
import {
  createSecretAnalyzer,
  createSecretScanner,
  finishSecretScan,
  loadSecretConfig,
  MAX_SECRET_FILE_SIZE,
  scanImageConfig,
  secretAnalyzer,
  secretMasker,
  takeSecretSkips,
  withSecretConfig,
} from './index.js';
import { rand } from './testing.js';

const ghp = `ghp_${rand('alnum', 36)}`;
const akia = `AKIA${rand('base32', 16)}`;
const awsSecret = rand('base64', 40);

function file(
  filePath: string,
  data: Buffer | string,
  size?: number,
): { info: FileInfo; content: FileContent } {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const info: FileInfo = { path: filePath, type: 'file', size: size ?? buffer.length, mode: 0o644 };
  return {
    info,
    content: { size: info.size, buffer: async () => buffer, stream: () => Readable.from([buffer]) },
  };
}

async function analyze(filePath: string, data: Buffer | string, size?: number) {
  const { info, content } = file(filePath, data, size);
  return secretAnalyzer.analyze({ info, content, layer: { diffId: 'sha256:0', index: 0 } });
}

describe('masking', () => {
  it('masks every secret on a line in every finding of that line', () => {
    const found = createSecretScanner().scanText(`creds ${akia} ${awsSecret} ${ghp}\n`, 'x');
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ['aws-access-key-id', 'github-pat'],
    );
    for (const f of found) {
      assert.equal(f.match, `creds ${'*'.repeat(20)} ${awsSecret} ${'*'.repeat(40)}`);
    }
  });

  it('cuts a long line to a window around the secret, still masked', () => {
    const line = `${'a'.repeat(5000)} token ${ghp} ${'b'.repeat(5000)}`;
    const [found] = createSecretScanner().scanText(line, 'app.min.js');
    assert.ok(found!.match.length <= 162, `${found!.match.length}`);
    assert.match(found!.match, /^….*token \*{40} b+…$/);
    assert.ok(!found!.match.includes(ghp.slice(4)));
  });

  it('reports the 1-based line of the match, also after CRLF lines', () => {
    const [found] = createSecretScanner().scanText(`a\r\nb\r\nGITHUB_TOKEN=${ghp}\r\n`, 'x');
    assert.equal(found!.line, 3);
    assert.equal(found!.match, `GITHUB_TOKEN=${'*'.repeat(40)}`);
  });
});

describe('generic rules and placeholders', () => {
  const scanner = createSecretScanner();
  const none = [
    'password=changeme',
    'password: ${DB_PASSWORD}',
    'password = os.environ["DB_PASSWORD"]',
    'password = self.password',
    'DB_PASSWORD=<your-password>',
    'api_key: "{{ .Values.apiKey }}"',
    'token = "xxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
    'passwd: elevated-privileges 4755 root/root [usr/bin/passwd]',
    'password_file = /run/secrets/db_password',
    'secret: ****************',
    'token: %(token)s%(token)s%(token)s',
    'client_secret = get_client_secret(config)',
    'PrivateKey:  testRSAPrivateKeyForClients,',
    'password: BinaryLikeOrKeyObject, options: CipherOptions',
    'type DotDotDotToken = PunctuationToken<SyntaxKind.DotDotDotToken>;',
    'const hasExclamationToken = !!node.exclamationToken;',
    'if( nToken>FTS5_MAX_TOKEN_SIZE ) nToken = FTS5_MAX_TOKEN_SIZE;',
    'type OpeningParenToken = OpeningParenToken$1;',
  ];
  for (const line of none) {
    it(`no finding: ${line}`, () => assert.deepEqual(scanner.scanText(`${line}\n`, 'etc/app.conf'), []));
  }
  it('a generated password is found', () => {
    assert.deepEqual(
      scanner.scanText('DB_PASSWORD=Tr0ub4dor-bosun-fixture\n', 'x').map((f) => f.match),
      [`DB_PASSWORD=${'*'.repeat(23)}`],
    );
  });
});

describe('allow rules', () => {
  const scanner = createSecretScanner();
  it("AWS's documentation keys are not findings", () => {
    const text =
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
    assert.deepEqual(scanner.scanText(text, 'root/.aws/credentials'), []);
  });
  it('test data, vendored tests and CA bundles are never read; application files are', () => {
    for (const p of [
      'src/app/testdata/key.pem',
      'usr/lib/python3/dist-packages/paramiko/tests/test_rsa.key',
      'app/node_modules/jsonwebtoken/test/priv.pem',
      'etc/ssl/certs/ca-certificates.crt',
      'usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt',
      'usr/share/doc/openssh-client/examples/id_rsa',
      'usr/share/doc/python3-jwt/README.rst',
      'usr/lib/python3/dist-packages/PyJWT-2.6.0.dist-info/METADATA',
      'usr/local/go/src/crypto/tls/handshake_client_test.go',
      'app/src/auth.test.ts',
      'app/tests/test_auth.py',
      'var/lib/dpkg/status',
      'var/lib/dpkg/info/libc6:amd64.md5sums',
      'var/cache/debconf/templates.dat',
      'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages',
    ])
      assert.equal(secretAnalyzer.required(p, file(p, '').info), false, p);
  });
  it('dependency trees package managers installed are never read; the application beside them is', () => {
    for (const p of [
      'srv/webapp/node_modules/axios/lib/core/Axios.js',
      'usr/lib/node_modules/npm/lib/npm.js',
      'usr/share/nodejs/lodash/lodash.js',
      'usr/lib/python3.11/urllib/request.py',
      'usr/lib/python3/dist-packages/oauthlib/oauth1/rfc5849/__init__.py',
      'usr/local/lib/python3.12/site-packages/requests/auth.py',
      'opt/venv/lib64/python3.11/site-packages/boto3/session.py',
      'usr/lib/ruby/3.1.0/uri/generic.rb',
      'usr/share/rubygems-integration/all/specifications/rack-2.2.4.gemspec',
      'var/lib/gems/3.1.0/gems/rails-7.0.0/lib/rails.rb',
      'usr/local/lib/ruby/gems/3.2.0/gems/rack-3.0.0/lib/rack.rb',
      'app/vendor/bundle/ruby/3.2.0/gems/pg-1.5.0/lib/pg.rb',
    ])
      assert.equal(secretAnalyzer.required(p, file(p, '').info), false, p);
    for (const p of [
      'srv/webapp/config/production.json',
      'srv/webapp/.npmrc',
      'app/lib/python/settings.py',
      'usr/local/bin/deploy.py',
      'opt/app/config/secrets.yml',
      'usr/lib/systemd/system/app.service',
      'app/.env',
      'root/.aws/credentials',
      'etc/ssl/private/server.key',
      'app/test.py',
      'var/cache/debconf/passwords.dat',
      'var/lib/dpkg/info/mysql-server.postinst',
    ])
      assert.equal(secretAnalyzer.required(p, file(p, '').info), true, p);
  });
  it('binary formats known by name are not read', () => {
    for (const p of ['usr/lib/x86_64-linux-gnu/libc.so.6', 'usr/share/doc/bash/changelog.gz', 'app/x.jar'])
      assert.equal(secretAnalyzer.required(p, file(p, '').info), false, p);
    const dir: FileInfo = { path: 'app', type: 'directory', size: 0, mode: 0o755 };
    assert.equal(secretAnalyzer.required('app', dir), false);
  });
});

describe('skipped files', () => {
  it('a binary file (NUL in the first 8 KiB) is skipped and counted, even with a token in it', async () => {
    const output = await analyze(
      'usr/bin/tool',
      Buffer.concat([Buffer.from('\x7fELF\0\0'), Buffer.from(ghp)]),
    );
    assert.equal(output?.secrets, undefined);
    assert.equal(output?.errors?.length, 1);
  });
  it('a NUL after the first 8 KiB does not make a file binary', async () => {
    const text = `${'x'.repeat(9000)}\0\nGITHUB_TOKEN=${ghp}\n`;
    assert.deepEqual(
      (await analyze('app/data.txt', text))?.secrets?.map((s) => s.ruleId),
      ['github-pat'],
    );
  });
  it('a file over the size cap is skipped without being read, and counted', async () => {
    const { info, content } = file('var/big.log', '', MAX_SECRET_FILE_SIZE + 1);
    content.buffer = async () => assert.fail('read an oversized file');
    const output = await secretAnalyzer.analyze({ info, content, layer: { diffId: 'sha256:0', index: 0 } });
    assert.equal(output?.errors?.length, 1);
  });
  it('the markers become one notice and leave the real errors alone', async () => {
    const markers = [
      ...((await analyze('usr/bin/a', Buffer.from([0, 1, 2])))?.errors ?? []),
      ...((await analyze('usr/bin/b', Buffer.from([0, 1, 2])))?.errors ?? []),
      ...((await analyze('var/big', '', MAX_SECRET_FILE_SIZE + 1))?.errors ?? []),
    ];
    const real = { path: 'var/lib/dpkg/status', analyzer: 'dpkg', message: 'truncated' };
    assert.deepEqual(takeSecretSkips([...markers, real]), {
      errors: [real],
      notice: 'secret scan skipped 2 binary file(s) and 1 file(s) larger than 10 MiB',
    });
    assert.deepEqual(takeSecretSkips([real]), { errors: [real] });
  });
});

describe('image config', () => {
  it('finds secrets in ENV, labels and history once each, masked, and nothing in a clean config', () => {
    const findings = scanImageConfig({
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin', 'DB_PASSWORD=Tr0ub4dor-bosun-fixture'],
        Labels: { 'org.opencontainers.image.source': 'https://github.com/acme/app', deploy: ghp },
        Cmd: ['/bin/sh'],
      },
      history: [
        { created_by: '/bin/sh -c #(nop) ADD file:abc123 in / ' },
        { created_by: '/bin/sh -c #(nop)  ENV DB_PASSWORD=Tr0ub4dor-bosun-fixture' },
        { created_by: `|1 NPM_TOKEN=npm_${'a1B2c3D4e5'.repeat(3)}abcdef /bin/sh -c npm ci` },
      ],
    });
    assert.deepEqual(
      findings.map((f) => [f.path, f.ruleId]),
      [
        ['image config: ENV', 'generic-password'],
        ['image config: LABEL', 'github-pat'],
        ['image config: history[2]', 'npm-access-token'],
      ],
    );
    const json = JSON.stringify(findings);
    for (const raw of ['Tr0ub4dor-bosun-fixture', ghp, 'a1B2c3D4e5']) assert.ok(!json.includes(raw), raw);
    assert.deepEqual(scanImageConfig({ config: { Env: ['PATH=/usr/bin', 'LANG=C.UTF-8'] } }), []);
  });

  it('history lines shown whole are masked when the scan looks for secrets', () => {
    const line = `|1 NPM_TOKEN=npm_${'a1B2c3D4e5'.repeat(3)}abcdef /bin/sh -c npm ci`;
    assert.equal(secretMasker([secretAnalyzer])(line), `|1 NPM_TOKEN=${'*'.repeat(40)} /bin/sh -c npm ci`);
    assert.equal(secretMasker([])(line), line);
    assert.equal(secretMasker([secretAnalyzer])('/bin/sh -c apt-get update'), '/bin/sh -c apt-get update');
  });

  it('finishSecretScan adds config secrets and the notice only when the secret analyzer ran', () => {
    const artifact = { secrets: [], errors: [] };
    const config = { config: { Env: [`GITHUB_TOKEN=${ghp}`] } };
    assert.equal(finishSecretScan(artifact, config, [secretAnalyzer]).artifact.secrets.length, 1);
    assert.deepEqual(finishSecretScan(artifact, config, []), { artifact, notices: [] });
  });
});

describe('--secret-config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bosun-secret-config-'));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('custom rules, allow rules and disabled rules take effect; the cache identity changes', async () => {
    const config = await loadSecretConfig(
      write(
        'ok.yaml',
        `rules:
  - id: acme-token
    category: Acme
    title: Acme internal token
    severity: CRITICAL
    regex: 'acme_([a-z0-9]{24})'
    keywords: [ACME_]
    secret-group: 1
allow-rules:
  - id: ci-tokens
    description: the CI's throwaway token
    regex: '^ghp_0{36}$'
  - id: seeds
    description: seed data
    path: '^app/seeds/'
disable-rules: [jwt-token]
`,
      ),
    );
    const analyzer = createSecretAnalyzer(config);
    assert.notEqual(analyzer.version, secretAnalyzer.version);
    const token = `acme_${rand('hex', 24)}`;
    const jwt = `eyJhbGciOiJIUzI1NiJ9xxxxx.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${rand('urlsafe', 43)}`;
    const text = `A=${token}\nB=ghp_${'0'.repeat(36)}\nC=${jwt}\nD=${ghp}\n`;
    const found = analyzer.scanner.scanText(text, 'app/.env');
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.category, f.severity, f.line, f.match]),
      [
        ['acme-token', 'Acme', 'CRITICAL', 1, `A=acme_${'*'.repeat(24)}`],
        ['github-pat', 'GitHub', 'CRITICAL', 4, `D=${'*'.repeat(40)}`],
      ],
    );
    assert.equal(analyzer.required('app/seeds/users.sql', file('app/seeds/users.sql', '').info), false);
    // Built-in allow rules stay on unless disabled.
    const vendored = 'app/node_modules/x/config.js';
    assert.equal(analyzer.required(vendored, file(vendored, '').info), false);
    // The prefilter is case-insensitive and keeps the custom rule's true positive.
    const unfiltered = createSecretScanner(config, { prefilter: false });
    assert.deepEqual(unfiltered.scanText(text, 'app/.env'), found);
  });

  it('disable-allow-rules turns a built-in allow rule off', async () => {
    const config = await loadSecretConfig(
      write('allow.yaml', 'disable-allow-rules: [installed-dependencies]\n'),
    );
    const analyzer = createSecretAnalyzer(config);
    assert.notEqual(analyzer.version, secretAnalyzer.version);
    const vendored = 'app/node_modules/x/config.js';
    assert.equal(analyzer.required(vendored, file(vendored, '').info), true);
    assert.deepEqual(
      analyzer.scanner.scanText(`GITHUB_TOKEN=${ghp}\n`, vendored).map((f) => f.ruleId),
      ['github-pat'],
    );
    // The others still apply.
    assert.equal(analyzer.required('var/lib/dpkg/status', file('var/lib/dpkg/status', '').info), false);
  });

  it('withSecretConfig swaps the configured analyzer into a scan, and keeps the list without a file', async () => {
    const file = write('disable.yaml', 'disable-rules: [github-pat]\n');
    const list = await withSecretConfig([secretAnalyzer], file);
    assert.equal(list.length, 1);
    assert.notEqual(list[0], secretAnalyzer);
    const { info, content } = (() => {
      const buffer = Buffer.from(`GITHUB_TOKEN=${ghp}\n`);
      return {
        info: { path: 'app/.env', type: 'file' as const, size: buffer.length, mode: 0o644 },
        content: { size: buffer.length, buffer: async () => buffer, stream: () => Readable.from([buffer]) },
      };
    })();
    // With github-pat disabled, the generic rule is what finds the token.
    const output = await list[0]!.analyze({ info, content, layer: { diffId: 'sha256:0', index: 0 } });
    assert.deepEqual(
      output?.secrets?.map((f) => f.ruleId),
      ['generic-secret'],
    );
    assert.deepEqual(await withSecretConfig([secretAnalyzer], undefined), [secretAnalyzer]);
  });

  const bad: [string, string, RegExp][] = [
    ['not YAML', 'rules: [', /is not valid YAML/],
    ['a rule without title', 'rules:\n  - {id: x, severity: HIGH, regex: a}\n', /rules\.0\.title/],
    ['a bad severity', 'rules:\n  - {id: x, title: X, severity: SEVERE, regex: a}\n', /rules\.0\.severity/],
    [
      'a bad regex',
      'rules:\n  - {id: x, title: X, severity: HIGH, regex: "a("}\n',
      /rules\.0\.regex: Invalid regular expression/,
    ],
    ['a bad allow path', "allow-rules:\n  - {id: a, path: '['}\n", /allow-rules\.0\.path/],
    ['an empty allow rule', 'allow-rules:\n  - {id: a}\n', /allow-rules\.0.*regex, path or both/],
    [
      'an unknown disabled rule',
      'disable-rules: [github-pat, nope]\n',
      /disable-rules\.1: no rule has id "nope"/,
    ],
    [
      'an unknown disabled allow rule',
      'disable-allow-rules: [nope]\n',
      /disable-allow-rules\.0: no built-in allow rule has id "nope"/,
    ],
    [
      'a built-in id',
      'rules:\n  - {id: github-pat, title: X, severity: HIGH, regex: a}\n',
      /rules\.0\.id: "github-pat" is a built-in/,
    ],
    [
      'a group the regex lacks',
      'rules:\n  - {id: x, title: X, severity: HIGH, regex: a, secret-group: 2}\n',
      /rules\.0\.secret-group/,
    ],
    ['an unknown field', 'rule: []\n', /rule/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}, naming the file and the field`, async () => {
      const p = write(`${what.replace(/\W+/g, '-')}.yaml`, text);
      await assert.rejects(loadSecretConfig(p), (err: unknown) => {
        assert.ok(err instanceof BosunError);
        assert.equal(err.kind, 'config');
        assert.ok(err.message.includes(p), err.message);
        assert.match(err.message, message);
        return true;
      });
    });
  }
  it('a missing file is notFound', async () => {
    await assert.rejects(loadSecretConfig(path.join(dir, 'none.yaml')), (err: unknown) => {
      assert.ok(err instanceof BosunError && err.kind === 'notFound');
      return true;
    });
  });
  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
