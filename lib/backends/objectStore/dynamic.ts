/* eslint-disable @typescript-eslint/no-require-imports */
import * as pulumi from "@pulumi/pulumi";

/**
 * The shared bucket and a prefix marker object as Pulumi dynamic resources, speaking the
 * S3 API through the `minio` client. They stand in for @pulumi/aws and @pulumi/minio where
 * neither provider plugin is available, selected with
 * `spark-platform:objectStore.provider: dynamic`. The bucket is adopted when it exists
 * (it is shared and outlives stacks); objects are written idempotently.
 */

/** How the provider reaches the object store. */
export interface S3Connection {
  host: string;
  port: number;
  useSsl: boolean;
  region: string;
  accessKey: string;
  secretKey: string;
}

interface BucketInputs {
  connection: S3Connection;
  bucket: string;
}

interface ObjectInputs {
  connection: S3Connection;
  bucket: string;
  key: string;
  content: string;
}

function client(connection: S3Connection): import("minio").Client {
  const { Client } = require("minio") as typeof import("minio");
  return new Client({
    endPoint: connection.host,
    port: connection.port,
    useSSL: connection.useSsl,
    region: connection.region,
    accessKey: connection.accessKey,
    secretKey: connection.secretKey,
    pathStyle: true,
  });
}

export const bucketProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: BucketInputs) {
    const s3 = client(inputs.connection);
    if (!(await s3.bucketExists(inputs.bucket))) {
      await s3.makeBucket(inputs.bucket, inputs.connection.region);
    }
    return { id: inputs.bucket, outs: inputs };
  },
  async diff(_id: string, olds: BucketInputs, news: BucketInputs) {
    const replaces = olds.bucket !== news.bucket ? ["bucket"] : [];
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },
  async delete(_id: string, props: BucketInputs) {
    // Only an empty bucket can go; event logs are never deleted by a stack operation.
    await client(props.connection).removeBucket(props.bucket);
  },
};

export const objectProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ObjectInputs) {
    await client(inputs.connection).putObject(
      inputs.bucket,
      inputs.key,
      Buffer.from(inputs.content),
    );
    return { id: `${inputs.bucket}/${inputs.key}`, outs: inputs };
  },
  async diff(_id: string, olds: ObjectInputs, news: ObjectInputs) {
    const replaces = olds.bucket !== news.bucket || olds.key !== news.key ? ["key"] : [];
    return {
      changes: replaces.length > 0 || olds.content !== news.content,
      replaces,
      deleteBeforeReplace: false,
    };
  },
  async update(_id: string, _olds: ObjectInputs, news: ObjectInputs) {
    await client(news.connection).putObject(news.bucket, news.key, Buffer.from(news.content));
    return { outs: news };
  },
  async delete(_id: string, props: ObjectInputs) {
    await client(props.connection).removeObject(props.bucket, props.key);
  },
};

const SECRET_OUTPUTS = ["connection"];

/** A bucket, created when missing (dynamic provider). */
export class S3Bucket extends pulumi.dynamic.Resource {
  declare public readonly bucket: pulumi.Output<string>;

  constructor(
    name: string,
    args: { connection: pulumi.Input<S3Connection>; bucket: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      bucketProvider,
      name,
      args,
      { ...opts, additionalSecretOutputs: SECRET_OUTPUTS },
      "spark-platform",
      "S3Bucket",
    );
  }
}

/** An object with fixed content (dynamic provider). */
export class S3Object extends pulumi.dynamic.Resource {
  declare public readonly bucket: pulumi.Output<string>;
  declare public readonly key: pulumi.Output<string>;

  constructor(
    name: string,
    args: {
      connection: pulumi.Input<S3Connection>;
      bucket: pulumi.Input<string>;
      key: pulumi.Input<string>;
      content: pulumi.Input<string>;
    },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      objectProvider,
      name,
      args,
      { ...opts, additionalSecretOutputs: SECRET_OUTPUTS },
      "spark-platform",
      "S3Object",
    );
  }
}
