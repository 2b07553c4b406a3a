// The figures of one `npm run bench:cluster` run, as its result JSON holds them.
import type { Disturbance } from "./disturbances";

export const MiB = 1024 * 1024;

export interface UsageRow {
  readonly name: string;
  /** Sum of VmRSS of the processes, in bytes (shared pages counted by each). */
  readonly rssBytes: number;
  /** Sum of Pss of the processes, in bytes (shared pages split: these add up). */
  readonly pssBytes: number;
  /** Pods: the working set of the pod's cgroup (usage less inactive file cache). */
  readonly workingSetBytes?: number;
  readonly millicores: number;
}

/** Idle usage over one window: the harness's processes, our shims, the platform's pods. */
export interface IdleUsage {
  readonly controlPlane: readonly UsageRow[];
  readonly shims: UsageRow;
  readonly pods: readonly UsageRow[];
}

export interface ClusterBenchResult {
  readonly date: string;
  readonly machine: string;
  readonly command: string;
  readonly readinessPollSeconds: number;
  readonly pulumi: {
    readonly upSeconds: number;
    readonly readySeconds: number;
    readonly destroySeconds: number;
    readonly goneSeconds: number;
    readonly resources: number;
  };
  readonly kubectl: {
    readonly renderUpSeconds: number;
    readonly files: number;
    readonly applySeconds: number;
    readonly readySeconds: number;
    readonly deleteSeconds: number;
  };
  readonly idle: IdleUsage & {
    readonly windowSeconds: number;
    readonly settleSeconds: number;
  };
  /** Pods of others placed in the namespace during the run (empty: undisturbed). */
  readonly disturbances: readonly Disturbance[];
}
