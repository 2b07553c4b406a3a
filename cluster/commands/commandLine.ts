// Command-line parsing for `npm run cluster -- <command> [options]` (pure).
import { KUBERNETES_VERSION } from "../clusterVersions";

export type Command = "up" | "down" | "status" | "kubeconfig" | "env" | "build";

export interface Parsed {
  command: Command | "help";
  /** Command whose help was asked for (`up --help`); undefined = general help. */
  helpFor?: Command;
  /** `build <part>...` */
  parts: string[];
  /** `down --purge`: also delete PKI, PostgreSQL/MinIO data and imported images. */
  purge: boolean;
  /** `status --json` */
  json: boolean;
  /** `up --restart`: tear down a healthy running cluster and start fresh. */
  restart: boolean;
  /** `up --no-stand-ins`: skip building/importing the platform's stand-in images. */
  noStandIns: boolean;
}

export const HELP: Record<Command | "general", string> = {
  general: `usage: npm run cluster -- <command> [options]

A local single-node Kubernetes ${KUBERNETES_VERSION} cluster in network namespace spark-node,
with PostgreSQL, MinIO and a Maven mirror on 10.201.0.1 (see docs/local-cluster.md).

commands:
  up          build what is missing, clear leftovers, start everything, wait for Ready + DNS
  down        stop everything up started and remove what it created (--purge: data too)
  status      state of each part
  kubeconfig  print the admin kubeconfig path (use with npm run --silent)
  env         print shell exports for the engine (eval "$(npm run --silent cluster -- env)")
  build       build the binaries into the cache (all parts, or the named ones)

Run "npm run cluster -- <command> --help" for a command's options.`,
  up: `usage: npm run cluster -- up [--restart] [--no-stand-ins]

Builds missing binaries, clears leftovers of an earlier run (processes recorded by PID,
kubelet mounts, netns, veth, CNI bridge, iptables chains, containerd state), creates the
node netns and veth, certificates, starts etcd, the control plane, containerd, kubelet,
kube-proxy, kube-router (NetworkPolicy), CoreDNS, PostgreSQL, MinIO and the Maven mirror,
and waits until the node is Ready and DNS answers from a pod. Prints phase timings.
If everything is already up and healthy it says so and changes nothing.

  --restart       tear a healthy cluster down first and start fresh
  --no-stand-ins  skip the platform's stand-in images of cluster/images (Spark, Hive, ...);
                  pause, coredns and the probe image are always imported`,
  down: `usage: npm run cluster -- down [--purge]

Stops every process up started (by recorded PID), removes kubelet mounts, the netns,
veth, CNI bridge, iptables chains and containerd state.

  --purge     also delete certificates, PostgreSQL and MinIO data and imported images`,
  status: `usage: npm run cluster -- status [--json]

Prints the state of each part (process alive, answering). Exit code 0 when all are up,
3 when some are not.`,
  kubeconfig: `usage: npm run --silent cluster -- kubeconfig

Prints only the path of the admin kubeconfig (server https://10.201.0.2:6443).`,
  env: `usage: eval "$(npm run --silent cluster -- env)"

Prints shell exports: KUBECONFIG, PATH (with the built kubectl first), PGHOST, PGPORT,
PGUSER, PGPASSWORD, SPARK_PLATFORM_PG_*, SPARK_PLATFORM_MINIO_ENDPOINT, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, SPARK_PLATFORM_MAVEN_MIRROR_DIR and _URL.`,
  build: `usage: npm run cluster -- build [part...]

Builds into \${SPARK_PLATFORM_CACHE_DIR:-$HOME/.cache/spark-platform}/cluster/bin/<part>-<version>/
whatever is missing. Parts: pause, probe, etcd, kubernetes, coredns, kube-router. Go output goes to
<cache>/cluster/build-logs/; progress lines (part, start, ok/failed, seconds) to stderr.`,
};

const COMMANDS: Command[] = ["up", "down", "status", "kubeconfig", "env", "build"];

export class UsageError extends Error {}

export function parseArgs(argv: string[]): Parsed {
  const p: Parsed = {
    command: "help",
    parts: [],
    purge: false,
    json: false,
    restart: false,
    noStandIns: false,
  };
  const [first, ...rest] = argv;
  if (first === undefined || first === "help" || first === "--help" || first === "-h") {
    const topic = rest[0];
    if (topic !== undefined && (COMMANDS as string[]).includes(topic)) p.helpFor = topic as Command;
    return p;
  }
  if (!(COMMANDS as string[]).includes(first)) throw new UsageError(`unknown command: ${first}`);
  const command = first as Command;
  for (const a of rest) {
    if (a === "--help" || a === "-h") return { ...p, command: "help", helpFor: command };
  }
  p.command = command;
  const allowed: Record<Command, string[]> = {
    up: ["--restart", "--no-stand-ins"],
    down: ["--purge"],
    status: ["--json"],
    kubeconfig: [],
    env: [],
    build: [],
  };
  for (const a of rest) {
    if (a.startsWith("-")) {
      if (!allowed[command].includes(a)) throw new UsageError(`${command}: unknown option ${a}`);
      if (a === "--purge") p.purge = true;
      if (a === "--json") p.json = true;
      if (a === "--restart") p.restart = true;
      if (a === "--no-stand-ins") p.noStandIns = true;
    } else if (command === "build") {
      p.parts.push(a);
    } else {
      throw new UsageError(`${command}: unexpected argument ${a}`);
    }
  }
  return p;
}
