import * as minio from "@pulumi/minio";
import type { ObjectStoreConfig } from "../../config/model";
import type { ObjectStoreBackend, ObjectStoreKeys } from "./backend";

/** The object store through @pulumi/minio, for engines where the AWS plugin is unavailable. */
export function minioObjectStore(
  store: ObjectStoreConfig,
  keys: ObjectStoreKeys,
): ObjectStoreBackend {
  const provider = new minio.Provider("spark-platform-object-store", {
    minioServer: `${store.admin.host}:${store.admin.port}`,
    minioUser: keys.accessKey,
    minioPassword: keys.secretKey,
    minioRegion: store.region,
    minioSsl: store.admin.useSsl,
  });
  return {
    providers: { minio: provider },
    bucket(name, bucket, opts) {
      const resource = new minio.S3Bucket(
        name,
        { bucket, forceDestroy: false },
        { ...opts, provider },
      );
      return { resource, bucketName: resource.bucket };
    },
    prefixMarker(name, { bucket, key }, opts) {
      const resource = new minio.S3Object(
        name,
        {
          bucketName: bucket,
          objectName: key,
          content: "",
          contentType: "application/octet-stream",
        },
        opts,
      );
      return { resource, bucketName: resource.bucketName };
    },
  };
}
