/** Stack configuration keys as users type them: `spark-platform:releases[1].name`. */

export const CONFIG_NAMESPACE = "spark-platform";

/** A path part that reads unambiguously after a dot; others are quoted in brackets. */
const PLAIN_PART = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `releases[1].historyServer.prefix` -> `spark-platform:releases[1].historyServer.prefix`.
 * Map keys holding dots or slashes (label keys) are quoted as `pulumi config set --path`
 * spells them: `releases[0].placement.nodeSelector["kubernetes.io/hostname"]`.
 */
export function configKey(path: readonly PropertyKey[]): string {
  let key = `${CONFIG_NAMESPACE}:`;
  path.forEach((part, i) => {
    const text = String(part);
    if (typeof part === "number") key += `[${part}]`;
    else if (i === 0) key += text;
    else key += PLAIN_PART.test(text) ? `.${text}` : `[${JSON.stringify(text)}]`;
  });
  return key;
}
