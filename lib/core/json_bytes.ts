/**
 * Reading one list out of a JSON answer's bytes without parsing the rest: how the history
 * export reaches W&B's rows (JSON strings inside the GraphQL JSON) without building a string
 * per row. The reader checks the document's structure (brackets, strings, commas) and gives
 * up, returning `false`, on anything it does not expect; the caller then decodes the body the
 * ordinary way, which names the problem.
 *
 * @module
 */

// The bytes of JSON's punctuation, shared by the readers and printers of JSON bytes.
/** `"` */
export const QUOTE = 0x22;
/** `\` */
export const BACKSLASH = 0x5c;
/** `,` */
export const COMMA = 0x2c;
/** `:` */
export const COLON = 0x3a;
/** `{` */
export const OPEN_OBJECT = 0x7b;
/** `}` */
export const CLOSE_OBJECT = 0x7d;
/** `[` */
export const OPEN_ARRAY = 0x5b;
/** `]` */
export const CLOSE_ARRAY = 0x5d;

/** Whether a byte is JSON whitespace. */
export const isJsonBlank = (byte: number): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function skipBlanks(src: Uint8Array, i: number): number {
  while (i < src.length && isJsonBlank(src[i]!)) i++;
  return i;
}

/** The index after the string whose opening quote is at `i - 1`, or -1 if it never closes. */
function skipStringBody(src: Uint8Array, i: number): number {
  while (i < src.length) {
    const byte = src[i++]!;
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH) i++;
  }
  return -1;
}

/** The index after the value starting at `i` (blanks skipped), or -1 if it is malformed. */
function skipValue(src: Uint8Array, i: number): number {
  i = skipBlanks(src, i);
  if (i >= src.length) return -1;
  const first = src[i]!;
  if (first === QUOTE) return skipStringBody(src, i + 1);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    // A number or a literal: up to the next delimiter.
    const start = i;
    while (i < src.length) {
      const byte = src[i]!;
      if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isJsonBlank(byte)) {
        break;
      }
      i++;
    }
    return i > start ? i : -1;
  }
  let depth = 0;
  while (i < src.length) {
    const byte = src[i++]!;
    if (byte === QUOTE) {
      i = skipStringBody(src, i);
      if (i < 0) return -1;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

const isNullAt = (src: Uint8Array, i: number): boolean =>
  src[i] === 0x6e && src[i + 1] === 0x75 && src[i + 2] === 0x6c && src[i + 3] === 0x6c;

/** Whether the string body at `[start, end)` (no escapes) spells `key`. */
function keyIs(src: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (src[start + k] !== key[k]) return false;
  return true;
}

/**
 * Reads the strings of one list of a response: called with the index of each string's first
 * byte after its opening quote, it returns the index after its closing quote, or -1 to give up.
 */
export type JsonStringReader = (src: Uint8Array, bodyStart: number) => number;

const keyBytes = (path: ReadonlyArray<string>) => path.map((key) => new TextEncoder().encode(key));

/**
 * Walks a GraphQL answer's bytes to the list at `data.<path>` and hands each of its strings to
 * `read`, in order. Returns `true` when the document is a complete object whose `errors` is
 * absent or null and whose list was found and read whole; `false` otherwise (a `null` on the
 * way, an error, a list item that is not a string, a cut-off body), in which case the caller
 * decodes the body the ordinary way.
 */
export function readGraphqlStrings(
  path: ReadonlyArray<string>,
): (body: Uint8Array, read: JsonStringReader) => boolean {
  const data = new TextEncoder().encode("data");
  const errors = new TextEncoder().encode("errors");
  const keys = keyBytes(path);

  /** The members of the object at `i`: returns the index after it, or -1. */
  const object = (
    src: Uint8Array,
    i: number,
    member: (keyStart: number, keyEnd: number, valueAt: number) => number,
  ): number => {
    i = skipBlanks(src, i);
    if (src[i] !== OPEN_OBJECT) return -1;
    i = skipBlanks(src, i + 1);
    if (src[i] === CLOSE_OBJECT) return i + 1;
    while (i < src.length) {
      if (src[i] !== QUOTE) return -1;
      const keyStart = i + 1;
      const keyEnd = skipStringBody(src, keyStart);
      if (keyEnd < 0) return -1;
      i = skipBlanks(src, keyEnd);
      if (src[i] !== COLON) return -1;
      i = member(keyStart, keyEnd - 1, skipBlanks(src, i + 1));
      if (i < 0) return -1;
      i = skipBlanks(src, i);
      if (src[i] === CLOSE_OBJECT) return i + 1;
      if (src[i] !== COMMA) return -1;
      i = skipBlanks(src, i + 1);
    }
    return -1;
  };

  const list = (src: Uint8Array, i: number, read: JsonStringReader): number => {
    if (src[i] !== OPEN_ARRAY) return -1;
    i = skipBlanks(src, i + 1);
    if (src[i] === CLOSE_ARRAY) return i + 1;
    while (i < src.length) {
      if (src[i] !== QUOTE) return -1;
      i = read(src, i + 1);
      if (i < 0) return -1;
      i = skipBlanks(src, i);
      if (src[i] === CLOSE_ARRAY) return i + 1;
      if (src[i] !== COMMA) return -1;
      i = skipBlanks(src, i + 1);
    }
    return -1;
  };

  return (body, read) => {
    let found = false;
    let failed = false;
    const descend = (src: Uint8Array, i: number, depth: number): number =>
      object(src, i, (keyStart, keyEnd, valueAt) => {
        if (!keyIs(src, keyStart, keyEnd, keys[depth]!) || found) return skipValue(src, valueAt);
        if (depth === keys.length - 1) {
          found = true;
          return list(src, valueAt, read);
        }
        return descend(src, valueAt, depth + 1);
      });
    const end = object(body, 0, (keyStart, keyEnd, valueAt) => {
      if (keyIs(body, keyStart, keyEnd, errors)) {
        if (!isNullAt(body, valueAt)) failed = true;
        return skipValue(body, valueAt);
      }
      if (keyIs(body, keyStart, keyEnd, data)) return descend(body, valueAt, 0);
      return skipValue(body, valueAt);
    });
    return end >= 0 && !failed && found && skipBlanks(body, end) === body.length;
  };
}
