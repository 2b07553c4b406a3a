import type { NotebookOutput, ReleaseOutput } from "../../lib/contract/outputs";

/**
 * What `npm run setup` prints at the end: each release's endpoints (the stack outputs) and
 * how to open its UIs from this machine: `kubectl port-forward` listens on 127.0.0.1 and
 * tunnels through the API server, so nothing but loopback and the cluster is involved.
 */

interface Ui {
  readonly what: string;
  readonly service: string;
  readonly port: number;
}

/** Local ports differ per release (8080, 8090, ...) so every UI can be forwarded at once. */
const localPort = (port: number, index: number) => port + index * 10;

function uisOf(release: ReleaseOutput): Ui[] {
  const uis: Ui[] = [];
  if (release.mode === "standalone")
    uis.push({ what: "master UI", service: `${release.name}-master`, port: 8080 });
  else uis.push({ what: "driver UI", service: `${release.name}-connect`, port: 4040 });
  if (release.historyServerUrl)
    uis.push({ what: "History Server", service: `${release.name}-history`, port: 18080 });
  return uis;
}

export function formatEndpoints(
  stack: string,
  releases: Readonly<Record<string, ReleaseOutput>>,
  notebooks: Readonly<Record<string, NotebookOutput>> = {},
): string {
  const lines = [`Stack ${stack}: endpoints (stack outputs; in-cluster names)`];
  Object.values(releases).forEach((release, index) => {
    lines.push(
      "",
      `${release.name}  Spark ${release.sparkVersion} ${release.mode}, namespace ${release.namespace}${release.decommissioned ? " (decommissioned)" : ""}`,
    );
    lines.push(`  submit to        ${release.connectionUrl}`);
    if (release.metastoreUri)
      lines.push(
        `  metastore        ${release.metastoreUri} (database ${release.metastoreDatabase})`,
      );
    lines.push(`  event logs       ${release.eventLogDir}`);
    const granted = release.clientNamespaces ?? [];
    lines.push(
      `  client pods      label ${release.clientPodLabel.key}=${release.clientPodLabel.value}, ${granted.length ? `in namespaces ${granted.join(", ")}` : "in no namespace (releases[].clients grants none)"}`,
    );
    if (release.clientSecret)
      lines.push(
        `  client Secret    ${release.clientSecret} in each of those namespaces (${release.mode === "connect" ? "token and ca.crt: TLS, add ;token=<token> to the URL" : "spark-defaults.conf with the secret"})`,
      );
    if (release.decommissioned) return;
    for (const ui of uisOf(release)) {
      const local = localPort(ui.port, index);
      lines.push(
        `  ${ui.what.padEnd(16)} kubectl port-forward -n ${release.namespace} svc/${ui.service} ${local}:${ui.port}  -> http://127.0.0.1:${local}/`,
      );
    }
  });
  for (const notebook of Object.values(notebooks)) {
    lines.push(
      "",
      `notebook ${notebook.namespace}/${notebook.name}  JupyterLab, a client of ${notebook.release}`,
      `  open             ${notebook.portForward}  -> ${notebook.url}`,
      `  login token      kubectl -n ${notebook.namespace} get secret ${notebook.tokenSecret.name} -o jsonpath='{.data.${notebook.tokenSecret.key}}' | base64 -d`,
    );
  }
  lines.push(
    "",
    'kubectl here: eval "$(npm run --silent cluster -- env)" (the cluster\'s kubectl and KUBECONFIG)',
  );
  return lines.join("\n");
}
