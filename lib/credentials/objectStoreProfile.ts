import * as pulumi from "@pulumi/pulumi";
import { awsCredentialsFile } from "../spark/s3a";

/** Object-store keys as the components receive them (secret config, or MinIO's). */
export interface ObjectStoreKeys {
  readonly accessKey: pulumi.Input<string>;
  readonly secretKey: pulumi.Input<string>;
}

/**
 * The keys plus their shared-credentials file, a secret Output: what an object-store
 * Secret holds (lib/kube/objects.ts#objectStoreSecret).
 */
export function withProfileFile(keys: ObjectStoreKeys): ObjectStoreKeys & {
  readonly profileFile: pulumi.Output<string>;
} {
  const profileFile = pulumi
    .all([keys.accessKey, keys.secretKey])
    .apply(([accessKey, secretKey]) => awsCredentialsFile(accessKey, secretKey));
  return { ...keys, profileFile: pulumi.secret(profileFile) };
}
