/** Object-store key prefixes, as isolation checks compare them. */

/** A prefix without trailing slashes, so `a/b/` and `a/b` compare equal. */
export function normalizePrefix(prefix: string): string {
  return prefix.trim().replace(/\/+$/, "");
}

/** True when one prefix is the other or lies beneath it (`3.5/events` and `3.5/events/x`). */
export function prefixesOverlap(a: string, b: string): boolean {
  const x = normalizePrefix(a);
  const y = normalizePrefix(b);
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}
