#!/usr/bin/env node
// solc-wrapper.js — a solc command-line stand-in for forge, backed by solc-js.
//
// forge runs its `solc` binary in two ways; both are served here:
//   `<solc> --version`                      -> the banner forge parses for the version
//   `<solc> --standard-json [flags] < in`   -> compile standard JSON read from stdin
// Other flags forge adds (--allow-paths, --base-path, --include-path, ...) are accepted;
// --base-path/--include-path are used as roots when an import must be read from disk.
// No binary is downloaded: the compiler is the pinned `solc` npm package.
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '..', 'node_modules', 'solc'));

// solc-js reports e.g. "0.8.30+commit.73712a01.Emscripten.clang"; forge expects a
// native-looking banner, so the platform suffix is rewritten.
function nativeVersion() {
  return solc.version().replace(/\.Emscripten\.clang$/, '.Linux.g++');
}

function parseArgs(argv) {
  const opts = { version: false, standardJson: false, roots: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const takeValue = () => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      i += 1;
      return argv[i];
    };
    if (a === '--version') opts.version = true;
    else if (a === '--standard-json') opts.standardJson = true;
    else if (a.startsWith('--base-path') || a.startsWith('--include-path')) opts.roots.push(takeValue());
    else if (a.startsWith('--allow-paths')) takeValue();
    // Any other flag is ignored: standard JSON carries all settings.
  }
  return opts;
}

function importResolver(roots) {
  const bases = roots.length > 0 ? roots : [process.cwd()];
  return (importPath) => {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : bases.map((b) => path.resolve(b, importPath));
    for (const p of candidates) {
      try {
        return { contents: fs.readFileSync(p, 'utf8') };
      } catch (_) {
        // try the next root
      }
    }
    return { error: `solc-wrapper: file not found: ${importPath} (roots: ${bases.join(', ')})` };
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.version) {
    process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${nativeVersion()}\n`);
    return 0;
  }
  if (!opts.standardJson) {
    process.stderr.write('solc-wrapper: only --version and --standard-json are supported\n');
    return 1;
  }
  const input = fs.readFileSync(0, 'utf8');
  const output = solc.compile(input, { import: importResolver(opts.roots) });
  process.stdout.write(output);
  return 0;
}

process.exitCode = main();
