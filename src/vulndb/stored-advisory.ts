import type { NormalisedSeverity } from '../severity/index.js';
import type { Advisory, AffectedPackage } from './types.js';

interface Ids {
  aliases: string[];
  upstream: string[];
  related: string[];
}

/**
 * An advisory as the store reads it. Its ids and severity stay JSON text until first read:
 * deciding whether a version is affected needs neither, and only the advisories that affect a
 * package become findings. Serialises (toJSON) as the plain Advisory object would.
 */
export class StoredAdvisory implements Advisory {
  published?: string;
  withdrawn?: string;
  summary?: string;
  details?: string;
  #idsJson: string;
  #severityJson: string;
  #ids?: Ids;
  #severity?: NormalisedSeverity;

  constructor(
    public id: string,
    public modified: string,
    public source: string,
    idsJson: string,
    severityJson: string,
    public affected: AffectedPackage[],
  ) {
    this.#idsJson = idsJson;
    this.#severityJson = severityJson;
  }

  get aliases(): string[] {
    return this.#parsedIds().aliases;
  }

  get upstream(): string[] {
    return this.#parsedIds().upstream;
  }

  get related(): string[] {
    return this.#parsedIds().related;
  }

  get severity(): NormalisedSeverity {
    return (this.#severity ??= JSON.parse(this.#severityJson) as NormalisedSeverity);
  }

  #parsedIds(): Ids {
    return (this.#ids ??= JSON.parse(this.#idsJson) as Ids);
  }

  toJSON(): Advisory {
    const plain: Advisory = {
      id: this.id,
      modified: this.modified,
      aliases: this.aliases,
      upstream: this.upstream,
      related: this.related,
      severity: this.severity,
      affected: this.affected,
      source: this.source,
    };
    if (this.published) plain.published = this.published;
    if (this.withdrawn) plain.withdrawn = this.withdrawn;
    if (this.summary) plain.summary = this.summary;
    if (this.details) plain.details = this.details;
    return plain;
  }
}
