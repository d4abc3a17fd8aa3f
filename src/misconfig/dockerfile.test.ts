import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDockerfile } from './dockerfile.js';

/** A Dockerfile that passes every check; each case appends or replaces lines. */
const GOOD = `# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
RUN apt-get update && apt-get install -y --no-install-recommends git \\
    && rm -rf /var/lib/apt/lists/*
FROM build AS test
FROM gcr.io/distroless/static@sha256:${'b'.repeat(64)}
COPY --from=build /out/app /app
ENV APP_MODE=production TOKEN_FILE=/run/secrets/token PASSWORD=\${PASSWORD}
EXPOSE 8080/tcp
HEALTHCHECK CMD ["/app", "health"]
USER 65532:65532
ENTRYPOINT ["/app"]
`;

function found(text: string): string[] {
  return checkDockerfile(text, 'Dockerfile').map((m) => `${m.line} ${m.id}`);
}

describe('checkDockerfile', () => {
  it('a careful multi-stage Dockerfile has no findings', () => {
    assert.deepEqual(found(GOOD), []);
  });

  it('root: no USER in the final stage (USER in an earlier stage does not count), or USER root/0', () => {
    assert.deepEqual(found('FROM a:1 AS x\nUSER app\nFROM b:1\nHEALTHCHECK CMD true\n'), ['3 BOSUN-DF-001']);
    assert.deepEqual(found(GOOD.replace('USER 65532:65532', 'USER 0:0')), ['11 BOSUN-DF-001']);
    assert.deepEqual(found(`${GOOD}USER root\n`), ['13 BOSUN-DF-001']);
  });

  it('EXPOSE of SSH in the final stage; the same in a build stage passes', () => {
    assert.deepEqual(found(GOOD.replace('EXPOSE 8080/tcp', 'EXPOSE 8080/tcp 22')), ['9 BOSUN-DF-002']);
    assert.deepEqual(found(GOOD.replace('FROM build AS test', 'FROM build AS test\nEXPOSE 22')), []);
  });

  it('no HEALTHCHECK', () => {
    assert.deepEqual(found(GOOD.replace(/HEALTHCHECK.*\n/, '')), ['6 BOSUN-DF-003']);
  });

  it('ADD from a URL; ADD of a local archive passes', () => {
    assert.deepEqual(found(`${GOOD}ADD --chown=1:1 https://example.com/x.tgz /opt/\nADD local.tgz /opt/\n`), [
      '13 BOSUN-DF-004',
    ]);
  });

  it('apt-get update alone, over continuation lines', () => {
    assert.deepEqual(
      found(`${GOOD}RUN apt-get -q update \\\n  && echo done\nRUN apt-get install -y curl\n`),
      ['13 BOSUN-DF-005'],
    );
  });

  it('base image untagged or latest; tags, digests, stages, scratch and ARG images pass', () => {
    assert.deepEqual(found(GOOD.replace('FROM golang:1.22 AS build', 'FROM golang AS build')), [
      '2 BOSUN-DF-006',
    ]);
    assert.deepEqual(found(GOOD.replace('golang:1.22', 'docker.io/library/golang:latest')), [
      '2 BOSUN-DF-006',
    ]);
    assert.deepEqual(found(GOOD.replace('golang:1.22', 'localhost:5000/golang')), ['2 BOSUN-DF-006']);
    assert.deepEqual(
      found(`ARG BASE=debian\n${GOOD.replace('golang:1.22', '${BASE}')}\nFROM scratch AS empty\n`).filter(
        (f) => f.endsWith('DF-006'),
      ),
      [],
    );
  });

  it('secrets in ENV (literal values) and any secret-named ARG', () => {
    assert.deepEqual(found(`${GOOD}ARG NPM_TOKEN\nENV AWS_SECRET_ACCESS_KEY=abc123 DEBUG=1\n`), [
      '13 BOSUN-DF-007',
      '14 BOSUN-DF-007',
    ]);
    assert.deepEqual(found(`${GOOD}ENV DB_PASSWORD hunter2\n`), ['13 BOSUN-DF-007']);
  });

  it('sudo as a command; installing a package named sudo-free passes', () => {
    assert.deepEqual(found(`${GOOD}RUN sudo chown app /data\nRUN echo sudo\n`), ['13 BOSUN-DF-008']);
  });

  it('curl or wget piped into a shell', () => {
    assert.deepEqual(
      found(`${GOOD}RUN curl -fsSL https://get.example.com | bash\nRUN wget -qO- https://x | sudo sh\n`),
      ['13 BOSUN-DF-009', '14 BOSUN-DF-008', '14 BOSUN-DF-009'],
    );
    assert.deepEqual(found(`${GOOD}RUN curl -fsSLo x.sh https://x && sha256sum -c x.sha && sh x.sh\n`), []);
  });

  it('every finding carries the path, remediation and CIS controls', () => {
    const [m] = checkDockerfile('FROM debian:12\n', 'app/Dockerfile.prod');
    assert.equal(m!.path, 'app/Dockerfile.prod');
    assert.ok(m!.remediation && m!.controls?.[0]?.startsWith('CIS-DI-'));
  });
});
