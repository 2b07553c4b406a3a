import * as aws from "@pulumi/aws";
import * as minio from "@pulumi/minio";
import * as pulumi from "@pulumi/pulumi";
import { S3Object } from "../../lib/backends/objectStore/dynamic";
import type { HistoryServerPrefixArgs } from "./historyServerPrefix";
import { markerKey } from "./manifests";

/** The prefix marker through whichever object-store provider the stack uses. */
export function createMarker(
  parent: pulumi.Resource,
  args: HistoryServerPrefixArgs,
  opts: pulumi.CustomResourceOptions,
): { resource: pulumi.Resource; bucketName: pulumi.Output<string> } {
  const name = `${args.release.name}-event-log-prefix`;
  const key = markerKey(args.release);
  switch (args.platform.objectStore.provider) {
    case "dynamic": {
      if (!args.objectStoreConnection) {
        throw new Error(
          "HistoryServerPrefix: objectStoreConnection is required with objectStore.provider dynamic",
        );
      }
      const marker = new S3Object(
        name,
        { connection: args.objectStoreConnection, bucket: args.bucket, key, content: "" },
        { ...opts, parent },
      );
      return { resource: marker, bucketName: marker.bucket };
    }
    case "minio": {
      const marker = new minio.S3Object(
        name,
        {
          bucketName: args.bucket,
          objectName: key,
          content: "",
          contentType: "application/octet-stream",
        },
        { ...opts, parent },
      );
      return { resource: marker, bucketName: marker.bucketName };
    }
    default: {
      const marker = new aws.s3.BucketObjectv2(
        name,
        { bucket: args.bucket, key, content: "", contentType: "application/octet-stream" },
        { ...opts, parent },
      );
      return { resource: marker, bucketName: marker.bucket };
    }
  }
}
