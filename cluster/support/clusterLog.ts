// The harness's progress lines: on stderr, so stdout carries only what a command prints
// for scripts (`kubeconfig`, `env`, `status --json`).

export function log(line: string): void {
  process.stderr.write(`[cluster] ${line}\n`);
}
