import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { repoRoot } from './paths.js';

// Validators for the official JSON schemas vendored in test/fixtures/schemas (see SOURCES.md there).

function compile(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/schemas', file), 'utf8'));
  // strict: false because GitLab's schema carries its own `self` annotation keyword.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

/** GitLab's container-scanning report format, v15.2.4 (draft-07). */
export const gitlabSchema = compile('gitlab-container-scanning-15.2.4.json');
/** SPDX 2.3's JSON schema (draft-07). */
export const spdxSchema = compile('spdx-2.3.json');

/** Asserts that DOC is valid against SCHEMA, naming the first errors when it is not. */
export function assertValid(schema: ValidateFunction, doc: unknown, label = ''): void {
  const valid = schema(doc);
  assert.equal(valid, true, `${label}${label ? ': ' : ''}${JSON.stringify(schema.errors?.slice(0, 5))}`);
}

/** The parts of an SPDX 2.3 document the tests read. */
export interface SpdxDocument {
  spdxVersion: string;
  creationInfo: { created: string; creators: string[] };
  packages: {
    SPDXID: string;
    name: string;
    primaryPackagePurpose?: string;
    licenseDeclared?: string;
    comment?: string;
  }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

/**
 * Parses an SPDX JSON document and checks it against the official 2.3 schema, plus the syntax the
 * spec's text sets and the 2.3 schema leaves out: the version, SPDXIDs (letters, digits, `.`, `-`)
 * and the UTC creation time `YYYY-MM-DDThh:mm:ssZ`.
 */
export function parseSpdx(json: string, label = ''): SpdxDocument {
  const doc: unknown = JSON.parse(json);
  assertValid(spdxSchema, doc, label);
  const spdx = doc as SpdxDocument;
  assert.equal(spdx.spdxVersion, 'SPDX-2.3', label);
  for (const p of spdx.packages) assert.match(p.SPDXID, /^SPDXRef-[A-Za-z0-9.-]+$/, label);
  assert.match(spdx.creationInfo.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, label);
  return spdx;
}
