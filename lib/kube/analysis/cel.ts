/**
 * An interpreter of the subset of CEL (the Common Expression Language) that admission
 * policies are written in, so tests and the verifier evaluate a ValidatingAdmissionPolicy
 * against sample requests instead of comparing its text. It follows the language
 * definition where the subset reaches: `&&` and `||` absorb an error when the other side
 * decides, `has()` tests presence, selecting an absent field is an error, `in` reads
 * lists and map keys. Whatever lies outside the subset (an unknown function, syntax it
 * does not parse, an undeclared variable) throws CelUnsupported, never a silent guess.
 */

export type CelValue =
  | null
  | boolean
  | number
  | string
  | readonly CelValue[]
  | { readonly [key: string]: CelValue };

/** An error CEL itself reports while evaluating (no such key, no matching overload). */
export class CelError extends Error {}

/** An expression outside the subset this interpreter knows: fix the interpreter, not the test. */
export class CelUnsupported extends Error {}

type Node =
  | { k: "lit"; v: CelValue }
  | { k: "id"; name: string }
  | { k: "sel"; operand: Node; field: string }
  | { k: "idx"; operand: Node; index: Node }
  | { k: "call"; fn: string; target?: Node; args: Node[] }
  | { k: "list"; items: Node[] }
  | { k: "map"; entries: [Node, Node][] }
  | { k: "not" | "neg"; operand: Node }
  | { k: "bin"; op: string; l: Node; r: Node }
  | { k: "and" | "or"; l: Node; r: Node }
  | { k: "cond"; c: Node; t: Node; f: Node };

const PUNCTUATION = ["==", "!=", "<=", ">=", "&&", "||", ..."()[]{}.,?:!-+*/%<>"];

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      let j = 1;
      while (j < rest.length && rest[j] !== quote) j += rest[j] === "\\" ? 2 : 1;
      if (j >= rest.length) throw new CelUnsupported(`unterminated string at ${i}: ${text}`);
      tokens.push(rest.slice(0, j + 1));
      i += j + 1;
      continue;
    }
    const word = /^([0-9]+(\.[0-9]+)?|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (word) {
      tokens.push(word[0]);
      i += word[0].length;
      continue;
    }
    const punctuation = PUNCTUATION.find((p) => rest.startsWith(p));
    if (!punctuation) throw new CelUnsupported(`unexpected '${rest[0]}' at ${i}: ${text}`);
    tokens.push(punctuation);
    i += punctuation.length;
  }
  return tokens;
}

function unquote(token: string): string {
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'" };
  escapes['"'] = '"';
  return token.slice(1, -1).replace(/\\(.)/g, (_, c: string) => {
    const replaced = escapes[c];
    if (replaced === undefined) throw new CelUnsupported(`escape \\${c} in ${token}`);
    return replaced;
  });
}

/** Parses an expression (CEL's grammar, precedence and associativity) into a tree. */
function parse(text: string): Node {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string): string => {
    const token = tokens[at];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new CelUnsupported(`expected ${expected ?? "more"} at token ${at} of: ${text}`);
    }
    at++;
    return token;
  };
  const list = (close: string): Node[] => {
    const items: Node[] = [];
    while (peek() !== close) {
      items.push(expression());
      if (peek() === ",") take(",");
      else break;
    }
    take(close);
    return items;
  };
  const primary = (): Node => {
    const token = take();
    if (token === "(") {
      const inner = expression();
      take(")");
      return inner;
    }
    if (token === "[") return { k: "list", items: list("]") };
    if (token === "{") {
      const entries: [Node, Node][] = [];
      while (peek() !== "}") {
        const key = expression();
        take(":");
        entries.push([key, expression()]);
        if (peek() === ",") take(",");
        else break;
      }
      take("}");
      return { k: "map", entries };
    }
    if (token.startsWith("'") || token.startsWith('"')) return { k: "lit", v: unquote(token) };
    if (/^[0-9]/.test(token)) return { k: "lit", v: Number(token) };
    if (token === "true" || token === "false") return { k: "lit", v: token === "true" };
    if (token === "null") return { k: "lit", v: null };
    if (!/^[A-Za-z_]/.test(token)) throw new CelUnsupported(`unexpected ${token} in: ${text}`);
    if (peek() === "(") {
      take("(");
      return { k: "call", fn: token, args: list(")") };
    }
    return { k: "id", name: token };
  };
  const member = (): Node => {
    let node = primary();
    for (;;) {
      if (peek() === ".") {
        take(".");
        const field = take();
        if (peek() === "(") {
          take("(");
          node = { k: "call", fn: field, target: node, args: list(")") };
        } else node = { k: "sel", operand: node, field };
      } else if (peek() === "[") {
        take("[");
        node = { k: "idx", operand: node, index: expression() };
        take("]");
      } else return node;
    }
  };
  const unary = (): Node => {
    const op = peek();
    if (op !== "!" && op !== "-") return member();
    take();
    return { k: op === "!" ? "not" : "neg", operand: unary() };
  };
  const binary = (operators: readonly string[], next: () => Node) => (): Node => {
    let node = next();
    while (operators.includes(peek() ?? "")) node = { k: "bin", op: take(), l: node, r: next() };
    return node;
  };
  const multiplication = binary(["*", "/", "%"], unary);
  const addition = binary(["+", "-"], multiplication);
  const relation = binary(["==", "!=", "<", "<=", ">", ">=", "in"], addition);
  const logical = (op: "&&" | "||", next: () => Node) => (): Node => {
    let node = next();
    while (peek() === op) {
      take();
      node = { k: op === "&&" ? "and" : "or", l: node, r: next() };
    }
    return node;
  };
  const and = logical("&&", relation);
  const or = logical("||", and);
  function expression(): Node {
    const condition = or();
    if (peek() !== "?") return condition;
    take("?");
    const whenTrue = or();
    take(":");
    return { k: "cond", c: condition, t: whenTrue, f: expression() };
  }
  const root = expression();
  if (at !== tokens.length) throw new CelUnsupported(`unparsed rest '${tokens[at]}' of: ${text}`);
  return root;
}

type Env = Readonly<Record<string, CelValue | undefined>>;

const isMap = (v: CelValue): v is { readonly [key: string]: CelValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const typeOf = (v: CelValue) => (v === null ? "null" : Array.isArray(v) ? "list" : typeof v);

function equal(a: CelValue, b: CelValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => equal(item, b[i]!));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => k in b && equal(a[k]!, b[k]!))
    );
  }
  return a === b;
}

function field(value: CelValue, name: string): CelValue {
  if (!isMap(value)) throw new CelError(`no such key: ${name} (on ${typeOf(value)})`);
  if (!Object.prototype.hasOwnProperty.call(value, name))
    throw new CelError(`no such key: ${name}`);
  return value[name]!;
}

function bool(value: CelValue, what: string): boolean {
  if (typeof value !== "boolean") throw new CelError(`${what} needs a bool, got ${typeOf(value)}`);
  return value;
}

/** `&&`/`||`: the left or right side decides alone; an error counts only when neither does. */
function logical(node: Node & { k: "and" | "or" }, env: Env): boolean {
  const decisive = node.k === "or";
  let failure: unknown;
  for (const side of [node.l, node.r]) {
    try {
      if (bool(evaluateNode(side, env), node.k) === decisive) return decisive;
    } catch (error) {
      if (!(error instanceof CelError)) throw error;
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return !decisive;
}

function binary(op: string, l: CelValue, r: CelValue): CelValue {
  if (op === "==") return equal(l, r);
  if (op === "!=") return !equal(l, r);
  if (op === "in") {
    if (Array.isArray(r)) return r.some((item: CelValue) => equal(item, l));
    if (isMap(r) && typeof l === "string") return Object.prototype.hasOwnProperty.call(r, l);
    throw new CelError(`no matching overload for ${typeOf(l)} in ${typeOf(r)}`);
  }
  const same = typeOf(l) === typeOf(r);
  if (op === "+" && same && Array.isArray(l)) return [...l, ...(r as CelValue[])];
  if (op === "+" && same && typeof l === "string") return l + (r as string);
  if (typeof l === "string" && same && ["<", "<=", ">", ">="].includes(op)) {
    return { "<": l < r!, "<=": l <= r!, ">": l > r!, ">=": l >= r! }[op]!;
  }
  if (typeof l !== "number" || typeof r !== "number") {
    throw new CelError(`no matching overload for ${typeOf(l)} ${op} ${typeOf(r)}`);
  }
  const results: Record<string, () => CelValue> = {
    "+": () => l + r,
    "-": () => l - r,
    "*": () => l * r,
    "/": () => (r === 0 ? fail("division by zero") : l / r),
    "%": () => (r === 0 ? fail("modulus by zero") : l % r),
    "<": () => l < r,
    "<=": () => l <= r,
    ">": () => l > r,
    ">=": () => l >= r,
  };
  return results[op]!();
}

function fail(message: string): never {
  throw new CelError(message);
}

const MACROS = ["exists", "all", "exists_one", "map", "filter"];

function call(node: Node & { k: "call" }, env: Env): CelValue {
  if (node.fn === "has" && !node.target) {
    const arg = node.args[0];
    if (node.args.length !== 1 || arg?.k !== "sel") {
      throw new CelUnsupported("has() takes one field selection, e.g. has(object.spec)");
    }
    const operand = evaluateNode(arg.operand, env);
    if (!isMap(operand)) throw new CelError(`has() on ${typeOf(operand)}`);
    return Object.prototype.hasOwnProperty.call(operand, arg.field);
  }
  if (node.target && MACROS.includes(node.fn)) {
    const list = evaluateNode(node.target, env);
    const [variable, body] = node.args;
    if (variable?.k !== "id" || !body) throw new CelUnsupported(`${node.fn}(x, predicate)`);
    const items: readonly CelValue[] = Array.isArray(list)
      ? list
      : isMap(list)
        ? Object.keys(list)
        : fail(`${node.fn}() on ${typeOf(list)}`);
    const each = items.map((item) => evaluateNode(body, { ...env, [variable.name]: item }));
    if (node.fn === "map") return each;
    if (node.fn === "filter") return items.filter((_, i) => bool(each[i]!, "filter"));
    const truths = each.filter((v) => bool(v, node.fn)).length;
    if (node.fn === "exists") return truths > 0;
    if (node.fn === "all") return truths === items.length;
    return truths === 1;
  }
  const target = node.target ? evaluateNode(node.target, env) : undefined;
  const args = node.args.map((a) => evaluateNode(a, env));
  const subject = target ?? args[0] ?? null;
  const text = (v: CelValue | undefined) =>
    typeof v === "string" ? v : fail(`${node.fn}() needs a string, got ${typeOf(v ?? null)}`);
  switch (node.fn) {
    case "size":
      if (typeof subject === "string" || Array.isArray(subject)) return subject.length;
      if (isMap(subject)) return Object.keys(subject).length;
      return fail(`size() of ${typeOf(subject)}`);
    case "string":
      if (["string", "number", "boolean"].includes(typeof subject)) return String(subject);
      return fail(`string() of ${typeOf(subject)}`);
    case "startsWith":
      return text(target).startsWith(text(args[0]));
    case "endsWith":
      return text(target).endsWith(text(args[0]));
    case "contains":
      return text(target).includes(text(args[0]));
    case "join":
      if (!Array.isArray(target)) return fail(`join() on ${typeOf(target ?? null)}`);
      return target.map((v: CelValue) => text(v)).join(args[0] === undefined ? "" : text(args[0]));
    default:
      throw new CelUnsupported(`function ${node.fn}() is outside the interpreted subset`);
  }
}

function evaluateNode(node: Node, env: Env): CelValue {
  switch (node.k) {
    case "lit":
      return node.v;
    case "id": {
      const value = env[node.name];
      if (value === undefined) throw new CelUnsupported(`undeclared reference to '${node.name}'`);
      return value;
    }
    case "sel":
      return field(evaluateNode(node.operand, env), node.field);
    case "idx": {
      const operand = evaluateNode(node.operand, env);
      const index = evaluateNode(node.index, env);
      if (Array.isArray(operand) && typeof index === "number") {
        return index >= 0 && index < operand.length
          ? operand[index]!
          : fail(`index ${index} out of range`);
      }
      if (typeof index === "string") return field(operand, index);
      return fail(`no matching overload for ${typeOf(operand)}[${typeOf(index)}]`);
    }
    case "call":
      return call(node, env);
    case "list":
      return node.items.map((item) => evaluateNode(item, env));
    case "map":
      return Object.fromEntries(
        node.entries.map(([k, v]) => [text(evaluateNode(k, env)), evaluateNode(v, env)]),
      );
    case "not":
      return !bool(evaluateNode(node.operand, env), "!");
    case "neg": {
      const value = evaluateNode(node.operand, env);
      return typeof value === "number" ? -value : fail(`-${typeOf(value)}`);
    }
    case "and":
    case "or":
      return logical(node, env);
    case "cond":
      return bool(evaluateNode(node.c, env), "?:")
        ? evaluateNode(node.t, env)
        : evaluateNode(node.f, env);
    case "bin":
      return binary(node.op, evaluateNode(node.l, env), evaluateNode(node.r, env));
  }
}

function text(value: CelValue): string {
  return typeof value === "string"
    ? value
    : fail(`map keys here are strings, not ${typeOf(value)}`);
}

const parsed = new Map<string, Node>();

/**
 * Evaluates a CEL expression with the given variables. Throws CelError where CEL reports
 * an evaluation error, CelUnsupported for anything outside the interpreted subset.
 */
export function evaluateCel(expression: string, variables: Env): CelValue {
  let tree = parsed.get(expression);
  if (!tree) {
    tree = parse(expression);
    parsed.set(expression, tree);
  }
  return evaluateNode(tree, variables);
}
