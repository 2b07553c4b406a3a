/** Stack configuration keys as users type them: `spark-platform:releases[1].name`. */

export const CONFIG_NAMESPACE = "spark-platform";

/** `releases[1].historyServer.prefix` -> `spark-platform:releases[1].historyServer.prefix`. */
export function configKey(path: readonly PropertyKey[]): string {
  let key = `${CONFIG_NAMESPACE}:`;
  path.forEach((part, i) => {
    if (typeof part === "number") key += `[${part}]`;
    else key += i === 0 ? String(part) : `.${String(part)}`;
  });
  return key;
}
