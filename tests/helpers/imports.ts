/** Module specifiers a TypeScript file imports: static, type-only, re-exports and dynamic `import()`. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  // Comments may mention modules (an example import in a doc comment) without importing them.
  source = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const re = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2]);
  return out;
}

/**
 * Elementary import circles of a module graph, each as [a, b, …, a] starting at its smallest
 * member: strongly connected components (Tarjan), then one shortest circle through each.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (c.length > 1 || selfLoop) components.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  // One shortest circle through the smallest member of each component (breadth-first inside it).
  return components
    .map((c) => {
      const inside = new Set(c);
      const start = c[0];
      const prev = new Map<string, string>();
      const queue = [start];
      while (queue.length) {
        const v = queue.shift()!;
        for (const w of graph.get(v) ?? []) {
          if (!inside.has(w)) continue;
          if (w === start) {
            const path = [v];
            while (path[0] !== start) path.unshift(prev.get(path[0])!);
            return [...path, start];
          }
          if (!prev.has(w)) {
            prev.set(w, v);
            queue.push(w);
          }
        }
      }
      return [start, start];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
