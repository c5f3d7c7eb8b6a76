// Reads the Delphes collections of a ROOT file with jsroot, an independent reader, and prints
// one JSON object: the event count and, per collection, the total object count, the count of
// each event and the float64 sum of each member.
//
// Usage: node jsroot_sums.mjs JSROOT_DIR FILE.root
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [jsrootDir, file] = process.argv.slice(2);
const jsroot = await import(pathToFileURL(path.join(jsrootDir, 'modules', 'main.mjs')).href);
const { TSelector, treeProcess } = await import(pathToFileURL(path.join(jsrootDir, 'modules', 'tree.mjs')).href);

const members = {
  EFlowTrack: ['PT', 'Eta', 'Phi', 'X', 'Y', 'Z', 'PID'],
  EFlowPhoton: ['ET', 'Eta', 'Phi'],
  EFlowNeutralHadron: ['ET', 'Eta', 'Phi'],
  Electron: ['PT', 'Eta', 'Phi', 'Charge'],
  Muon: ['PT', 'Eta', 'Phi', 'Charge'],
  MissingET: ['MET', 'Phi'],
  Jet: ['PT', 'Eta', 'BTag'],
};

const f = await jsroot.openFile(file);
const tree = await f.readObject('Delphes');
const names = new Set();
const walk = (arr) => { for (const b of arr?.arr ?? []) { names.add(b.fName); walk(b.fBranches); } };
walk(tree.fBranches);
const muon = names.has('MuonTight') || names.has('MuonTight_size') ? 'MuonTight' : 'Muon';

const out = { entries: 0, muon, collections: {} };
const sel = new TSelector();
const cols = [];
for (const [coll, ms] of Object.entries(members)) {
  const name = coll === 'Muon' ? muon : coll;
  const c = { count: 0, perEvent: [], sums: {} };
  out.collections[coll] = c;
  for (const m of ms) {
    c.sums[m] = 0;
    cols.push({ c, m, key: sel.addBranch(`${name}.${m}`, `v${cols.length}`) });
  }
}
sel.Process = function () {
  out.entries++;
  const seen = new Set();
  cols.forEach((col, i) => {
    const v = this.tgtobj[`v${i}`];
    const arr = Array.isArray(v) || ArrayBuffer.isView(v) ? v : [v];
    if (!seen.has(col.c)) {
      seen.add(col.c);
      col.c.count += arr.length;
      col.c.perEvent.push(arr.length);
    }
    let s = 0;
    for (const x of arr) s += Number(x);
    col.c.sums[col.m] += s;
  });
};
await treeProcess(tree, sel);
console.log(JSON.stringify(out));
