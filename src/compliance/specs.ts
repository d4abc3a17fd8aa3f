import { fixableVulnerabilities, misconfigurations, secrets } from './evidence.js';
import type { ComplianceSpec } from './types.js';

const ALL_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

/** CIS Docker Benchmark v1.6.0, section 4 (Container Images and Build File Configuration). */
export const cisDocker: ComplianceSpec = {
  id: 'cis-docker',
  title: 'CIS Docker Benchmark v1.6.0, section 4: container images',
  controls: [
    {
      id: '4.1',
      title: 'Ensure that a user for the container has been created',
      evidence: (r) => misconfigurations(r, { control: 'CIS-DI-4.1' }),
    },
    {
      id: '4.2',
      title: 'Ensure that containers use only trusted base images',
      manualReason: 'which base images and registries are trusted is an organisational decision',
    },
    {
      id: '4.3',
      title: 'Ensure that unnecessary packages are not installed in the container',
      manualReason:
        'what the application needs is not visible in the image; leftover package caches are listed',
      evidence: (r) => misconfigurations(r, { control: 'CIS-DI-4.3' }),
    },
    {
      id: '4.4',
      title: 'Ensure images are scanned and rebuilt to include security patches',
      evidence: (r) => fixableVulnerabilities(r, ALL_SEVERITIES),
    },
    {
      id: '4.5',
      title: 'Ensure Content trust for Docker is enabled',
      manualReason: 'content trust is a setting of the Docker client and registry, not of the image',
    },
    {
      id: '4.6',
      title: 'Ensure that HEALTHCHECK instructions have been added to container images',
      evidence: (r) => misconfigurations(r, { control: 'CIS-DI-4.6' }),
    },
    {
      id: '4.7',
      title: 'Ensure update instructions are not used alone in Dockerfiles',
      evidence: (r) => misconfigurations(r, { control: 'CIS-DI-4.7' }),
    },
    {
      id: '4.8',
      title: 'Ensure setuid and setgid permissions are removed',
      evidence: (r) => misconfigurations(r, { control: 'CIS-DI-4.8' }),
    },
    {
      id: '4.9',
      title: 'Ensure that COPY is used instead of ADD in Dockerfiles',
      evidence: (r) => misconfigurations(r, { control: 'CIS-DI-4.9' }),
    },
    {
      id: '4.10',
      title: 'Ensure secrets are not stored in Dockerfiles',
      evidence: (r) => [...misconfigurations(r, { control: 'CIS-DI-4.10' }), ...secrets(r)],
    },
    {
      id: '4.11',
      title: 'Ensure only verified packages are installed',
      manualReason:
        'package signatures are checked at install time; the image does not record that they were',
    },
    {
      id: '4.12',
      title: 'Ensure all signed artifacts are validated',
      manualReason: 'signature validation happens in the build and deploy pipeline, not in the image',
    },
  ],
};

/** PCI DSS v4.0 requirements that scanning a container image can evidence. */
export const pciDss: ComplianceSpec = {
  id: 'pci-dss',
  title: 'PCI DSS v4.0: requirements evidenced by image scanning',
  controls: [
    {
      id: '2.2.1',
      title: 'Configuration standards are developed, implemented and maintained',
      manualReason:
        'the standard is a document; the automated 2.2.x controls check the image against common ones',
    },
    {
      id: '2.2.4',
      title: 'Only necessary services, protocols, daemons, and functions are enabled',
      evidence: (r) => misconfigurations(r, { ids: ['BOSUN-IMG-002', 'BOSUN-IMG-007'] }),
    },
    {
      id: '2.2.6',
      title: 'System security parameters are configured to prevent misuse',
      evidence: (r) => misconfigurations(r, { ids: ['BOSUN-IMG-001', 'BOSUN-IMG-008'] }),
    },
    {
      id: '6.3.1',
      title: 'Security vulnerabilities are identified and managed',
      manualReason:
        'the scan identifies and ranks vulnerabilities; managing them is a process outside the image',
    },
    {
      id: '6.3.3',
      title: 'Critical and high security patches are installed',
      evidence: (r) => fixableVulnerabilities(r, ['CRITICAL', 'HIGH']),
    },
    {
      id: '7.2.2',
      title: 'Access is assigned based on least privileges',
      evidence: (r) => misconfigurations(r, { ids: ['BOSUN-IMG-001', 'BOSUN-IMG-007'] }),
    },
    {
      id: '8.6.2',
      title: 'Passwords for application and system accounts are not hard coded in scripts or files',
      evidence: (r) => [...misconfigurations(r, { control: 'CIS-DI-4.10' }), ...secrets(r)],
    },
    {
      id: '11.3.1',
      title: 'Internal vulnerability scans are performed at least once every three months',
      manualReason: 'the schedule of scans is shown by scan records over time, not by one scan',
    },
  ],
};

/** Every spec, by its `--spec` name. */
export const SPECS: Readonly<Record<string, ComplianceSpec>> = { 'cis-docker': cisDocker, 'pci-dss': pciDss };
