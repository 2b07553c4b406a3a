import * as pulumi from "@pulumi/pulumi";
import type { ObjectStoreConfig } from "../../config/model";
import type { ObjectStoreBackend, ObjectStoreKeys } from "./backend";
import { S3Bucket, S3Object, type S3Connection } from "./dynamic";

/**
 * The object store through the platform's dynamic resources (./dynamic.ts): no provider
 * plugin, so no provider resource; each resource carries the connection, a secret as it
 * holds the keys.
 */
export function dynamicObjectStore(
  store: ObjectStoreConfig,
  keys: ObjectStoreKeys,
): ObjectStoreBackend {
  const connection = pulumi.secret(
    pulumi.all([keys.accessKey, keys.secretKey]).apply(
      ([accessKey, secretKey]): S3Connection => ({
        host: store.admin.host,
        port: store.admin.port,
        useSsl: store.admin.useSsl,
        region: store.region,
        accessKey,
        secretKey,
      }),
    ),
  );
  return {
    providers: {},
    bucket(name, bucket, opts) {
      const resource = new S3Bucket(name, { connection, bucket }, opts);
      return { resource, bucketName: resource.bucket };
    },
    prefixMarker(name, { bucket, key }, opts) {
      const resource = new S3Object(name, { connection, bucket, key, content: "" }, opts);
      return { resource, bucketName: resource.bucket };
    },
  };
}
