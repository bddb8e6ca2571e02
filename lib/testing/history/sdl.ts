/**
 * The local server's SDL of run histories. Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of run histories. */
export const historySdl: string = /* GraphQL */ `
extend type Run {
  historyLineCount: Int
  "An object: lastStep, and per key its typeCounts."
  historyKeys(format: String): JSON
  "Rows as JSON strings. Without a window, at most samples rows spread evenly over the whole history. With minStep and maxStep, the rows with minStep <= _step < maxStep, at most samples of them."
  history(samples: Int, minStep: Int64, maxStep: Int64): [String!]!
  "System metrics rows as JSON strings, at most samples of them."
  events(samples: Int): [String!]!
  "One list of row objects per spec (keys, samples, minStep, maxStep)."
  sampledHistory(specs: [JSONString!]!): [JSON!]!
  parquetHistory(liveKeys: [String!]!): ParquetHistory!
}

type ParquetHistory {
  liveData: [JSON!]!
  parquetUrls: [String!]!
}
`;
