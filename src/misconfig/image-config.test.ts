import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageConfig } from '../core/image.js';
import type { FileInfo } from '../analyzer/types.js';
import { checkImageConfig, isRootUser } from './image-config.js';
import { imageFilesAnalyzer } from './image-files.js';

/** A config that passes every check; each test breaks one thing. */
function clean(): ImageConfig {
  return {
    config: {
      User: 'app',
      Env: ['PATH=/usr/bin', 'DB_PASSWORD_FILE=/run/secrets/db', 'API_TOKEN=${TOKEN}', 'PASSWORD='],
      ExposedPorts: { '8080/tcp': {} },
      Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/'] },
    },
    history: [
      { created_by: '/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*' },
      { created_by: '/bin/sh -c #(nop) ADD file:0123 in / ' },
      { created_by: 'COPY app /app # buildkit' },
    ],
  };
}

function ids(config: ImageConfig): string[] {
  return checkImageConfig(config).map((m) => m.id);
}

describe('checkImageConfig', () => {
  it('a well-built image has no findings', () => {
    assert.deepEqual(checkImageConfig(clean()), []);
  });

  it('root user: no USER, root, 0, root:group; an unprivileged uid passes', () => {
    for (const user of [undefined, '', 'root', '0', '0:0', 'root:wheel']) {
      const c = clean();
      c.config!.User = user;
      assert.deepEqual(ids(c), ['BOSUN-IMG-001'], String(user));
    }
    assert.equal(isRootUser('1000:0'), false);
    assert.equal(
      checkImageConfig({ ...clean(), config: { ...clean().config, User: '' } })[0]!.controls?.[0],
      'CIS-DI-4.1',
    );
  });

  it('sensitive ports: 22, 2375/tcp and a range covering 3389; 8080 passes', () => {
    const c = clean();
    c.config!.ExposedPorts = { '22/tcp': {}, '2375': {}, '3000-4000/tcp': {}, '8443/tcp': {} };
    const found = checkImageConfig(c);
    assert.deepEqual(found.map((m) => m.message).sort(), [
      'Port 22/tcp (SSH) is exposed',
      'Port 2375 (Docker API (plain)) is exposed',
      'Port 3000-4000/tcp (RDP) is exposed',
    ]);
  });

  it('healthcheck: missing or NONE', () => {
    const c = clean();
    delete c.config!.Healthcheck;
    assert.deepEqual(ids(c), ['BOSUN-IMG-003']);
    c.config!.Healthcheck = { Test: ['NONE'] };
    assert.match(checkImageConfig(c)[0]!.message, /NONE disables/);
  });

  it('secret-looking ENV with a literal value; _FILE names, references and empty values pass', () => {
    const c = clean();
    c.config!.Env = [
      ...c.config!.Env!,
      'DB_PASSWORD=hunter2',
      'AWS_SECRET_ACCESS_KEY=abc',
      'GITHUB_TOKEN="x"',
    ];
    assert.deepEqual(
      checkImageConfig(c).map((m) => m.message),
      [
        'ENV DB_PASSWORD holds a value that looks like a credential',
        'ENV AWS_SECRET_ACCESS_KEY holds a value that looks like a credential',
        'ENV GITHUB_TOKEN holds a value that looks like a credential',
      ],
    );
  });

  it('apt-get update alone in a RUN, in classic, build-arg and BuildKit spellings', () => {
    for (const createdBy of [
      '/bin/sh -c apt-get update',
      '|1 VERSION=2 /bin/sh -c apt-get -qq update && echo done',
      'RUN /bin/sh -c apt update # buildkit',
    ]) {
      const c = clean();
      c.history = [{ created_by: createdBy }];
      assert.deepEqual(ids(c), ['BOSUN-IMG-005'], createdBy);
    }
    const c = clean();
    c.history = [{ created_by: '/bin/sh -c #(nop)  CMD ["apt-get update"]' }];
    assert.deepEqual(ids(c), []);
  });

  it('ADD from a URL, classic and BuildKit; ADD of a local file passes', () => {
    const c = clean();
    c.history = [
      { created_by: 'ADD https://example.com/tool.tgz /opt/ # buildkit' },
      { created_by: '/bin/sh -c #(nop) ADD --chown=1:1 http://example.com/x /x' },
      { created_by: 'ADD app.tgz /opt/ # buildkit' },
    ];
    assert.deepEqual(
      checkImageConfig(c).map((m) => m.message),
      ['History step 1 adds https://example.com/tool.tgz', 'History step 2 adds http://example.com/x'],
    );
  });
});

describe('imageFilesAnalyzer', () => {
  const file = (path: string, mode = 0o755): FileInfo => ({ path, type: 'file', size: 10, mode });

  async function run(info: FileInfo): Promise<string[]> {
    if (!imageFilesAnalyzer.required(info.path, info)) return [];
    const content = {
      size: 0,
      buffer: async () => Buffer.alloc(0),
      stream: () => {
        throw new Error('unused');
      },
    };
    const out = await imageFilesAnalyzer.analyze({ info, content, layer: { diffId: 'sha256:x', index: 0 } });
    return (out?.misconfigurations ?? []).map((m) => `${m.id} ${m.message}`);
  }

  it('setuid and setgid files, with the bits named; plain executables and setuid directories pass', async () => {
    assert.deepEqual(await run(file('usr/bin/passwd', 0o4755)), [
      'BOSUN-IMG-008 usr/bin/passwd is setuid (mode 4755)',
    ]);
    assert.deepEqual(await run(file('usr/bin/x', 0o6755)), [
      'BOSUN-IMG-008 usr/bin/x is setuid and setgid (mode 6755)',
    ]);
    assert.deepEqual(await run(file('usr/bin/ls')), []);
    assert.deepEqual(await run({ ...file('tmp', 0o2777), type: 'directory' }), []);
  });

  it('sudo, and setuid sudo gets both findings', async () => {
    assert.deepEqual(
      (await run(file('usr/bin/sudo', 0o4755))).map((s) => s.split(' ')[0]),
      ['BOSUN-IMG-007', 'BOSUN-IMG-008'],
    );
  });

  it('package caches: apt archives and lists, apk, pip; the apt lock and partial dir pass', async () => {
    for (const p of [
      'var/cache/apt/archives/curl_7.88_amd64.deb',
      'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4',
      'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease',
      'var/cache/apk/APKINDEX.1234.tar.gz',
      'root/.cache/pip/http/a/b/c',
    ]) {
      assert.match((await run(file(p, 0o644)))[0] ?? '', /^BOSUN-IMG-009/, p);
    }
    for (const p of [
      'var/lib/apt/lists/lock',
      'var/lib/apt/lists/partial/x',
      'var/cache/apt/archives/lock',
    ]) {
      assert.deepEqual(await run(file(p, 0o644)), [], p);
    }
  });
});
