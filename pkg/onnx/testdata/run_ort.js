// Runs an ONNX model in ONNX Runtime (npm onnxruntime-node) on float32 inputs stored as raw
// little-endian files and prints, as one JSON line, the model's input names and its outputs:
//   {"inputs": ["hlf", ...], "outputs": {"probabilities": {"dims": [N, 3], "data": [...]}}}
//
// Usage: node run_ort.js NODE_MODULES MODEL.onnx NAME=FILE:D1,D2,... ...
'use strict';
const { createRequire } = require('module');
const fs = require('fs');
const req = createRequire(process.argv[2] + '/');
const ort = req('onnxruntime-node');

(async () => {
  const session = await ort.InferenceSession.create(process.argv[3], {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'],
  });
  const feeds = {};
  for (const arg of process.argv.slice(4)) {
    const m = /^([^=]+)=(.*):([0-9,]+)$/.exec(arg);
    if (!m) throw new Error('bad input argument ' + arg);
    const bytes = fs.readFileSync(m[2]);
    const data = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(data.buffer).set(bytes); // copy: the file buffer may be unaligned
    feeds[m[1]] = new ort.Tensor('float32', data, m[3].split(',').map(Number));
  }
  const results = await session.run(feeds);
  const out = { inputs: session.inputNames, outputs: {} };
  for (const [name, t] of Object.entries(results)) {
    out.outputs[name] = { dims: t.dims, data: Array.from(t.data) };
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String((e && e.stack) || e)); process.exit(1); });
