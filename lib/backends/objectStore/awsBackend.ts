// The three classes from their own modules: @pulumi/aws's index loads the index of every one
// of its services (a fifth of a second of start-up) to register resource modules this
// program never reads back.
import { Provider } from "@pulumi/aws/provider";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketObjectv2 } from "@pulumi/aws/s3/bucketObjectv2";
import type { ObjectStoreConfig } from "../../config/model";
import type { ObjectStoreBackend, ObjectStoreKeys } from "./backend";

/** The object store through @pulumi/aws, pointed at MinIO (the default backend). */
export function awsObjectStore(
  store: ObjectStoreConfig,
  keys: ObjectStoreKeys,
): ObjectStoreBackend {
  const provider = new Provider("spark-platform-object-store", {
    region: store.region,
    accessKey: keys.accessKey,
    secretKey: keys.secretKey,
    endpoints: [{ s3: store.admin.endpoint }],
    // MinIO serves buckets by path; virtual-host style would resolve <bucket>.<host>.
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
  });
  return {
    providers: { aws: provider },
    bucket(name, bucket, opts) {
      const resource = new Bucket(name, { bucket, forceDestroy: false }, { ...opts, provider });
      return { resource, bucketName: resource.bucket };
    },
    prefixMarker(name, { bucket, key }, opts) {
      const resource = new BucketObjectv2(
        name,
        { bucket, key, content: "", contentType: "application/octet-stream" },
        opts,
      );
      return { resource, bucketName: resource.bucket };
    },
  };
}
