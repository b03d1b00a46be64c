#!/usr/bin/env node
// Reference rendering with citeproc-js (the engine behind Zotero), for kb's tests.
//
// Usage: node render.js STYLE.csl LOCALE.xml FORMAT < input.json
//   FORMAT is "text" or "html". The input is a CSL-JSON array of items, or
//   {"items": [...], "clusters": [["id", ...], ...]} to also cite several items at once.
//   Prints one JSON object: {"bibliography": {id: entry} in reference-list order,
//   "citations": {id: in-text citation of that item alone}, "clusters": [citation, ...]}.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const [stylePath, localePath, format] = process.argv.slice(2);
if (!stylePath || !localePath || !["text", "html"].includes(format)) {
  process.stderr.write("usage: node render.js STYLE.csl LOCALE.xml text|html < input.json\n");
  process.exit(2);
}
const style = fs.readFileSync(stylePath, "utf8");
const locale = fs.readFileSync(localePath, "utf8");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const items = Array.isArray(input) ? input : input.items;
const clusters = Array.isArray(input) ? [] : input.clusters || [];
const byId = Object.fromEntries(items.map((item) => [String(item.id), item]));

const engine = new CSL.Engine(
  {
    retrieveLocale: () => locale,
    retrieveItem: (id) => byId[id],
  },
  style,
  "en-US",
);
engine.setOutputFormat(format);
engine.updateItems(Object.keys(byId));

const [meta, entries] = engine.makeBibliography();
const bibliography = {};
meta.entry_ids.forEach((ids, i) => {
  // drop the <div class="csl-entry"> wrapper of the html format, keep the entry itself
  bibliography[ids[0]] = entries[i].trim().replace(/^<div class="csl-entry">|<\/div>$/g, "");
});
const citations = {};
for (const id of Object.keys(byId)) {
  citations[id] = engine.makeCitationCluster([{ id }]);
}
const cited = clusters.map((ids) => engine.makeCitationCluster(ids.map((id) => ({ id }))));
process.stdout.write(JSON.stringify({ bibliography, citations, clusters: cited }, null, 1) + "\n");
