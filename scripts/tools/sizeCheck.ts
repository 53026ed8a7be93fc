/**
 * Size check: no source file over 400 lines, no function over 150 lines
 * (generated code aside). Prints the largest files and functions, and fails
 * when one passes a limit. Run by `npm test`; `tsx scripts/tools/sizeCheck.ts`.
 *
 * A "function" is any function declaration, method, arrow or function
 * expression, measured from its first to its last line, except callbacks
 * handed to vitest's `describe` (a test file's grouping, not logic; the file
 * limit still holds for it).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";

/** @default 400 */
const MAX_FILE_LINES = 400;
/** @default 150 */
const MAX_FUNCTION_LINES = 150;
const SHOW = 5;

const isGenerated = (path: string) => /(^|\/)generated\//.test(path) || /\.gen\.|\.d\.mts$|\.d\.ts$/.test(path);

export interface Measure {
  path: string;
  name: string;
  line: number;
  lines: number;
}

/** Every function of `source` (a file's text) with its length in lines. */
export function measureFunctions(path: string, source: string): Measure[] {
  const kind = path.endsWith(".tsx") ? ts.ScriptKind.TSX : path.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, kind);
  const found: Measure[] = [];
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line + 1;
  const nameOf = (node: ts.Node): string => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText(file);
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(file);
    if (ts.isCallExpression(parent)) return `${parent.expression.getText(file).slice(0, 40)}(…)`;
    return "(anonymous)";
  };
  const isDescribeCallback = (node: ts.Node) => {
    const parent = node.parent;
    return ts.isCallExpression(parent) && /^describe(\.\w+)?$/.test(parent.expression.getText(file));
  };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body && !isDescribeCallback(node)) {
      const line = lineOf(node.getStart(file));
      found.push({ path, name: nameOf(node), line, lines: lineOf(node.getEnd()) - line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function main() {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.tsx", "*.mjs"], {
    encoding: "utf8",
  })
    .split("\n")
    .filter((path) => path && !isGenerated(path) && !path.includes("node_modules/"));
  const fileSizes: Measure[] = [];
  const functions: Measure[] = [];
  for (const path of files) {
    let source: string;
    try {
      source = readFileSync(path, "utf8");
    } catch {
      continue; // deleted in the work tree, not yet in the index
    }
    fileSizes.push({ path, name: path, line: 1, lines: source.split("\n").length - (source.endsWith("\n") ? 1 : 0) });
    functions.push(...measureFunctions(path, source));
  }
  fileSizes.sort((a, b) => b.lines - a.lines);
  functions.sort((a, b) => b.lines - a.lines);
  const tooBigFiles = fileSizes.filter((f) => f.lines > MAX_FILE_LINES);
  const tooBigFunctions = functions.filter((f) => f.lines > MAX_FUNCTION_LINES);

  console.log(`Largest files (limit ${MAX_FILE_LINES} lines), of ${fileSizes.length}:`);
  for (const f of fileSizes.slice(0, Math.max(SHOW, tooBigFiles.length))) console.log(`  ${String(f.lines).padStart(5)}  ${f.path}`);
  console.log(`Largest functions (limit ${MAX_FUNCTION_LINES} lines), of ${functions.length}:`);
  for (const f of functions.slice(0, Math.max(SHOW, tooBigFunctions.length)))
    console.log(`  ${String(f.lines).padStart(5)}  ${f.path}:${f.line} ${f.name}`);
  if (tooBigFiles.length || tooBigFunctions.length) {
    console.log(`${tooBigFiles.length} file(s) and ${tooBigFunctions.length} function(s) over the limit: split them by concern.`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
