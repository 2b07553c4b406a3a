import { stringify } from "yaml";

/**
 * YAML of a manifest, exactly as `yaml`'s `stringify(value, { lineWidth: 0 })` writes it,
 * about twenty times faster: the structure (maps, sequences, indentation) is written here,
 * and every scalar that is not plainly safe is written by `yaml` itself. Where this cannot
 * be sure of `yaml`'s choice (a key that needs quoting, a block scalar with an indentation
 * indicator, a sparse array...), the whole value goes to `yaml`. `yaml.test.ts` holds it to
 * byte equality with `yaml` on every rendered stack and on generated values.
 */
export function manifestYaml(value: unknown): string {
  try {
    if (isMap(value)) {
      const lines: string[] = [];
      if (Object.keys(value).length === 0) return "{}\n";
      mapLines(value, 0, lines);
      return `${lines.join("\n")}\n`;
    }
  } catch (error) {
    if (!(error instanceof NotCertain)) throw error;
  }
  return stringify(value, { lineWidth: 0 });
}

class NotCertain extends Error {}

type JsonMap = Record<string, unknown>;

const isMap = (value: unknown): value is JsonMap =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

/** Words `yaml` (YAML 1.2 core schema) would read as something other than a string. */
const CORE_WORDS = new Set([
  "null",
  "Null",
  "NULL",
  "true",
  "True",
  "TRUE",
  "false",
  "False",
  "FALSE",
]);
/** What the core schema reads as a number, from a string starting with a digit. */
const NUMBER = /^(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|(?:[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/**
 * A string `yaml` writes plain, as a key or a value: starts with a letter, a digit, `_` or
 * `/`, printable ASCII, no `: ` or ` #`, no trailing `:` or space, not a core-schema word
 * or number.
 */
function plainlySafe(text: string): boolean {
  return (
    /^[A-Za-z0-9_/][\x20-\x7e]*$/.test(text) &&
    !text.includes(": ") &&
    !text.includes(" #") &&
    !text.endsWith(":") &&
    !text.endsWith(" ") &&
    !CORE_WORDS.has(text) &&
    !NUMBER.test(text)
  );
}

/**
 * A multi-line string `yaml` writes as a literal block scalar with no indentation
 * indicator: printable ASCII, tabs and newlines; the first line starts with neither space
 * nor tab; no line is only whitespace.
 */
function literalSafe(text: string): boolean {
  return (
    text.includes("\n") &&
    /^[\x21-\x7e][\x20-\x7e\t\n]*$/.test(text) &&
    !/(^|\n)[\t ]+(\n|$)/.test(text)
  );
}

/**
 * A scalar as `yaml` writes it as a value inside a collection (not at the top level, where
 * `...` and `---` read as document markers): one line, or a block scalar's header followed
 * by its lines without their indentation.
 */
function scalarText(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && !Object.is(value, -0)) {
    return String(value);
  }
  if (typeof value === "string" && plainlySafe(value)) return value;
  if (typeof value === "string" && literalSafe(value)) {
    const header = value.endsWith("\n\n") ? "|+" : value.endsWith("\n") ? "|" : "|-";
    return `${header}\n${header === "|-" ? value : value.slice(0, -1)}`;
  }
  if (typeof value !== "string" && typeof value !== "number") throw new NotCertain();
  // `- <scalar>`, block lines indented by two: as an item of a top-level sequence.
  const [first, ...rest] = stringify([value], { lineWidth: 0 }).slice(0, -1).split("\n");
  if (!first!.startsWith("- ")) throw new NotCertain();
  const lines = [first!.slice(2)];
  for (const line of rest) {
    // A line of bare indentation would not survive re-indenting.
    if (line !== "" && (!line.startsWith("  ") || line.trim() === "")) throw new NotCertain();
    lines.push(line.slice(2));
  }
  return lines.join("\n");
}

function keyText(key: string): string {
  if (!plainlySafe(key)) throw new NotCertain();
  return key;
}

function mapLines(map: JsonMap, indent: number, lines: string[], firstLead?: string): void {
  let first = true;
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    const lead = first && firstLead !== undefined ? firstLead : " ".repeat(indent);
    first = false;
    const head = `${lead}${keyText(key)}:`;
    if (isMap(value) && Object.keys(value).length > 0) {
      lines.push(head);
      mapLines(value, indent + 2, lines);
    } else if (Array.isArray(value) && value.length > 0) {
      lines.push(head);
      seqLines(value, indent + 2, lines);
    } else {
      scalarLines(head, value, indent + 2, lines);
    }
  }
  if (first && firstLead !== undefined) throw new NotCertain();
}

function seqLines(items: readonly unknown[], indent: number, lines: string[], firstLead?: string) {
  for (let i = 0; i < items.length; i++) {
    if (!(i in items) || items[i] === undefined) throw new NotCertain();
    const item = items[i];
    const head = `${i === 0 && firstLead !== undefined ? firstLead : " ".repeat(indent)}-`;
    if (isMap(item) && Object.keys(item).length > 0) {
      mapLines(item, indent + 2, lines, `${head} `);
    } else if (Array.isArray(item) && item.length > 0) {
      seqLines(item, indent + 2, lines, `${head} `);
    } else {
      scalarLines(head, item, indent + 2, lines);
    }
  }
}

/** `head value`, or for a block scalar its header and lines indented to `contentIndent`. */
function scalarLines(head: string, value: unknown, contentIndent: number, lines: string[]): void {
  let text: string;
  if (isMap(value)) text = "{}";
  else if (Array.isArray(value)) text = "[]";
  else text = scalarText(value);
  if (!text.includes("\n")) {
    lines.push(`${head} ${text}`);
    return;
  }
  const [header, ...body] = text.split("\n");
  if (!/^\|[-+]?$/.test(header!)) throw new NotCertain();
  lines.push(`${head} ${header}`);
  const pad = " ".repeat(contentIndent);
  for (const line of body) {
    if (line === "") lines.push("");
    else if (/^\s/.test(line) && line.trim() === "") throw new NotCertain();
    else lines.push(pad + line);
  }
}
