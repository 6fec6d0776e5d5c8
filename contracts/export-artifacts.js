#!/usr/bin/env node
// export-artifacts.js — turn forge's build output into small, stable JSON artifacts.
//
// usage: export-artifacts.js <forge out dir> <destination dir> <Contract>...
//
// One <Contract>.json per contract with: contractName, sourceName, abi, methodIdentifiers,
// bytecode / deployedBytecode (hex, 0x-prefixed), their source maps, the deployed
// bytecode's immutable references, the compiler version and settings, and the source
// files of the compilation (id, path relative to the repo root, content), which is what
// a source-map entry's file index refers to. Nothing machine- or time-dependent is
// written (no absolute paths, no build ids), so two builds of the same sources give
// byte-identical files; `make contracts-check` relies on that.
'use strict';

const fs = require('fs');
const path = require('path');

function fail(msg) {
  process.stderr.write(`export-artifacts: ${msg}\n`);
  process.exit(1);
}

function readJSON(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return fail(`cannot read ${file}: ${err.message}`);
  }
}

// Finds the forge artifact <out>/<File>.sol/<Contract>.json for a contract name.
function findArtifact(outDir, name) {
  const hits = [];
  for (const entry of fs.readdirSync(outDir)) {
    const candidate = path.join(outDir, entry, `${name}.json`);
    if (entry.endsWith('.sol') && fs.existsSync(candidate)) hits.push(candidate);
  }
  if (hits.length !== 1) fail(`expected exactly one artifact for ${name} in ${outDir}, found ${hits.length}`);
  return hits[0];
}

// Finds the build-info whose compilation produced <sourceName>:<name>.
function findBuildInfo(outDir, sourceName, name) {
  const dir = path.join(outDir, 'build-info');
  const hits = [];
  for (const entry of fs.readdirSync(dir).sort()) {
    if (!entry.endsWith('.json')) continue;
    const info = readJSON(path.join(dir, entry));
    const contracts = info.output && info.output.contracts;
    if (contracts && contracts[sourceName] && contracts[sourceName][name]) hits.push(info);
  }
  if (hits.length !== 1) fail(`expected exactly one build-info for ${sourceName}:${name}, found ${hits.length}`);
  return hits[0];
}

function hex(object) {
  if (typeof object !== 'string' || object.length === 0) fail('missing bytecode object');
  return object.startsWith('0x') ? object : `0x${object}`;
}

function exportOne(outDir, destDir, name) {
  const art = readJSON(findArtifact(outDir, name));
  const meta = typeof art.rawMetadata === 'string' ? JSON.parse(art.rawMetadata) : art.metadata;
  const target = meta && meta.settings && meta.settings.compilationTarget;
  if (!target) fail(`${name}: artifact has no metadata.settings.compilationTarget`);
  const sourceName = Object.keys(target)[0];
  const info = findBuildInfo(outDir, sourceName, name);

  const sources = Object.entries(info.source_id_to_path)
    .map(([id, p]) => {
      const src = info.input.sources[p];
      if (!src || typeof src.content !== 'string') fail(`${name}: no content for source ${p}`);
      if (path.isAbsolute(p)) fail(`${name}: absolute source path ${p}; run forge from the repo root`);
      return { id: Number(id), path: p, content: src.content };
    })
    .sort((a, b) => a.id - b.id);

  const settings = { ...info.input.settings };
  delete settings.outputSelection;

  const out = {
    contractName: name,
    sourceName,
    abi: art.abi,
    methodIdentifiers: art.methodIdentifiers,
    bytecode: hex(art.bytecode.object),
    sourceMap: art.bytecode.sourceMap,
    deployedBytecode: hex(art.deployedBytecode.object),
    deployedSourceMap: art.deployedBytecode.sourceMap,
    immutableReferences: art.deployedBytecode.immutableReferences || {},
    compiler: { version: info.solcLongVersion, settings },
    sources,
  };
  fs.mkdirSync(destDir, { recursive: true });
  fs.writeFileSync(path.join(destDir, `${name}.json`), `${JSON.stringify(out, null, 1)}\n`);
}

function main(argv) {
  if (argv.length < 3) fail('usage: export-artifacts.js <forge out dir> <destination dir> <Contract>...');
  const [outDir, destDir, ...names] = argv;
  for (const name of names) exportOne(outDir, destDir, name);
}

main(process.argv.slice(2));
