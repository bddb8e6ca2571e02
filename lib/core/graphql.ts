/**
 * GraphQL documents as data: operations and fragments are parsed once with graphql-js, composed
 * as ASTs, and printed when sent. Query builders return a {@link GraphqlRequest}: the document,
 * its variables and the Schema that decodes the answer. No I/O happens here.
 *
 * @module
 */
import type { DefinitionNode, DocumentNode, FragmentDefinitionNode } from "graphql/language/ast";
import { Kind } from "graphql/language/kinds";
import { parse } from "graphql/language/parser";
import { print } from "graphql/language/printer";
import { visit } from "graphql/language/visitor";
import type * as Schema from "effect/Schema";

/**
 * One GraphQL request, ready to send: what {@link WandbClient.execute} takes.
 *
 * @typeParam A The decoded `data` of the answer.
 */
export interface GraphqlRequest<A> {
  /** The operation name, used in errors, traces and by servers that match on it. */
  readonly operation: string;
  /** The document, with every fragment it spreads. */
  readonly document: DocumentNode;
  /** The variables, JSON-serialisable. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Decodes the response's `data`. */
  readonly decoder: Schema.Decoder<A>;
}

/**
 * Parses a fragment definition (one `fragment X on T { … }` plus the fragments it spreads).
 *
 * @example
 * ```ts
 * import { fragment } from "@effect-wandb/api";
 * const userFields = fragment(`fragment UserFields on User { id name }`);
 * ```
 */
export function fragment(source: string, ...uses: ReadonlyArray<DocumentNode>): DocumentNode {
  return operationDocument(source, ...uses);
}

/**
 * Parses an operation and appends the fragments it uses (and theirs), each once, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { print } from "graphql";
 * import { fragment, operationDocument } from "@effect-wandb/api";
 * const userFields = fragment(`fragment UserFields on User { id name }`);
 * const doc = operationDocument(`query GetViewer { viewer { ...UserFields } }`, userFields);
 * assert.ok(print(doc).includes("fragment UserFields on User"));
 * ```
 */
export function operationDocument(
  source: string,
  ...fragments: ReadonlyArray<DocumentNode>
): DocumentNode {
  const own = parse(source, { noLocation: true });
  const definitions: Array<DefinitionNode> = [...own.definitions];
  const seen = new Set(
    own.definitions.flatMap((d) => d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : []),
  );
  for (const doc of fragments) {
    for (const definition of doc.definitions) {
      if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
      if (seen.has(definition.name.value)) continue;
      seen.add(definition.name.value);
      definitions.push(definition);
    }
  }
  return pruneFragments({ kind: Kind.DOCUMENT, definitions });
}

/** Drops fragment definitions no operation reaches, so documents stay valid GraphQL. */
function pruneFragments(doc: DocumentNode): DocumentNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const reached = new Set<string>();
  const walk = (node: DefinitionNode) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (reached.has(name)) return;
        reached.add(name);
        const target = fragments.get(name);
        if (target !== undefined) walk(target);
      },
    });
  };
  const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length === 0) return doc;
  operations.forEach(walk);
  return {
    kind: Kind.DOCUMENT,
    definitions: doc.definitions.filter((d) =>
      d.kind !== Kind.FRAGMENT_DEFINITION || reached.has(d.name.value)
    ),
  };
}

const printed = new WeakMap<DocumentNode, string>();

/**
 * Prints a document, once per document object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { operationDocument, printDocument } from "@effect-wandb/api";
 * assert.ok(printDocument(operationDocument(`{ viewer { id } }`)).includes("viewer"));
 * ```
 */
export function printDocument(doc: DocumentNode): string {
  let text = printed.get(doc);
  if (text === undefined) {
    text = print(doc);
    printed.set(doc, text);
  }
  return text;
}
