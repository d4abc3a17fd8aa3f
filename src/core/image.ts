import type { Readable } from 'node:stream';

/** `os/arch[/variant]`, as in OCI image indexes and `--platform`. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** The OCI image configuration (application/vnd.oci.image.config.v1+json), fields bosun reads. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  author?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    ExposedPorts?: Record<string, object>;
    Volumes?: Record<string, object>;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
    Healthcheck?: {
      Test?: string[];
      Interval?: number;
      Timeout?: number;
      Retries?: number;
      StartPeriod?: number;
    };
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: {
    created?: string;
    created_by?: string;
    comment?: string;
    author?: string;
    empty_layer?: boolean;
  }[];
}

/** One layer of an image, in order from the base up. */
export interface LayerRef {
  /** sha256 of the uncompressed tar (the config's rootfs.diff_ids entry); for a directory, a hash of its path. */
  diffId: string;
  /** Digest of the blob as stored (compressed); absent for directories and uncompressed archive layers. */
  digest?: string;
  mediaType?: string;
  /** Size of the stored blob in bytes, when known. */
  size?: number;
  /** The history entry that made this layer. */
  createdBy?: string;
  /**
   * The layer's bytes as stored: gzip, zstd or plain tar. The walker detects the compression by
   * magic bytes. Sources that know a digest verify it and fail the stream on a mismatch.
   */
  open(): Promise<Readable>;
  /** Set for a root filesystem directory read in place of a tar: the walker walks it directly. */
  directory?: string;
}

/** Where an image comes from: an archive, an OCI layout, a registry, the daemon or a directory. */
export interface ImageSource {
  /** The name the user gave (reference or path). */
  name: string;
  /** The kind of source, e.g. `docker-archive`, `oci-layout`, `registry`, `daemon`, `rootfs`. */
  kind: string;
  /** Digest of the image manifest, when there is one. */
  manifestDigest?: string;
  repoTags?: string[];
  repoDigests?: string[];
  platform?: Platform;
  config(): Promise<ImageConfig>;
  layers(): Promise<LayerRef[]>;
  close(): Promise<void>;
}
