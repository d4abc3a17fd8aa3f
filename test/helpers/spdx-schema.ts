import { z } from 'zod';

// The SPDX 2.3 JSON schema's rules for what bosun writes (spdx/spdx-spec schemas/spdx-schema-2-3.json):
// required fields, enumerations and no additional properties, restated here as a strict zod schema.
const checksum = z.strictObject({
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512', 'MD5']),
  checksumValue: z.string(),
});
const spdxPackage = z.strictObject({
  SPDXID: z.string().regex(/^SPDXRef-[A-Za-z0-9.-]+$/),
  name: z.string(),
  downloadLocation: z.string(),
  versionInfo: z.string().optional(),
  filesAnalyzed: z.boolean().optional(),
  licenseConcluded: z.string().optional(),
  licenseDeclared: z.string().optional(),
  copyrightText: z.string().optional(),
  sourceInfo: z.string().optional(),
  comment: z.string().optional(),
  checksums: z.array(checksum).optional(),
  primaryPackagePurpose: z
    .enum([
      'OTHER',
      'INSTALL',
      'ARCHIVE',
      'FIRMWARE',
      'APPLICATION',
      'FRAMEWORK',
      'LIBRARY',
      'CONTAINER',
      'SOURCE',
      'DEVICE',
      'OPERATING_SYSTEM',
      'FILE',
    ])
    .optional(),
  externalRefs: z
    .array(
      z.strictObject({
        referenceCategory: z.enum(['OTHER', 'PERSISTENT-ID', 'SECURITY', 'PACKAGE-MANAGER']),
        referenceType: z.string(),
        referenceLocator: z.string().regex(/^\S+$/),
      }),
    )
    .optional(),
});
export const spdxDocument = z.strictObject({
  spdxVersion: z.literal('SPDX-2.3'),
  dataLicense: z.literal('CC0-1.0'),
  SPDXID: z.literal('SPDXRef-DOCUMENT'),
  name: z.string(),
  documentNamespace: z.string().url(),
  creationInfo: z.strictObject({
    created: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    creators: z.array(z.string().regex(/^(Tool|Organization|Person): /)).min(1),
  }),
  documentDescribes: z.array(z.string()),
  packages: z.array(spdxPackage),
  relationships: z.array(
    z.strictObject({
      spdxElementId: z.string(),
      relationshipType: z.enum(['DESCRIBES', 'CONTAINS', 'DEPENDS_ON']),
      relatedSpdxElement: z.string(),
    }),
  ),
});

export type SpdxDocument = z.infer<typeof spdxDocument>;
