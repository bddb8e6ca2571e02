/**
 * The local server's SDL of console logs. Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of console logs. */
export const consoleSdl: string = /* GraphQL */ `
extend type Run {
  "The number of lines of the run's console log."
  logLineCount: Int
  "The run's console lines in order: the first after a cursor, or the last (capped by the server)."
  logLines(first: Int, after: String, last: Int, useImprovedPagination: Boolean): LogLineConnection
}

type LogLine {
  "Its position in the log, from 0."
  number: Int!
  timestamp: DateTime
  "error for a line written to stderr, empty otherwise."
  level: String
  label: String
  line: String!
}

type LogLineConnection {
  pageInfo: PageInfo!
  edges: [LogLineEdge!]!
}

type LogLineEdge {
  node: LogLine!
  cursor: String
}
`;
