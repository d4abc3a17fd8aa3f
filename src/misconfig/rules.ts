// Facts shared by the image-config and Dockerfile checks, so both judge a RUN line or an ENV
// name the same way.

/** Ports whose services give a shell or a daemon's control (ssh, telnet, Docker API, RDP, VNC…). */
export const SENSITIVE_PORTS: ReadonlyMap<number, string> = new Map([
  [21, 'FTP'],
  [22, 'SSH'],
  [23, 'Telnet'],
  [2375, 'Docker API (plain)'],
  [2376, 'Docker API (TLS)'],
  [3389, 'RDP'],
  [5900, 'VNC'],
  [5985, 'WinRM'],
  [5986, 'WinRM (TLS)'],
  [6443, 'Kubernetes API'],
  [10250, 'kubelet API'],
]);

/** The sensitive ports that `22`, `22/tcp` or a range `2000-2400/tcp` opens. */
export function sensitivePortsOf(spec: string): number[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/\w+)?$/.exec(spec.trim());
  if (!m) return [];
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  return [...SENSITIVE_PORTS.keys()].filter((p) => p >= first && p <= last);
}

const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)($|_)/i;
/** Names that look secret but are paths or switches to one, not the value itself. */
const NOT_A_VALUE = /(_FILE|_PATH|_DIR|_URL|_ENABLED|_LENGTH|_POLICY)$/i;

/** An ENV/ARG name that suggests its value is a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_VALUE.test(name);
}

/** A value worth reporting: not empty and not a reference to another variable. */
export function hasLiteralValue(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  return v !== '' && !/^\$\{?\w+\}?$/.test(v);
}

/** The shell commands of one RUN line, split on `&&`, `||`, `;` and `|` (quotes ignored: a heuristic). */
function commandsOf(script: string): string[] {
  return script
    .split(/&&|\|\||;|\||\n/)
    .map((c) => c.trim())
    .filter(Boolean);
}

const APT = String.raw`(?:^|\s)(?:apt-get|apt)\s+(?:-\S+\s+)*`;

/** `apt-get update` in a RUN without an install in the same RUN: later installs use a stale index. */
export function updateWithoutInstall(script: string): boolean {
  const commands = commandsOf(script);
  const update = commands.some((c) => new RegExp(`${APT}update\\b`).test(c));
  const install = commands.some((c) => new RegExp(`${APT}(?:install|upgrade|dist-upgrade)\\b`).test(c));
  return update && !install;
}

/** A download piped straight into a shell: `curl … | sh`, `wget -O- … | bash`. */
export function pipesDownloadToShell(script: string): boolean {
  return /\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b/.test(script);
}

/** `sudo` used as a command (not as a package name in an install). */
export function usesSudo(script: string): boolean {
  return commandsOf(script).some((c) => /^(?:\S+=\S+\s+)*sudo\s/.test(c));
}

/** ADD's source is a URL (CIS 4.9: use COPY, and fetch with a checked download). */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}
