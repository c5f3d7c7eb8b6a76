#!/usr/bin/python3
"""PyTorch twins of the classifiers of package models, for cross-framework comparisons: hlf,
particle and inclusive, the LSTM variants particle-lstm and inclusive-lstm, and the Transformer
variants inclusive-transformer and inclusive-transformer-masked.

Same shapes and initialisations as the Go models: Dense kernels Glorot-uniform, biases zero; the
GRU is Keras's reset_after variant (PyTorch's nn.GRU computes the same gates; its weight rows are
[r; z; n] where Keras's kernel columns are [z, r, h]), with one Glorot-uniform [19, 50] input
kernel and one orthogonal [50, 50] recurrent kernel per gate. The LSTM is Keras's LSTM(50) as
in pkg/models: nn.LSTM's weight rows [i; f; g; o] are Keras's kernel columns [i, f, c, o]
transposed; weight_ih [200, 19] is Glorot-uniform as one matrix (Go's kernel [19, 200]),
weight_hh [200, 50] orthogonal as one matrix (orthonormal columns: Go's [50, 200] has
orthonormal rows), bias_ih Keras's unit forget bias (1 on the f block), bias_hh 0 and frozen
(Keras has one bias), so the trainable parameters are Keras's: 15,703 for inclusive-lstm. Training: Adam
(lr 1e-3, betas 0.9/0.999, eps 1e-7), categorical cross-entropy on logits, batch 128, 2 threads,
denormals flushed to zero (torch.set_flush_denormal(True)), OMP_WAIT_POLICY=PASSIVE unless set.

The Transformer variants of the inclusive classifier (models.InclusiveTransformer):
inclusive-transformer (the original's: 8-head self-attention over all rows, no mask, LayerNorm
eps 1e-6, Dropout 0.2, relu Dense(20) per row, Flatten, relu Dense(10)) and
inclusive-transformer-masked (all-zero rows masked out of the attention keys, an event with none
attending over all rows, mean over the real rows instead of Flatten). Attention kernels have
Keras's shapes ([19, 8, 19] per projection, [8, 19, 19] output) and Keras's Glorot fans (the last
two dimensions times the product of the others), LayerNorm gamma 1 and beta 0; the attention is
an explicit matmul + softmax (torch 1.13 has no fused scaled_dot_product_attention).
--pair-bias adds the masked variant's learned per-head ΔR bias (columns Eta 5, Phi 6).

Masking (Keras Masking(0): a timestep whose 19 features are all 0 carries the state unchanged;
the same choices for the LSTM, whose loop carries h and c):
  --gru-impl fused   nn.GRU over every step, no masking: the same arithmetic as the unrolled Go
                     graph; exact only when no timestep is all zeros.
  --gru-impl packed  pack_padded_sequence: exact when the kept steps of each row are contiguous,
                     the masked ones trailing or leading (as 'dltrigger prepare --mask-padding'
                     lays padding out: rows with leading masked steps are first moved left).
  --gru-impl loop    a step-by-step loop that carries the state where a step is masked: exact
                     for any mask, slower (Python per step).
  --gru-impl auto    (train mode) the fastest exact one for the data: fused when nothing is
                     masked, packed when each row's kept steps are contiguous, loop otherwise.

Modes (each prints JSON, one object per line, on stdout):
  speed  synthetic batches (sequence lengths drawn from S/4..S, zero-padded as in the Go
         benchmark); prints {"model", "seq_len", "rows_per_s", ...} per case.
  train  reads datasets exported by the Go side (bench.ExportData: meta.json, hlf.f32, seq.f32,
         labels.i32), trains, predicts the test set and prints the one-vs-rest AUC per class.

Usage:
  torch_twin.py speed --model hlf
  torch_twin.py speed --model particle --seq-lens 50,200,801 --min-time 5
  torch_twin.py speed --model inclusive-lstm --seq-lens 50
  torch_twin.py train --model hlf --train DIR --test DIR --epochs 5
  torch_twin.py speed --model inclusive-transformer-masked --seq-lens 50
"""
import argparse
import json
import os
import sys
import time

# OpenMP's default spin-waiting makes a 2-thread PyTorch ~10x slower when another process
# holds one of the cores (measured on this 2-core shared machine); passive waiting keeps it
# fast. libgomp reads this when torch loads it, so it is set before the import.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402

NUM_HLF, NUM_FEATURES, NUM_CLASSES = 14, 19, 3
CLASSES = ["qcd", "ttbar", "wjets"]
TRANSFORMERS = ("inclusive-transformer", "inclusive-transformer-masked")
KINDS = ("hlf", "particle", "inclusive", "particle-lstm", "inclusive-lstm") + TRANSFORMERS
COLUMN_ETA, COLUMN_PHI = 5, 6


def glorot_(w):
    torch.nn.init.xavier_uniform_(w)
    return w


class Recurrent(torch.nn.Module):
    """Keras GRU(units, reset_after=True) (cell "gru") or LSTM(units) (cell "lstm") after
    Masking(0); returns the last hidden state [B, H]."""

    def __init__(self, cell, features, units, impl):
        super().__init__()
        self.cell, self.units, self.impl = cell, units, impl
        if cell == "gru":
            self.rnn = torch.nn.GRU(features, units, batch_first=True)
            with torch.no_grad():
                for g in range(3):  # PyTorch's gate blocks r, z, n; each initialised as one Go gate
                    blk = slice(g * units, (g + 1) * units)
                    glorot_(self.rnn.weight_ih_l0[blk])  # [H, F]: Glorot limit sqrt(6/(F+H)) as Go's [F, H]
                    torch.nn.init.orthogonal_(self.rnn.weight_hh_l0[blk])
                self.rnn.bias_ih_l0.zero_()
                self.rnn.bias_hh_l0.zero_()
        elif cell == "lstm":
            self.rnn = torch.nn.LSTM(features, units, batch_first=True)
            with torch.no_grad():
                glorot_(self.rnn.weight_ih_l0)  # [4H, F]: limit sqrt(6/(F+4H)) as Go's [F, 4H]
                torch.nn.init.orthogonal_(self.rnn.weight_hh_l0)  # [4H, H]: orthonormal columns
                self.rnn.bias_ih_l0.zero_()
                self.rnn.bias_ih_l0[units:2 * units] = 1  # Keras's unit forget bias
                self.rnn.bias_hh_l0.zero_()
            self.rnn.bias_hh_l0.requires_grad_(False)  # Keras's LSTM has one bias: this one stays 0
        else:
            raise ValueError(f"torch_twin: unknown recurrent cell {cell!r}")

    def forward(self, x, mask=None, lengths=None, impl=None):
        impl = impl or self.impl
        if impl == "fused":
            _, h = self.rnn(x)
        elif impl == "packed":
            packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            _, h = self.rnn(packed)
        elif impl == "loop":
            return self.loop(x, mask)
        else:
            raise ValueError(f"torch_twin: unknown recurrent implementation {impl!r}")
        if self.cell == "lstm":
            h = h[0]  # (h, c)
        return h[0]

    def loop(self, x, mask):
        g = self.rnn
        H = self.units
        gi = torch.nn.functional.linear(x, g.weight_ih_l0, g.bias_ih_l0)  # [B, S, 3H or 4H], all steps at once
        h = x.new_zeros(x.shape[0], H)
        c = h
        for t in range(x.shape[1]):
            gh = torch.nn.functional.linear(h, g.weight_hh_l0, g.bias_hh_l0)
            keep = mask[:, t, None]
            if self.cell == "lstm":
                i, f, gg, o = (gi[:, t] + gh).split(H, dim=1)
                nc = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
                nh = torch.sigmoid(o) * torch.tanh(nc)
                c = torch.where(keep, nc, c)
                h = torch.where(keep, nh, h)
                continue
            i_r, i_z, i_n = gi[:, t].split(H, dim=1)
            h_r, h_z, h_n = gh.split(H, dim=1)
            r = torch.sigmoid(i_r + h_r)
            z = torch.sigmoid(i_z + h_z)
            n = torch.tanh(i_n + r * h_n)
            nxt = n + z * (h - n)
            h = torch.where(keep, nxt, h)
        return h


def dense(i, o):
    lin = torch.nn.Linear(i, o)
    with torch.no_grad():
        glorot_(lin.weight)
        lin.bias.zero_()
    return lin


def keras_glorot(*dims):
    """A parameter of the given dims, Glorot-uniform with Keras's fans (pkg/models kerasFans)."""
    rf = 1
    for d in dims[:-2]:
        rf *= d
    limit = (6 / (dims[-2] * rf + dims[-1] * rf)) ** 0.5
    return torch.nn.Parameter(torch.empty(*dims).uniform_(-limit, limit))


def uses_hlf(kind):
    return kind in ("hlf", "inclusive", "inclusive-lstm") + TRANSFORMERS


def uses_seq(kind):
    return kind != "hlf"


def recurrent(kind):
    """Whether the classifier runs a recurrent layer (GRU or LSTM) over the particles."""
    return kind in ("particle", "inclusive", "particle-lstm", "inclusive-lstm")


class Attention(torch.nn.Module):
    """Keras MultiHeadAttention(num_heads, key_dim)(x, x, x) with Keras's variable shapes."""

    def __init__(self, features, heads, key_dim):
        super().__init__()
        self.heads, self.key_dim = heads, key_dim
        self.kernels = torch.nn.ParameterList(keras_glorot(features, heads, key_dim) for _ in range(3))
        self.biases = torch.nn.ParameterList(torch.nn.Parameter(torch.zeros(heads, key_dim)) for _ in range(3))
        self.out_kernel = keras_glorot(heads, key_dim, features)
        self.out_bias = torch.nn.Parameter(torch.zeros(features))

    def forward(self, x, key_mask=None, bias=None):
        B, S, F = x.shape
        H, D = self.heads, self.key_dim
        # The key bias shifts all scores of a query alike: its exact gradient is 0 (detached, as in pkg/models).
        biases = [self.biases[0], self.biases[1].detach(), self.biases[2]]
        q, k, v = (torch.einsum("bsf,fhd->bhsd", x, w) + b[None, :, None, :] for w, b in zip(self.kernels, biases))
        scores = q @ k.transpose(-1, -2) / D ** 0.5  # [B, H, S, S]
        if bias is not None:
            scores = scores + bias
        if key_mask is not None:  # [B, S] bool
            scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
        o = torch.softmax(scores, dim=-1) @ v  # [B, H, S, D]
        return torch.einsum("bhsd,hdf->bsf", o, self.out_kernel) + self.out_bias


class TransformerBranch(torch.nn.Module):
    """The particle branch of the Transformer variants (models.TransformerFlatten, TransformerMasked)."""

    def __init__(self, masked, seq_len, pair_bias, heads=8, key_dim=NUM_FEATURES, td_units=20, units=10):
        super().__init__()
        self.masked = masked
        self.attention = Attention(NUM_FEATURES, heads, key_dim)
        self.norm = torch.nn.LayerNorm(NUM_FEATURES, eps=1e-6)  # gamma 1, beta 0
        self.drop = torch.nn.Dropout(0.2)
        self.td = dense(NUM_FEATURES, td_units)
        self.pair = torch.nn.Parameter(torch.zeros(heads)) if pair_bias else None
        self.dense = dense(td_units if masked else seq_len * td_units, units)

    def forward(self, seq):
        key_mask = bias = real = None
        if self.masked:
            real = (seq != 0).any(dim=2)  # [B, S]
            key_mask = real | ~real.any(dim=1, keepdim=True)  # an event without real rows attends over all
            if self.pair is not None:
                eta, phi = seq[:, :, COLUMN_ETA], seq[:, :, COLUMN_PHI]
                dr = ((eta[:, :, None] - eta[:, None, :]) ** 2 + (phi[:, :, None] - phi[:, None, :]) ** 2).sqrt()
                bias = self.pair[None, :, None, None] * dr[:, None]
        a = self.drop(self.norm(self.attention(seq, key_mask, bias)))
        t = torch.relu(self.td(a))  # [B, S, U]
        if self.masked:
            m = real[:, :, None].to(t.dtype)
            summary = (t * m).sum(dim=1) / m.sum(dim=1).clamp(min=1)
        else:
            summary = t.flatten(1)
        return torch.relu(self.dense(summary))


class Twin(torch.nn.Module):
    """The classifier of one kind (see pkg/models and KINDS)."""

    def __init__(self, kind, impl="fused", seq_len=0, pair_bias=False):
        super().__init__()
        self.kind = kind
        cell = "lstm" if kind.endswith("-lstm") else "gru"
        if kind in TRANSFORMERS:
            self.branch = TransformerBranch(kind == "inclusive-transformer-masked", seq_len, pair_bias)
            self.drop_hlf = torch.nn.Dropout(0.2)
            self.hidden = torch.nn.ModuleList([dense(10 + NUM_HLF, 25)])
            self.out = dense(25, NUM_CLASSES)
        elif kind == "hlf":
            sizes = [NUM_HLF, 50, 20, 10]
            self.hidden = torch.nn.ModuleList(dense(a, b) for a, b in zip(sizes, sizes[1:]))
            self.out = dense(10, NUM_CLASSES)
        elif kind in ("particle", "particle-lstm"):
            self.rnn = Recurrent(cell, NUM_FEATURES, 50, impl)
            self.out = dense(50, NUM_CLASSES)
        elif kind in ("inclusive", "inclusive-lstm"):
            self.rnn = Recurrent(cell, NUM_FEATURES, 50, impl)
            self.drop_gru = torch.nn.Dropout(0.2)
            self.drop_hlf = torch.nn.Dropout(0.2)
            self.hidden = torch.nn.ModuleList([dense(50 + NUM_HLF, 25)])
            self.out = dense(25, NUM_CLASSES)
        else:
            raise ValueError(f"torch_twin: unknown model {kind!r} (want one of {', '.join(KINDS)})")

    def forward(self, hlf=None, seq=None, mask=None, lengths=None, impl=None):
        if self.kind == "hlf":
            x = hlf
            for lin in self.hidden:
                x = torch.relu(lin(x))
            return self.out(x)
        if self.kind in TRANSFORMERS:
            x = torch.cat([self.branch(seq), self.drop_hlf(hlf)], dim=1)
            return self.out(torch.relu(self.hidden[0](x)))
        h = self.rnn(seq, mask, lengths, impl)
        if not uses_hlf(self.kind):
            return self.out(h)
        x = torch.cat([self.drop_gru(h), self.drop_hlf(hlf)], dim=1)
        return self.out(torch.relu(self.hidden[0](x)))


def setup(threads, seed):
    torch.set_num_threads(threads)
    ftz = torch.set_flush_denormal(True)
    torch.manual_seed(seed)
    return ftz


def adam(net, lr):
    return torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=lr, betas=(0.9, 0.999), eps=1e-7)


def seq_inputs(seq):
    """Mask [B, S] (a step is kept when any feature differs from 0) and true lengths (the last
    kept step + 1; equal to the number of kept steps when all masked steps are trailing)."""
    mask = (seq != 0).any(dim=2)
    S = seq.shape[1]
    idx = torch.arange(1, S + 1).expand_as(mask)
    lengths = (idx * mask).max(dim=1).values
    return mask, lengths


def left_align(seq):
    """seq [B, S, F] with each row's steps moved left past its leading masked steps, zeros
    after: the masked GRU's state stays 0 over leading masked steps, so its result is the same,
    and the padding is then trailing."""
    mask = (seq != 0).any(dim=2)
    B, S = mask.shape
    start = torch.where(mask.any(dim=1), mask.int().argmax(dim=1), torch.zeros(B, dtype=torch.long))
    if not bool((start > 0).any()):
        return seq
    steps = torch.arange(S)[None, :]
    out = seq[torch.arange(B)[:, None], (start[:, None] + steps).clamp(max=S - 1)]
    out[steps.expand(B, S) >= S - start[:, None]] = 0
    return out


def choose_impl(masks):
    """The fastest exact recurrent implementation for boolean masks [N, S] (numpy)."""
    if masks.all():
        return "fused"
    kept = masks.sum(axis=1)
    contiguous = all(m[m.argmax():m.argmax() + k].all() for m, k in zip(masks, kept))
    if contiguous and (kept > 0).all():
        return "packed"
    return "loop"


def batch_inputs(kind, hlf, seq, impl):
    kw = {}
    if uses_hlf(kind):
        kw["hlf"] = hlf
    if uses_seq(kind):
        if recurrent(kind) and impl == "packed":
            seq = left_align(seq)
        kw["seq"] = seq
        if recurrent(kind) and impl in ("packed", "loop"):
            kw["mask"], kw["lengths"] = seq_inputs(seq)
    return kw


def speed(a):
    ftz = setup(a.threads, a.seed)
    rng = np.random.default_rng(a.seed)
    lens = [1] if a.model == "hlf" else [int(s) for s in a.seq_lens.split(",")]
    for S in lens:
        net = Twin(a.model, a.gru_impl, S, a.pair_bias)
        opt = adam(net, a.lr)
        lossf = torch.nn.CrossEntropyLoss()
        batches = []
        for _ in range(2):
            y = torch.tensor(rng.integers(0, NUM_CLASSES, size=a.batch))
            hlf = torch.tensor(rng.random((a.batch, NUM_HLF)), dtype=torch.float32)
            seq = np.zeros((a.batch, S, NUM_FEATURES), dtype=np.float32)
            for b, n in enumerate(rng.integers(S // 4, S + 1, size=a.batch)):
                seq[b, :n] = rng.standard_normal((n, NUM_FEATURES))
            batches.append((batch_inputs(a.model, hlf, torch.tensor(seq), a.gru_impl), y))

        def step(i):
            kw, y = batches[i % len(batches)]
            opt.zero_grad()
            loss = lossf(net(**kw), y)
            loss.backward()
            opt.step()
            return loss.item()

        for i in range(a.warmup):
            step(i)
        n, t0 = 0, time.perf_counter()
        while n < a.min_steps or (time.perf_counter() - t0 < a.min_time and (a.max_steps <= 0 or n < a.max_steps)):
            step(n)
            n += 1
        secs = time.perf_counter() - t0
        emit({"model": a.model, "seq_len": S if a.model != "hlf" else 0, "rows_per_s": n * a.batch / secs,
              "steps": n, "seconds": secs, "batch": a.batch, "gru_impl": a.gru_impl if recurrent(a.model) else "",
              "threads": torch.get_num_threads(), "flush_denormal": ftz, "torch": torch.__version__,
          "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "")})


def load(d):
    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    n, S = meta["rows"], meta.get("seq_len", 0)
    out = {"rows": n, "seq_len": S}
    out["labels"] = np.fromfile(os.path.join(d, "labels.i32"), dtype="<i4").astype(np.int64)
    if meta.get("hlf"):
        out["hlf"] = np.fromfile(os.path.join(d, "hlf.f32"), dtype="<f4").reshape(n, NUM_HLF)
    if meta.get("seq"):
        out["seq"] = np.fromfile(os.path.join(d, "seq.f32"), dtype="<f4").reshape(n, S, NUM_FEATURES)
    if len(out["labels"]) != n:
        raise SystemExit(f"torch_twin: {d}: {len(out['labels'])} labels for {n} rows")
    return out


def auc(scores, positive):
    """Area under the ROC curve: the Mann-Whitney statistic with average ranks for ties."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s), dtype=np.float64)
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty_like(ranks)
    r[order] = ranks
    p = positive.sum()
    q = len(positive) - p
    if p == 0 or q == 0:
        return float("nan")
    return float((r[positive].sum() - p * (p + 1) / 2) / (p * q))


def tensors(data, kind, rows):
    hlf = torch.from_numpy(data["hlf"][rows]) if "hlf" in data else None
    seq = torch.from_numpy(data["seq"][rows]) if "seq" in data else None
    return hlf, seq


def train(a):
    ftz = setup(a.threads, a.seed)
    tr, te = load(a.train), load(a.test)
    impl = a.gru_impl
    if recurrent(a.model) and impl == "auto":
        impls = {choose_impl((d["seq"] != 0).any(axis=2)) for d in (tr, te)}
        impl = "loop" if "loop" in impls else ("packed" if "packed" in impls else "fused")
    net = Twin(a.model, impl, tr["seq_len"], a.pair_bias)
    opt = adam(net, a.lr)
    lossf = torch.nn.CrossEntropyLoss()
    rng = np.random.default_rng(a.seed)
    n = tr["rows"]
    losses, val_losses, lrs = [], [], []
    # Early stopping and learning-rate reduction on the validation (test) loss, as ours and
    # Keras do them: the best epoch's weights are restored; the rate is multiplied by
    # lr_factor after lr_patience epochs without improvement, then the wait starts again.
    best, best_epoch, best_state, wait, lr_wait = float("inf"), 0, None, 0, 0
    lr = a.lr
    validate = a.patience > 0 or a.lr_patience > 0

    def predict(d):
        out = []
        with torch.no_grad():
            for s in range(0, d["rows"], 512):
                rows = np.arange(s, min(s + 512, d["rows"]))
                hlf, seq = tensors(d, a.model, rows)
                out.append(net(**batch_inputs(a.model, hlf, seq, impl)))
        return torch.cat(out)

    t0 = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        net.train()
        perm = rng.permutation(n)
        total = 0.0
        for s in range(0, n, a.batch):
            rows = perm[s:s + a.batch]
            hlf, seq = tensors(tr, a.model, rows)
            y = torch.from_numpy(tr["labels"][rows])
            opt.zero_grad()
            loss = lossf(net(**batch_inputs(a.model, hlf, seq, impl)), y)
            loss.backward()
            opt.step()
            total += loss.item() * len(rows)
        losses.append(total / n)
        lrs.append(lr)
        if not validate:
            continue
        net.eval()
        vl = float(lossf(predict(te), torch.from_numpy(te["labels"])))
        val_losses.append(vl)
        if vl < best:
            best, best_epoch, wait, lr_wait = vl, epoch, 0, 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            wait += 1
            lr_wait += 1
        if a.patience > 0 and wait >= a.patience:
            break
        if a.lr_patience > 0 and lr_wait >= a.lr_patience:
            lr, lr_wait = lr * a.lr_factor, 0
            for g in opt.param_groups:
                g["lr"] = lr
    train_secs = time.perf_counter() - t0
    if a.patience > 0 and best_state is not None:
        net.load_state_dict(best_state)
    net.eval()
    probs = [torch.softmax(predict(te), dim=1).numpy()]
    probs = np.concatenate(probs).astype(np.float64)
    labels = te["labels"]
    aucs = [auc(probs[:, c], labels == c) for c in range(NUM_CLASSES)]
    acc = float((probs.argmax(axis=1) == labels).mean())
    if a.probs:
        probs.astype("<f4").tofile(a.probs)
    emit({"model": a.model, "classes": CLASSES, "auc": aucs, "accuracy": acc, "epochs": len(losses),
          "loss": losses, "val_loss": val_losses, "learning_rate": lrs, "best_epoch": best_epoch, "train_rows": n, "test_rows": te["rows"], "seq_len": tr["seq_len"],
          "gru_impl": impl if recurrent(a.model) else "", "train_seconds": train_secs,
          "threads": torch.get_num_threads(), "flush_denormal": ftz, "torch": torch.__version__,
          "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "")})


def emit(obj):
    print(json.dumps(obj), flush=True)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["speed", "train"])
    p.add_argument("--model", default="hlf", choices=KINDS)
    p.add_argument("--pair-bias", action="store_true", help="inclusive-transformer-masked: the ΔR attention bias")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--gru-impl", default=None, choices=["fused", "packed", "loop", "auto"],
                   help="GRU/LSTM masking implementation (speed: fused; train: auto)")
    p.add_argument("--seq-lens", default="50,200,801", help="speed: comma-separated sequence lengths")
    p.add_argument("--min-time", type=float, default=3.0, help="speed: seconds timed per case at least")
    p.add_argument("--min-steps", type=int, default=3, help="speed: timed steps per case at least")
    p.add_argument("--max-steps", type=int, default=0, help="speed: timed steps per case at most (0: no limit)")
    p.add_argument("--warmup", type=int, default=1, help="speed: untimed steps first")
    p.add_argument("--train", help="train: exported training set directory")
    p.add_argument("--test", help="train: exported test set directory")
    p.add_argument("--epochs", type=int, default=5, help="train: epochs (at most, with --patience)")
    p.add_argument("--patience", type=int, default=0,
                   help="train: stop after this many epochs without a lower test loss, restoring the best (0: never)")
    p.add_argument("--lr-patience", type=int, default=0,
                   help="train: multiply the learning rate by --lr-factor after this many epochs without a lower test loss")
    p.add_argument("--lr-factor", type=float, default=0.1)
    p.add_argument("--probs", help="train: also write the test probabilities [N, 3] as little-endian float32")
    a = p.parse_args(argv)
    if a.mode == "speed":
        a.gru_impl = a.gru_impl or "fused"
        if a.gru_impl == "auto":
            p.error("--gru-impl auto is for train mode")
        speed(a)
    else:
        if not a.train or not a.test:
            p.error("train mode needs --train and --test")
        a.gru_impl = a.gru_impl or "auto"
        train(a)


if __name__ == "__main__":
    main(sys.argv[1:])
