// The import path other stacks use (`spark-platform/lib/reader`, README): a stable name
// for the typed reader of this platform's stack outputs.
export { SparkPlatformStack } from "./contract/reader";
export type {
  JobRoute,
  MetastoreCredentials,
  PlatformOutputs,
  ReleaseOutput,
} from "./contract/outputs";
