// The toolchain's progress lines, on stderr (CI prints them): stdout carries only what
// --print-path and --print-plugins print, and Go's own stdout.

export function log(line: string): void {
  process.stderr.write(`[toolchain] ${line}\n`);
}
