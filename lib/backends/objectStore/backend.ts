import type * as pulumi from "@pulumi/pulumi";

/** The object-store keys (secret stack config): the engine's credentials too. */
export interface ObjectStoreKeys {
  readonly accessKey: pulumi.Input<string>;
  readonly secretKey: pulumi.Input<string>;
}

/** A created object-store resource and the bucket it is in, as the resource reports it. */
export interface StoredResource {
  readonly resource: pulumi.CustomResource;
  readonly bucketName: pulumi.Output<string>;
}

/**
 * The shared object store through one of its backends: `aws` (@pulumi/aws pointed at
 * MinIO), `minio` (@pulumi/minio) or `dynamic` (the platform's own dynamic provider, for
 * engines without either plugin). Callers never ask which one it is.
 */
export interface ObjectStoreBackend {
  /**
   * Providers for the components' `providers` option, by package name: a prefix marker,
   * registered with a component as its parent, takes its provider from there. Empty for
   * `dynamic`, whose resources carry their connection as an input.
   */
  readonly providers: Readonly<Record<string, pulumi.ProviderResource>>;
  /** Creates (or adopts) the bucket `bucket`, with this backend's provider. */
  bucket(name: string, bucket: string, opts: pulumi.CustomResourceOptions): StoredResource;
  /**
   * An empty object at `key` that makes a prefix exist (S3 has no directories), with
   * `opts` as given: its provider comes from its parent's `providers`.
   */
  prefixMarker(
    name: string,
    args: { readonly bucket: pulumi.Input<string>; readonly key: string },
    opts: pulumi.CustomResourceOptions,
  ): StoredResource;
}
