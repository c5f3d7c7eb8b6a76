// Times an ONNX model in ONNX Runtime (npm onnxruntime-node) on a dataset exported by
// bench.ExportData, and prints one JSON line:
//   {"version": "1.30.0", "latency_ms": [...one per batch-1 run...],
//    "throughput": [{"batch": 128, "runs": 12, "seconds": 2.1}, ...]}
//
// Usage: node ort_latency.js NODE_MODULES MODEL.onnx DATA_DIR CONFIG_JSON
// CONFIG_JSON: {"threads": 2, "latency_runs": 200, "batches": [128, 1024],
//               "min_time_ms": 2000, "min_runs": 3}
'use strict';
const { createRequire } = require('module');
const fs = require('fs');
const path = require('path');
const req = createRequire(process.argv[2] + '/');
const ort = req('onnxruntime-node');

function readF32(file) {
  const bytes = fs.readFileSync(file);
  const data = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(data.buffer).set(bytes); // copy: the file buffer may be unaligned
  return data;
}

(async () => {
  const [modelPath, dataDir, configJSON] = process.argv.slice(3);
  const cfg = JSON.parse(configJSON);
  const meta = JSON.parse(fs.readFileSync(path.join(dataDir, 'meta.json'), 'utf8'));
  const all = {};
  if (meta.hlf) all.hlf = { data: readF32(path.join(dataDir, 'hlf.f32')), row: [14] };
  if (meta.seq) all.seq = { data: readF32(path.join(dataDir, 'seq.f32')), row: [meta.seq_len, 19] };
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: cfg.threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all', executionProviders: ['cpu'],
  });
  // feeds returns the model inputs for rows [start, start+batch).
  const feeds = (start, batch) => {
    const f = {};
    for (const name of session.inputNames) {
      const x = all[name];
      if (!x) throw new Error(`the data has no ${name} input`);
      const width = x.row.reduce((a, b) => a * b, 1);
      f[name] = new ort.Tensor('float32', x.data.subarray(start * width, (start + batch) * width), [batch, ...x.row]);
    }
    return f;
  };
  const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

  const out = { version: ort.env.versions.node, latency_ms: [], throughput: [] };
  const single = [];
  for (let i = 0; i < Math.min(meta.rows, cfg.latency_runs); i++) single.push(feeds(i, 1));
  await session.run(single[0]); // warm-up
  for (let i = 0; i < cfg.latency_runs; i++) {
    const f = single[i % single.length];
    const t0 = process.hrtime.bigint();
    await session.run(f);
    out.latency_ms.push(ms(t0));
  }
  for (const batch of cfg.batches) {
    if (batch > meta.rows) throw new Error(`batch ${batch} > ${meta.rows} rows`);
    const f = feeds(0, batch);
    await session.run(f); // warm-up
    let runs = 0;
    const t0 = process.hrtime.bigint();
    while (runs < cfg.min_runs || ms(t0) < cfg.min_time_ms) {
      await session.run(f);
      runs++;
    }
    out.throughput.push({ batch, runs, seconds: ms(t0) / 1000 });
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String((e && e.stack) || e)); process.exit(1); });
