// Shared by the tests that compare history exports: runs interleave in any order, so exports
// are compared run by run.

/** The lines of an export tagged with `run_path`, grouped by run, each run's in file order. */
export function linesByRun(lines: Iterable<string>): Map<string, Array<string>> {
  const runs = new Map<string, Array<string>>();
  for (const line of lines) {
    if (line === "") continue;
    const run = (JSON.parse(line) as { run_path: string }).run_path;
    let mine = runs.get(run);
    if (mine === undefined) runs.set(run, mine = []);
    mine.push(line);
  }
  return runs;
}
