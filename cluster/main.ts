// npm run cluster -- up|down|status|kubeconfig|env|build  (see HELP in args.ts)
import { HELP, parseArgs, UsageError } from "./commands/commandLine";
import { ensureBuilt } from "./build/ensureBuilt";
import { down } from "./commands/downCommand";
import { envExports } from "./commands/envCommand";
import { log } from "./support/runCommand";
import { layout } from "./clusterLayout";
import { printStatus, statusOf } from "./clusterHealth";
import { up } from "./commands/upCommand";

async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const l = layout();
  switch (a.command) {
    case "help":
      process.stdout.write(HELP[a.helpFor ?? "general"] + "\n");
      return 0;
    case "build":
      await ensureBuilt(l, a.parts);
      return 0;
    case "up":
      await up(l, { restart: a.restart, standIns: !a.noStandIns });
      return 0;
    case "down":
      return (await down(l, a.purge)) ? 0 : 1;
    case "status": {
      const st = await statusOf(l);
      if (a.json) process.stdout.write(JSON.stringify(st, null, 2) + "\n");
      else printStatus(st);
      return st.every((s) => s.ok) ? 0 : 3;
    }
    case "kubeconfig":
      process.stdout.write(l.adminKubeconfig + "\n");
      return 0;
    case "env":
      process.stdout.write(envExports(l, process.env.PATH ?? "").join("\n") + "\n");
      return 0;
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
