import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretScanner } from './index.js';
import { builtinRules } from './rules.js';
import { base64url, privateKeys, rand, uuid } from './testing.js';

interface Case {
  rule: string;
  /** A file with exactly one secret, of this rule. */
  positive: string;
  /** The raw secret: it must never appear in any output. */
  secret: string;
  /** Close, but not this rule's secret. */
  nearMiss: string;
}

const keys = privateKeys();
const b64 = (s: string) => Buffer.from(s).toString('base64');
const jwt = `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url('{"sub":"1234567890","name":"Ada","iat":1716239022}')}.${rand('urlsafe', 43)}`;

function c(rule: string, secret: string, line: (s: string) => string, nearMiss: string): Case {
  return { rule, positive: line(secret), secret, nearMiss };
}

const pem = (block: string) => block.split('\n').slice(1, -2).join('\n');

const cases: Case[] = [
  c(
    'aws-access-key-id',
    `AKIA${rand('base32', 16)}`,
    (s) => `aws_access_key_id = ${s}\n`,
    `id = AKIA${rand('base32', 17)}\n`,
  ),
  c(
    'aws-access-key-id',
    `ASIA${rand('base32', 16)}`,
    (s) => `"AccessKeyId": "${s}",\n`,
    `"AccessKeyId": "ASIA${rand('base32', 15)}",\n`,
  ),
  c(
    'aws-secret-access-key',
    rand('base64', 40),
    (s) => `aws_secret_access_key = ${s}\n`,
    `aws_secret_access_key = ${rand('base64', 39)}\n`,
  ),
  c(
    'aws-secret-access-key',
    rand('base64', 40),
    (s) => `export AWS_SECRET_ACCESS_KEY="${s}"\n`,
    `export AWS_REGION="${rand('base64', 40)}"\n`,
  ),
  {
    rule: 'gcp-service-account',
    secret: pem(keys.pkcs8).split('\n')[1]!,
    positive: JSON.stringify(
      {
        type: 'service_account',
        project_id: 'acme-prod',
        private_key_id: rand('hex', 40),
        private_key: keys.pkcs8,
        client_email: 'ci@acme-prod.iam.gserviceaccount.com',
      },
      null,
      2,
    ),
    nearMiss: JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: 'y' }, null, 2),
  },
  c(
    'gcp-api-key',
    `AIza${rand('urlsafe', 35)}`,
    (s) => `const key = "${s}";\n`,
    `const key = "AIza${rand('urlsafe', 34)}";\n`,
  ),
  c(
    'gcp-oauth-client-secret',
    `GOCSPX-${rand('urlsafe', 28)}`,
    (s) => `client_secret=${s}\n`,
    `client_secret=GOCSPX-${rand('alnum', 27)}\n`,
  ),
  c(
    'azure-storage-account-key',
    `${rand('base64', 86)}==`,
    (s) =>
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${s};EndpointSuffix=core.windows.net\n`,
    `AccountName=acme;AccountKey=${rand('base64', 80)}==;\n`,
  ),
  c(
    'azure-shared-access-key',
    `${rand('base64', 43)}=`,
    (s) =>
      `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${s}\n`,
    `SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${rand('base64', 20)}=\n`,
  ),
  c(
    'azure-sas-token',
    `${rand('alnum', 40)}%2B${rand('alnum', 6)}%3D`,
    (s) =>
      `url: https://acme.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-01-01T00:00:00Z&sig=${s}\n`,
    `url: https://acme.blob.core.windows.net/backups?sp=rl&sig=${rand('alnum', 44)}\n`,
  ),
  c(
    'azure-ad-client-secret',
    `Xy38Q~${rand('urlsafe', 34)}`,
    (s) => `AZURE_CLIENT_SECRET=${s}\n`,
    `value: Xy38Q~${rand('alnum', 20)}\n`,
  ),
  c(
    'github-pat',
    `ghp_${rand('alnum', 36)}`,
    (s) => `GITHUB_TOKEN=${s}\n`,
    `GITHUB_TOKEN=ghp_${rand('alnum', 35)}\n`,
  ),
  c(
    'github-fine-grained-pat',
    `github_pat_${rand('alnum', 22)}_${rand('alnum', 59)}`,
    (s) => `token: ${s}\n`,
    `token: github_pat_${rand('alnum', 22)}_${rand('alnum', 58)}\n`,
  ),
  c(
    'github-oauth-token',
    `gho_${rand('alnum', 36)}`,
    (s) => `oauth=${s}\n`,
    `oauth=gho_${rand('alnum', 30)}\n`,
  ),
  c('github-app-user-token', `ghu_${rand('alnum', 36)}`, (s) => `t=${s}\n`, `t=ghu_${rand('alnum', 35)}\n`),
  c(
    'github-app-installation-token',
    `ghs_${rand('alnum', 36)}`,
    (s) => `t=${s}\n`,
    `t=ghs-${rand('alnum', 36)}\n`,
  ),
  c('github-refresh-token', `ghr_${rand('alnum', 76)}`, (s) => `t=${s}\n`, `t=ghr_${rand('alnum', 20)}\n`),
  c(
    'gitlab-pat',
    `glpat-${rand('urlsafe', 20)}`,
    (s) => `GITLAB_TOKEN=${s}\n`,
    `GITLAB_TOKEN=glpat-${rand('urlsafe', 19)}\n`,
  ),
  c(
    'gitlab-deploy-token',
    `gldt-${rand('urlsafe', 20)}`,
    (s) => `password: ${s}\n`,
    `image: gldt-${rand('urlsafe', 12)}\n`,
  ),
  c(
    'gitlab-runner-token',
    `glrt-${rand('urlsafe', 20)}`,
    (s) => `token = "${s}"\n`,
    `token = "glrt-${rand('alnum', 10)}"\n`,
  ),
  c(
    'gitlab-pipeline-trigger-token',
    `glptt-${rand('hex', 40)}`,
    (s) => `trigger ${s}\n`,
    `trigger glptt-${rand('hex', 39)}\n`,
  ),
  c(
    'slack-bot-token',
    `xoxb-${rand('hex', 0)}1234567890-1234567890123-${rand('alnum', 24)}`,
    (s) => `SLACK_BOT_TOKEN=${s}\n`,
    `SLACK_BOT_TOKEN=xoxb-12345-1234567890123-${rand('alnum', 24)}\n`,
  ),
  c(
    'slack-user-token',
    `xoxp-1234567890-1234567890-1234567890123-${rand('hex', 32)}`,
    (s) => `slack ${s}\n`,
    `slack xoxp-${rand('alnum', 12)}\n`,
  ),
  c(
    'slack-app-token',
    `xapp-1-A0123456789-1234567890123-${rand('hex', 64)}`,
    (s) => `app ${s}\n`,
    `app xapp-1-A0123456789-1234567890123-${rand('hex', 63)}\n`,
  ),
  c(
    'slack-webhook',
    `T0123ABCD/B0123ABCDE/${rand('alnum', 24)}`,
    (s) => `webhook: https://hooks.slack.com/services/${s}\n`,
    `webhook: https://hooks.slack.com/services/T01/B01/${rand('alnum', 24)}\n`,
  ),
  c(
    'stripe-secret-key',
    `sk_live_${rand('alnum', 24)}`,
    (s) => `STRIPE_KEY=${s}\n`,
    `STRIPE_KEY=sk_test_${rand('alnum', 24)}\n`,
  ),
  c(
    'stripe-restricted-key',
    `rk_live_${rand('alnum', 24)}`,
    (s) => `stripe ${s}\n`,
    `stripe rk_test_${rand('alnum', 24)}\n`,
  ),
  c(
    'twilio-api-key',
    `SK${rand('hex', 32)}`,
    (s) => `twilio:\n  key_sid: ${s}\n`,
    `key_sid: SK${rand('hex', 32)}\n`,
  ),
  c(
    'twilio-auth-token',
    rand('hex', 32),
    (s) => `TWILIO_AUTH_TOKEN=${s}\n`,
    `TWILIO_AUTH_TOKEN=${rand('hex', 31)}\n`,
  ),
  c(
    'sendgrid-api-key',
    `SG.${rand('urlsafe', 22)}.${rand('urlsafe', 43)}`,
    (s) => `SENDGRID=${s}\n`,
    `SENDGRID=SG.${rand('urlsafe', 22)}.${rand('urlsafe', 30)}\n`,
  ),
  c(
    'npm-access-token',
    `npm_${rand('alnum', 36)}`,
    (s) => `NPM_TOKEN=${s}\n`,
    `NPM_TOKEN=npm_${rand('alnum', 35)}\n`,
  ),
  c(
    'npmrc-auth-token',
    uuid(),
    (s) => `//registry.npmjs.org/:_authToken=${s}\n`,
    '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n',
  ),
  c(
    'pypi-upload-token',
    `pypi-AgEIcHlwaS5vcmc${rand('urlsafe', 60)}`,
    (s) => `password = ${s}\n`,
    `password = pypi-AgEIcHlwaS5vcmc${rand('alnum', 10)}\n`,
  ),
  c(
    'docker-config-auth',
    b64(`deploy:${rand('alnum', 20)}`),
    (s) => `{\n  "auths": {\n    "registry.acme.io": {\n      "auth": "${s}"\n    }\n  }\n}\n`,
    `{\n  "auths": {\n    "registry.acme.io": {\n      "auth": "${b64('justausername')}"\n    }\n  }\n}\n`,
  ),
  {
    rule: 'private-key',
    positive: keys.rsa,
    secret: pem(keys.rsa).split('\n')[0]!,
    nearMiss: keys.publicKey,
  },
  {
    rule: 'private-key',
    positive: `x\n${keys.pkcs8}`,
    secret: pem(keys.pkcs8).split('\n')[2]!,
    nearMiss: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  },
  {
    rule: 'private-key',
    positive: keys.encrypted,
    secret: pem(keys.encrypted).split('\n')[1]!,
    nearMiss: 'if line == "-----BEGIN RSA PRIVATE KEY-----":\n',
  },
  {
    rule: 'private-key',
    positive: keys.ec,
    secret: pem(keys.ec).split('\n')[0]!,
    nearMiss: '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n',
  },
  {
    rule: 'private-key',
    positive: keys.ed25519,
    secret: pem(keys.ed25519),
    nearMiss: '-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n',
  },
  c('jwt-token', jwt, (s) => `Authorization: Bearer ${s}\n`, `header: ${base64url('{"alg":"HS256"}')}\n`),
  c(
    'shopify-access-token',
    `shpat_${rand('hex', 32)}`,
    (s) => `SHOPIFY=${s}\n`,
    `SHOPIFY=shpat_${rand('hex', 31)}\n`,
  ),
  c(
    'shopify-shared-secret',
    `shpss_${rand('hex', 32)}`,
    (s) => `SHOPIFY=${s}\n`,
    `SHOPIFY=shpss_${rand('hex', 31)}\n`,
  ),
  c('mailchimp-api-key', rand('hex', 32), (s) => `MC=${s}-us14\n`, `MC=${rand('hex', 31)}-us14\n`),
  c(
    'mailgun-api-key',
    `key-${rand('hex', 32)}`,
    (s) => `MAILGUN_KEY=${s}\n`,
    `MONKEY=key-${rand('hex', 32)}\n`,
  ),
  c('heroku-api-key', uuid(), (s) => `HEROKU_API_KEY=${s}\n`, `HEROKU_APP_ID=${uuid()}\n`),
  c('digitalocean-token', `dop_v1_${rand('hex', 64)}`, (s) => `DO=${s}\n`, `DO=dop_v1_${rand('hex', 63)}\n`),
  c(
    'vault-token',
    `hvs.${rand('urlsafe', 95)}`,
    (s) => `VAULT_TOKEN=${s}\n`,
    `VAULT_TOKEN=hvs.${rand('urlsafe', 24)}\n`,
  ),
  c(
    'terraform-cloud-token',
    `${rand('alnum', 14)}.atlasv1.${rand('urlsafe', 67)}`,
    (s) => `token = "${s}"\n`,
    `token = "${rand('alnum', 14)}.atlasv1.${rand('alnum', 20)}"\n`,
  ),
  c(
    'databricks-token',
    `dapi${rand('hex', 32)}`,
    (s) => `DATABRICKS_TOKEN=${s}\n`,
    `DATABRICKS_TOKEN=dapi${rand('hex', 31)}\n`,
  ),
  c(
    'atlassian-api-token',
    `ATATT3${rand('urlsafe', 186)}`,
    (s) => `JIRA=${s}\n`,
    `JIRA=ATATT3${rand('urlsafe', 50)}\n`,
  ),
  c(
    'okta-api-token',
    `00${rand('urlsafe', 40)}`,
    (s) => `OKTA_API_TOKEN=${s}\n`,
    `OKTA_CLIENT_ID=00${rand('urlsafe', 40)}\n`,
  ),
  c(
    'square-access-token',
    `EAAA${rand('urlsafe', 60)}`,
    (s) => `SQUARE=${s}\n`,
    `SQUARE=EAAA${rand('urlsafe', 10)}\n`,
  ),
  c(
    'square-oauth-secret',
    `sq0csp-${rand('urlsafe', 43)}`,
    (s) => `SQUARE=${s}\n`,
    `SQUARE=sq0csp-${rand('urlsafe', 42)}\n`,
  ),
  c(
    'braintree-access-token',
    `access_token$production$${rand('hex', 16)}$${rand('hex', 32)}`,
    (s) => `BT=${s}\n`,
    `BT=access_token$sandbox$${rand('hex', 16)}$${rand('hex', 32)}\n`,
  ),
  c(
    'alibaba-access-key-id',
    `LTAI${rand('alnum', 20)}`,
    (s) => `ALIBABA_CLOUD_ACCESS_KEY_ID=${s}\n`,
    `id=LTAI${rand('alnum', 8)}\n`,
  ),
  c(
    'alibaba-access-key-secret',
    rand('alnum', 30),
    (s) => `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${s}\n`,
    `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${rand('alnum', 29)}\n`,
  ),
  c(
    'tencent-secret-id',
    `AKID${rand('alnum', 32)}`,
    (s) => `TENCENTCLOUD_SECRET_ID=${s}\n`,
    `id=AKID${rand('alnum', 31)}\n`,
  ),
  c(
    'openai-api-key',
    `sk-proj-${rand('urlsafe', 20)}T3BlbkFJ${rand('urlsafe', 20)}`,
    (s) => `OPENAI_API_KEY=${s}\n`,
    `OPENAI_API_KEY=sk-proj-${rand('alnum', 48)}\n`,
  ),
  c(
    'anthropic-api-key',
    `sk-ant-api03-${rand('urlsafe', 93)}AA`,
    (s) => `ANTHROPIC_API_KEY=${s}\n`,
    `ANTHROPIC_API_KEY=sk-ant-api03-${rand('urlsafe', 20)}\n`,
  ),
  c(
    'huggingface-token',
    `hf_${rand('letters', 34)}`,
    (s) => `HF_TOKEN=${s}\n`,
    `HF_TOKEN=hf_${rand('letters', 33)}\n`,
  ),
  c(
    'age-secret-key',
    `AGE-SECRET-KEY-1${rand('bech32', 58)}`,
    (s) => `# created: 2024\n${s}\n`,
    `AGE-SECRET-KEY-1${rand('bech32', 57)}\n`,
  ),
  c(
    'discord-bot-token',
    `M${rand('alnum', 23)}.${rand('urlsafe', 6)}.${rand('urlsafe', 27)}`,
    (s) => `DISCORD_TOKEN=${s}\n`,
    `DISCORD_TOKEN=M${rand('alnum', 23)}.${rand('alnum', 5)}.${rand('alnum', 27)}\n`,
  ),
  c(
    'discord-webhook',
    rand('urlsafe', 68),
    (s) => `hook: https://discord.com/api/webhooks/123456789012345678/${s}\n`,
    `hook: https://discord.com/api/webhooks/1234/${rand('urlsafe', 68)}\n`,
  ),
  c(
    'telegram-bot-token',
    `123456789:AA${rand('urlsafe', 33)}`,
    (s) => `TELEGRAM_BOT_TOKEN=${s}\n`,
    `TELEGRAM_BOT_TOKEN=123456789:AB${rand('urlsafe', 33)}\n`,
  ),
  c(
    'linear-api-key',
    `lin_api_${rand('alnum', 40)}`,
    (s) => `LINEAR=${s}\n`,
    `LINEAR=lin_api_${rand('alnum', 39)}\n`,
  ),
  c(
    'postman-api-key',
    `PMAK-${rand('hex', 24)}-${rand('hex', 34)}`,
    (s) => `POSTMAN=${s}\n`,
    `POSTMAN=PMAK-${rand('hex', 24)}-${rand('hex', 33)}\n`,
  ),
  c(
    'dockerhub-pat',
    `dckr_pat_${rand('urlsafe', 27)}`,
    (s) => `DOCKERHUB=${s}\n`,
    `DOCKERHUB=dckr_pat_${rand('urlsafe', 26)}\n`,
  ),
  c(
    'grafana-token',
    `glsa_${rand('alnum', 32)}_${rand('hex', 8)}`,
    (s) => `GRAFANA=${s}\n`,
    `GRAFANA=glsa_${rand('alnum', 31)}_${rand('hex', 8)}\n`,
  ),
  c(
    'new-relic-api-key',
    `NRAK-${rand('upperDigits', 27)}`,
    (s) => `NEW_RELIC=${s}\n`,
    `NEW_RELIC=NRAK-${rand('upperDigits', 26)}\n`,
  ),
  c(
    'sentry-auth-token',
    `sntrys_${rand('base64', 60)}`,
    (s) => `SENTRY=${s}\n`,
    `SENTRY=sntrys_${rand('alnum', 12)}\n`,
  ),
  c(
    'doppler-token',
    `dp.st.${rand('alnum', 43)}`,
    (s) => `DOPPLER=${s}\n`,
    `DOPPLER=dp.st.${rand('alnum', 20)}\n`,
  ),
  c(
    'pulumi-access-token',
    `pul-${rand('hex', 40)}`,
    (s) => `PULUMI=${s}\n`,
    `PULUMI=pul-${rand('hex', 39)}\n`,
  ),
  c(
    'url-credentials',
    `Zk3${rand('alnum', 17)}`,
    (s) => `DATABASE_URL=postgres://app:${s}@db.acme.io:5432/app\n`,
    'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.acme.io:5432/app\n',
  ),
  c('generic-password', `Xk9${rand('alnum', 13)}`, (s) => `DB_PASSWORD="${s}"\n`, 'DB_PASSWORD=changeme\n'),
  c(
    'generic-password',
    `Xk9-${rand('alnum', 13)}`,
    (s) => `  password: ${s}\n`,
    '  password: "{{ vault_db_password }}"\n',
  ),
  c(
    'generic-secret',
    `${rand('alnum', 8)}9${rand('alnum', 23)}`,
    (s) => `client_secret: '${s}'\n`,
    '  api_key = "xxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n',
  ),
  c(
    'generic-secret',
    `Q7${rand('alnum', 30)}`,
    (s) => `export SESSION_SECRET=${s}\n`,
    'token: <your-token-here-with-some-length>\n',
  ),
];

const scanner = createSecretScanner();
const unfiltered = createSecretScanner(undefined, { prefilter: false });

describe('built-in secret rules', () => {
  it('there are at least 40 rules, each with a unique id, and every rule has a case here', () => {
    assert.ok(builtinRules.length >= 40, `${builtinRules.length} rules`);
    assert.equal(new Set(builtinRules.map((r) => r.id)).size, builtinRules.length);
    const tested = new Set(cases.map((t) => t.rule));
    assert.deepEqual(
      builtinRules.map((r) => r.id).filter((id) => !tested.has(id)),
      [],
    );
  });

  it('keywords are lower-case literals', () => {
    for (const rule of builtinRules)
      for (const k of rule.keywords) assert.equal(k, k.toLowerCase(), `${rule.id}: ${k}`);
  });

  for (const [i, t] of cases.entries()) {
    describe(`${t.rule} #${i}`, () => {
      it('finds the secret, once, masked', () => {
        const found = scanner.scanText(t.positive, 'app/config');
        assert.deepEqual(
          found.map((f) => f.ruleId),
          [t.rule],
          `${JSON.stringify(found)} in:\n${t.positive}`,
        );
        assert.ok(!JSON.stringify(found).includes(t.secret), `raw secret in ${JSON.stringify(found)}`);
        assert.match(found[0]!.match, /\*{4}|BEGIN/);
      });
      it('the keyword prefilter drops nothing the full search finds', () => {
        assert.deepEqual(
          scanner.scanText(t.positive, 'app/config'),
          unfiltered.scanText(t.positive, 'app/config'),
        );
        assert.deepEqual(
          scanner.scanText(t.nearMiss, 'app/config'),
          unfiltered.scanText(t.nearMiss, 'app/config'),
        );
      });
      it('does not fire on the near miss', () => {
        const found = scanner.scanText(t.nearMiss, 'app/config').map((f) => f.ruleId);
        assert.ok(!found.includes(t.rule), `${t.rule} fired on:\n${t.nearMiss}`);
      });
    });
  }
});
