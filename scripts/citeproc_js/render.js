#!/usr/bin/env node
// Reference rendering with citeproc-js (the engine behind Zotero), for kb's tests.
//
// Usage: node render.js STYLE.csl LOCALE.xml FORMAT < items.json
//   FORMAT is "text" or "html". Reads a CSL-JSON array on stdin and prints one JSON object:
//   {"bibliography": {id: entry, ...} in reference-list order, "citations": {id: "(Author, Year)"}}.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const [stylePath, localePath, format] = process.argv.slice(2);
if (!stylePath || !localePath || !["text", "html"].includes(format)) {
  process.stderr.write("usage: node render.js STYLE.csl LOCALE.xml text|html < items.json\n");
  process.exit(2);
}
const style = fs.readFileSync(stylePath, "utf8");
const locale = fs.readFileSync(localePath, "utf8");
const items = JSON.parse(fs.readFileSync(0, "utf8"));
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
  bibliography[ids[0]] = entries[i].trim();
});
const citations = {};
for (const id of Object.keys(byId)) {
  citations[id] = engine.makeCitationCluster([{ id }]);
}
process.stdout.write(JSON.stringify({ bibliography, citations }, null, 1) + "\n");
