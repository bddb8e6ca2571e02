/**
 * GraphQL documents as data: an operation and the fragments it spreads, each defined once in its
 * resource's `queries.ts`, composed into one document (each fragment once, only those reached)
 * and sent as its text. Query builders return a {@link GraphqlRequest}: the document, its
 * variables and the Schema that decodes the answer. No I/O happens here.
 *
 * The client needs no parser to send a document it wrote itself, so graphql-js is not loaded
 * with it (it costs a program ~3 MB): {@link documentAst} parses a document with graphql-js
 * when an AST is wanted, and the test suite validates every document against the local server's
 * SDL that way.
 *
 * @module
 */
import type * as Schema from "effect/Schema";
import type { RequestError } from "./errors.ts";

/**
 * One GraphQL request, ready to send: what `WandbClient.execute` takes.
 *
 * @typeParam A The decoded `data` of the answer.
 */
export interface GraphqlRequest<A> {
  /** The operation name, used in errors, traces and by servers that match on it. */
  readonly operation: string;
  /** The document, with every fragment it spreads. */
  readonly document: GraphqlDocument;
  /** The variables, JSON-serialisable. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Decodes the response's `data`. */
  readonly decoder: Schema.Decoder<A>;
  /**
   * What to send instead when this request is about to be retried after `error`: a page of
   * fewer items after a 5xx or a timeout, say (W&B answers heavy pages slowly, or with a
   * 502/504). `undefined`, or no function: the same request again.
   */
  readonly retryAs?: ((error: RequestError) => GraphqlRequest<A> | undefined) | undefined;
}

/** One definition of a document: an operation, or a fragment with its name. */
interface Definition {
  /** The fragment's name, for a fragment. */
  readonly fragment: string | undefined;
  readonly text: string;
}

/** A GraphQL document: an operation (or fragments) and every fragment it spreads. */
export interface GraphqlDocument {
  /** The definitions, the document's own first, then the fragments it reaches. */
  readonly definitions: ReadonlyArray<Definition>;
  /** The document as sent. */
  readonly text: string;
}

const fragmentName = /^\s*fragment\s+(\w+)\s+on\b/;
const spreads = /\.\.\.\s*(\w+)/g;
/** Strings (block strings first) and comments, which may hold anything a spread looks like. */
const stringsAndComments = /"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g;

/** The fragments a definition spreads. */
const spreadsOf = (text: string): Array<string> =>
  [...text.replace(stringsAndComments, "").matchAll(spreads)].map((m) => m[1]!);

const keyword = /^(?:query|mutation|subscription|fragment)\b/;

/**
 * The top-level definitions of `source`: each starts with a keyword at depth 0, or is a
 * shorthand query (`{ … }`), skipping strings and comments.
 */
function splitDefinitions(source: string): Array<Definition> {
  const starts: Array<number> = [];
  let depth = 0;
  // Between a definition's keyword and its selection set (its name and variables).
  let header = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"') {
      const block = source.startsWith('"""', i);
      const close = block ? '"""' : '"';
      let j = i + close.length;
      while (j < source.length && !source.startsWith(close, j)) j += source[j] === "\\" ? 2 : 1;
      i = j + close.length - 1;
    } else if (c === "#") {
      const end = source.indexOf("\n", i);
      i = end < 0 ? source.length : end;
    } else if (c === "(") {
      depth++;
    } else if (c === ")") {
      depth--;
    } else if (c === "{") {
      if (depth === 0 && !header) starts.push(i);
      header = false;
      depth++;
    } else if (c === "}") {
      depth--;
    } else if (
      depth === 0 && !header && keyword.test(source.slice(i, i + 13)) &&
      (i === 0 || !/\w/.test(source[i - 1]!))
    ) {
      starts.push(i);
      header = true;
    }
  }
  return starts.map((start, k) => {
    const text = source.slice(start, starts[k + 1] ?? source.length).trim();
    return { fragment: fragmentName.exec(text)?.[1], text };
  });
}

/** The definitions of `own` and of `uses` that `own`'s operations reach, each once. */
function compose(own: ReadonlyArray<Definition>, uses: ReadonlyArray<GraphqlDocument>) {
  const fragments = new Map<string, Definition>();
  for (const doc of uses) {
    for (const d of doc.definitions) {
      if (d.fragment !== undefined && !fragments.has(d.fragment)) fragments.set(d.fragment, d);
    }
  }
  for (const d of own) if (d.fragment !== undefined) fragments.set(d.fragment, d);
  const operations = own.filter((d) => d.fragment === undefined);
  // A document of fragments only keeps them all (and what they spread).
  const roots = operations.length > 0 ? operations : own;
  const reached = new Set<string>();
  const walk = (d: Definition) => {
    for (const name of spreadsOf(d.text)) {
      if (reached.has(name)) continue;
      reached.add(name);
      const target = fragments.get(name);
      if (target !== undefined) walk(target);
    }
  };
  roots.forEach(walk);
  const definitions = [
    ...own,
    ...[...fragments.values()].filter((d) => reached.has(d.fragment!) && !own.includes(d)),
  ];
  return definitions;
}

/**
 * An operation and the fragments it uses (and theirs), each once, in order; fragments no
 * operation reaches are left out, so the document stays valid GraphQL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fragment, operationDocument, printDocument } from "@effect-wandb/api/graphql";
 * const userFields = fragment(`fragment UserFields on User { id name }`);
 * const doc = operationDocument(`query GetViewer { viewer { ...UserFields } }`, userFields);
 * assert.ok(printDocument(doc).includes("fragment UserFields on User"));
 * ```
 */
export function operationDocument(
  source: string,
  ...fragments: ReadonlyArray<GraphqlDocument>
): GraphqlDocument {
  return new ComposedDocument(source, fragments);
}

/** A document composed the first time it is read: loading a query module costs nothing. */
class ComposedDocument implements GraphqlDocument {
  #definitions: ReadonlyArray<Definition> | undefined;
  #text: string | undefined;
  constructor(
    private readonly source: string,
    private readonly fragments: ReadonlyArray<GraphqlDocument>,
  ) {}
  get definitions(): ReadonlyArray<Definition> {
    return this.#definitions ??= compose(splitDefinitions(this.source), this.fragments);
  }
  get text(): string {
    return this.#text ??= this.definitions.map((d) => d.text).join("\n");
  }
}

/**
 * A fragment definition (one `fragment X on T { … }`) with the fragments it spreads.
 *
 * @example
 * ```ts
 * import { fragment } from "@effect-wandb/api/graphql";
 * const userFields = fragment(`fragment UserFields on User { id name }`);
 * ```
 */
export function fragment(
  source: string,
  ...uses: ReadonlyArray<GraphqlDocument>
): GraphqlDocument {
  return operationDocument(source, ...uses);
}

/**
 * A document's text, as sent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { operationDocument, printDocument } from "@effect-wandb/api/graphql";
 * assert.ok(printDocument(operationDocument(`{ viewer { id } }`)).includes("viewer"));
 * ```
 */
export function printDocument(doc: GraphqlDocument): string {
  return doc.text;
}
