/* eslint-disable @typescript-eslint/no-require-imports */
import type { ObjectStoreConfig } from "../../config/model";
import type { ObjectStoreBackend, ObjectStoreKeys } from "./backend";

/**
 * The configured backend, its explicit provider registered on creation. Each backend's
 * module, and so its provider package, loads only when configured: loading @pulumi/aws
 * alone costs seconds of every program start.
 */
export function objectStoreBackend(
  store: ObjectStoreConfig,
  keys: ObjectStoreKeys,
): ObjectStoreBackend {
  switch (store.provider) {
    case "aws":
      return (require("./awsBackend") as typeof import("./awsBackend")).awsObjectStore(store, keys);
    case "minio":
      return (require("./minioBackend") as typeof import("./minioBackend")).minioObjectStore(
        store,
        keys,
      );
    case "dynamic":
      return (require("./dynamicBackend") as typeof import("./dynamicBackend")).dynamicObjectStore(
        store,
        keys,
      );
  }
}
