// `kubeconfig`: only the admin kubeconfig's path on stdout (for npm run --silent).
import type { Layout } from "../clusterLayout";

export function kubeconfigCommand(l: Layout): number {
  process.stdout.write(l.adminKubeconfig + "\n");
  return 0;
}
