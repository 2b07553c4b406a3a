import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SOURCE_ANNOTATION, type KubeManifest } from "../../lib/kube/objects";
import { PROJECT_ROOT } from "../../tools/cli/stackFiles";

/** Every object's `spark-platform.io/source` names a file that exists and defines the
 * function (or class or const) it names. */
export function expectSourcesTrue(manifests: readonly KubeManifest[]): void {
  for (const manifest of manifests) {
    const source = manifest.metadata?.annotations?.[SOURCE_ANNOTATION] ?? "";
    const [file, fn] = source.split("#");
    const id = `${manifest.kind}/${manifest.metadata?.name}`;
    expect(existsSync(join(PROJECT_ROOT, file!)), `${id}: ${source}`).to.equal(true);
    expect(readFileSync(join(PROJECT_ROOT, file!), "utf8"), `${id}: ${source}`).to.match(
      new RegExp(`(function|class|const) ${fn}\\b`),
    );
  }
}
