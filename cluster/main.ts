// npm run cluster -- up|down|status|kubeconfig|env|build|volumes|restart-service
// (see HELP in commands/commandLine.ts)
import { buildCommand } from "./commands/buildCommand";
import { HELP, parseArgs, UsageError } from "./commands/commandLine";
import { downCommand } from "./commands/downCommand";
import { envCommand } from "./commands/envCommand";
import { kubeconfigCommand } from "./commands/kubeconfigCommand";
import { restartServiceCommand } from "./commands/restartServiceCommand";
import { statusCommand } from "./commands/statusCommand";
import { upCommand } from "./commands/upCommand";
import { volumesCommand } from "./commands/volumesCommand";
import { layout } from "./clusterLayout";
import { log } from "./support/clusterLog";

async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const l = layout();
  switch (a.command) {
    case "help":
      process.stdout.write(HELP[a.helpFor ?? "general"] + "\n");
      return 0;
    case "build":
      return buildCommand(l, a.parts);
    case "up":
      return upCommand(l, {
        restart: a.restart,
        standIns: !a.noStandIns,
        ...(a.nodes !== undefined ? { nodes: a.nodes } : {}),
      });
    case "down":
      return downCommand(l, a.purge ? "purge" : a.forgetObjects ? "objects" : "keep");
    case "status":
      return statusCommand(l, a.json);
    case "kubeconfig":
      return kubeconfigCommand(l);
    case "env":
      return envCommand(l);
    case "volumes":
      return volumesCommand(l);
    case "restart-service":
      if (!a.service) throw new UsageError("restart-service: name the service");
      return restartServiceCommand(l, a.service);
  }
}

if (
  process.getuid?.() !== 0 &&
  !process.argv.slice(2).some((x) => ["--help", "-h", "help", "kubeconfig", "env"].includes(x))
) {
  log("warning: the cluster needs root (network namespaces, mounts, iptables)");
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${HELP.general}\n`);
      process.exit(2);
    }
    log(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
