#!/usr/bin/env node
// Breaking-change check of the GraphQL contract (issue 11, "The schema is part of the contract").
//
// Compares the working tree's `schema.graphql` (the exact output of
// `cargo run -p credit-bank -- export-schema`) with the one of the previous commit
// (`git show HEAD~1:schema.graphql`; another git revision with SCHEMA_CHECK_BASE=<rev>, e.g.
// SCHEMA_CHECK_BASE=HEAD to check uncommitted changes) using graphql-js's findBreakingChanges.
//
// The rule: every breaking change must be named in the README's changelog. A change is named when
// its schema coordinate appears verbatim, as a whole word, in the README section headed
// `## Changelog` (up to the next heading of the same or a higher level). The coordinate is the
// one of the GraphQL schema-coordinates proposal:
//   a type removed or changed kind            `Type`
//   a field removed or changed type           `Type.field`
//   an argument removed, changed or required  `Type.field(arg:)`
//   an enum value removed                     `Enum.VALUE`
//   a required input field added              `Input.field`
//   a union member or interface removed       `Union` / `Type` (the type that changed)
//   a directive (or its argument) changed     `@directive` / `@directive(arg:)`
// e.g. a changelog entry "- Removed `Course.code` (use `Course.reference`), ..." names the removal
// of Course.code. Say why in the same entry; the check only looks for the coordinate.
// Dangerous (non-breaking) changes are listed for information and never fail the check.
//
// Passes with a message when there is nothing to compare with: no git history, no previous commit,
// or no schema.graphql in it. Exit status: 0 = pass, 1 = an unnamed breaking change or a
// schema.graphql that is missing or does not parse.
//
// graphql-js comes from tests/browser's npm packages (`npm ci` in tests/browser, as .ci/run does).

import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = process.env.SCHEMA_CHECK_BASE || 'HEAD~1';
const REGENERATE = 'cargo run -p credit-bank -- export-schema > schema.graphql';

function fail(message) {
  console.error(`schema-check: FAILED: ${message}`);
  process.exit(1);
}

const graphqlUrl = new URL('../tests/browser/node_modules/graphql/index.mjs', import.meta.url);
let graphql;
try {
  graphql = await import(graphqlUrl);
} catch (e) {
  fail(`graphql-js not found at ${fileURLToPath(graphqlUrl)} (run \`npm ci\` in tests/browser): ${e.message}`);
}
const { buildSchema, findBreakingChanges, findDangerousChanges } = graphql;

const currentPath = join(root, 'schema.graphql');
if (!existsSync(currentPath)) {
  fail(`schema.graphql is missing at the repository root: ${REGENERATE}`);
}
const currentSdl = readFileSync(currentPath, 'utf8');

let previousSdl;
try {
  previousSdl = execFileSync('git', ['show', `${base}:schema.graphql`], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
} catch {
  console.log(`schema-check: passed: no schema.graphql at ${base} to compare with (no history, or the file is new)`);
  process.exit(0);
}

function build(sdl, where) {
  try {
    return buildSchema(sdl);
  } catch (e) {
    fail(`the schema.graphql of ${where} does not parse as SDL: ${e.message}`);
  }
}
const previous = build(previousSdl, base);
const current = build(currentSdl, 'the working tree');

// The schema coordinate a change is named by, read from graphql-js 16's description of it.
function coordinate(change) {
  const d = change.description;
  const m = (re) => d.match(re);
  let g;
  switch (change.type) {
    case 'FIELD_REMOVED':
    case 'FIELD_CHANGED_KIND':
      if ((g = m(/^(\w+)\.(\w+) /))) return `${g[1]}.${g[2]}`;
      break;
    case 'ARG_REMOVED':
    case 'ARG_CHANGED_KIND':
      if ((g = m(/^(\w+)\.(\w+) arg (\w+) /))) return `${g[1]}.${g[2]}(${g[3]}:)`;
      break;
    case 'REQUIRED_ARG_ADDED':
      if ((g = m(/arg (\w+) on (\w+)\.(\w+) /))) return `${g[2]}.${g[3]}(${g[1]}:)`;
      break;
    case 'REQUIRED_INPUT_FIELD_ADDED':
      if ((g = m(/field (\w+) on input type (\w+) /))) return `${g[2]}.${g[1]}`;
      break;
    case 'VALUE_REMOVED_FROM_ENUM':
      if ((g = m(/^(\w+) was removed from enum type (\w+)/))) return `${g[2]}.${g[1]}`;
      break;
    case 'TYPE_REMOVED_FROM_UNION':
      if ((g = m(/from union type (\w+)/))) return g[1];
      break;
    case 'TYPE_REMOVED':
      if ((g = m(/^(?:Standard scalar )?(\w+) was removed/))) return g[1];
      break;
    case 'DIRECTIVE_REMOVED':
      if ((g = m(/^(\w+) was removed/))) return `@${g[1]}`;
      break;
    case 'DIRECTIVE_REPEATABLE_REMOVED':
    case 'DIRECTIVE_LOCATION_REMOVED':
      if ((g = m(/ was removed from (\w+)\.$/))) return `@${g[1]}`;
      break;
    case 'DIRECTIVE_ARG_REMOVED':
      if ((g = m(/^(\w+) was removed from (\w+)/))) return `@${g[2]}(${g[1]}:)`;
      break;
    case 'REQUIRED_DIRECTIVE_ARG_ADDED':
      if ((g = m(/arg (\w+) on directive (\w+)/))) return `@${g[2]}(${g[1]}:)`;
      break;
    default:
      break;
  }
  // TYPE_CHANGED_KIND, IMPLEMENTED_INTERFACE_REMOVED, and anything newer: the type (or the first
  // coordinate-looking word) the description starts with.
  g = m(/@?\w+(\.\w+)?/);
  return g ? g[0] : d;
}

function changelogOf(readme) {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((l) => /^#{1,6}\s+Changelog\s*$/i.test(l));
  if (start < 0) return null;
  const level = lines[start].match(/^#+/)[0].length;
  const body = [];
  for (const line of lines.slice(start + 1)) {
    const h = line.match(/^(#{1,6})\s/);
    if (h && h[1].length <= level) break;
    body.push(line);
  }
  return body.join('\n');
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A whole coordinate: `Course.code` is not named by `Course.codes`, `MyCourse.code`,
// `Course.code(arg:)` or `Course.code.x`; a type `Course` is not named by `Course.code`.
function named(changelog, coord) {
  return new RegExp(`(?<![\\w@.])${escape(coord)}(?![\\w(]|\\.\\w)`).test(changelog);
}

const breaking = findBreakingChanges(previous, current);
const dangerous = findDangerousChanges(previous, current);

for (const change of dangerous) {
  console.log(`schema-check: dangerous (allowed): ${change.type}: ${change.description}`);
}

if (breaking.length === 0) {
  console.log(
    `schema-check: passed: no breaking changes against ${base}` +
      (dangerous.length ? ` (${dangerous.length} dangerous, listed above)` : ''),
  );
  process.exit(0);
}

const readmePath = join(root, 'README.md');
const changelog = existsSync(readmePath) ? changelogOf(readFileSync(readmePath, 'utf8')) : null;
if (changelog === null) {
  console.error('schema-check: README.md has no section headed "## Changelog"');
}

let unnamed = 0;
for (const change of breaking) {
  const coord = coordinate(change);
  const ok = changelog !== null && named(changelog, coord);
  if (!ok) unnamed += 1;
  const verdict = ok ? 'named in the changelog' : 'NOT NAMED in the README changelog';
  console.log(`schema-check: BREAKING ${change.type} \`${coord}\`: ${change.description} [${verdict}]`);
}

if (unnamed > 0) {
  fail(
    `${unnamed} of ${breaking.length} breaking change(s) against ${base} are not named in the ` +
      'README\'s "## Changelog": add an entry that names each coordinate above in backticks ' +
      'and says why (API.md: rename or remove a listed name only with such a note)',
  );
}
console.log(`schema-check: passed: ${breaking.length} breaking change(s) against ${base}, each named in the changelog`);
