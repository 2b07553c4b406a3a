export { SparkRelease, type SparkReleaseArgs } from "./spark-release/sparkRelease";
export {
  IsolatedMetastore,
  type IsolatedMetastoreArgs,
} from "./isolated-metastore/isolatedMetastore";
export {
  HistoryServerPrefix,
  type HistoryServerPrefixArgs,
} from "./history-server-prefix/historyServerPrefix";
export { SparkBenchmark, type SparkBenchmarkArgs } from "./benchmark/sparkBenchmark";
export { Notebook, type NotebookArgs } from "./notebook/notebook";
