#!/usr/bin/python3
"""PyTorch (OpenBLAS) float32 matmul timings at the sizes `recurrent-bench gemm-table` times, same best-of-N method.

Usage: /usr/bin/python3 benchmarks/pytorch/gemm.py [--json] [--reps N] [--quick] [--shape NT:32x128x32 ...]
       /usr/bin/python3 benchmarks/pytorch/gemm.py --compare ours.json torch.json   (markdown, side by side)
       /usr/bin/python3 benchmarks/pytorch/gemm.py --paired ROUNDS [--reps N] [--save PREFIX]
           (from the repository root, after `dotnet build -c Release`: alternates ours and torch cell by cell,
            writes PREFIX.ours.json and PREFIX.torch.json, prints the side-by-side)
         (Debian's python3-torch; a pyenv python3 first on PATH has no torch)
Cases (C[m,n] = op(A)·op(B), K inner): NN `a @ b`; NT `x @ w.t()` (forward x·Wᵀ, W stored [n,k]);
TN `x.t() @ g` (dW = dGᵀ·X shape, A stored [k,m]). Each timed as a fresh `a @ b` (what a user writes), and the
table takes the best over torch.set_num_threads(1) and (2).
"""
import ctypes, json, sys, time
import torch

def _openblas():
    """The OpenBLAS torch loaded: torch.set_num_threads sets OpenMP/ATen threads but not OpenBLAS's own pthreads
    (Debian's libopenblas0-pthread starts one per core), so the thread count is also set through its C API."""
    torch.ones(2, 2) @ torch.ones(2, 2)
    for line in open("/proc/self/maps"):
        path = line.split()[-1]
        if "libopenblas" in path:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
    return None

OPENBLAS = _openblas()

def set_threads(n):
    torch.set_num_threads(n)
    if OPENBLAS is not None:
        OPENBLAS.openblas_set_num_threads(n)
        assert OPENBLAS.openblas_get_num_threads() == n

RNN_BATCH = [32, 64, 128, 256]
RNN_HIDDEN = [32, 64, 128, 256, 512]

def operands(case, m, n, k, g):
    r = lambda *s: torch.rand(*s, generator=g, dtype=torch.float32) * 2 - 1
    a = r(k, m).t() if case[0] == "T" else r(m, k)   # a transposed view: BLAS gets transa
    b = r(n, k).t() if case[1] == "T" else r(k, n)
    return a, b

def timeit(case, m, n, k, threads, reps):
    set_threads(threads)
    g = torch.Generator().manual_seed(42)
    a, b = operands(case, m, n, k, g)
    t0 = time.perf_counter(); calls = 0
    while time.perf_counter() - t0 < 0.1 or calls < 3:   # warm-up
        a @ b; calls += 1
    batch = max(1, int(calls * 0.005 / (time.perf_counter() - t0)))  # ~5 ms per timed batch: many short tries catch quiet moments
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(batch):
            a @ b
        best = min(best, (time.perf_counter() - t) / batch)
    return 2.0 * m * n * k / best / 1e9

def blas_name():
    if OPENBLAS is None:
        return "BLAS: not OpenBLAS"
    return f"{OPENBLAS.openblas_get_config().decode()} core={OPENBLAS.openblas_get_corename().decode()}"

def compare(ours_path, torch_path):
    """Markdown table: ours (gemm-table --json) beside torch (this script's --json), best of 1/2 threads, ratio."""
    ours, theirs = (json.load(open(p)) for p in (ours_path, torch_path))
    def table(doc):
        t = {}
        for r in doc["results"]:
            t.setdefault((r["case"], r["m"], r["n"], r["k"]), {})[r["threads"]] = r["gflops"]
        return t
    o, t = table(ours), table(theirs)
    print("| case | M | N | K | ours 1t | ours 2t | torch 1t | torch 2t | ours best / torch best |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in o:
        if key not in t:
            continue
        ob, tb = max(o[key].values()), max(t[key].values())
        print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {o[key].get(1, 0):.1f} | {o[key].get(2, 0):.1f} | "
              f"{t[key].get(1, 0):.1f} | {t[key].get(2, 0):.1f} | {ob / tb:.2f} |")

def cells():
    yield ("NN", 1024, 1024, 1024)
    for h in RNN_HIDDEN:
        for mb in RNN_BATCH:
            for case in ("NT", "NN", "TN"):
                yield (case, mb, 4 * h, h)

def paired(rounds, reps, save):
    """Alternates ours and torch cell by cell (`gemm-table --serve` as a child process), `rounds` times, keeping each
    one's best: on a machine shared with other work both libraries then see the same quiet and busy moments."""
    import subprocess
    cmd = ["dotnet", "run", "-c", "Release", "--no-build", "--project", "benchmarks/Recurrent.Benchmarks", "--",
           "gemm-table", "--serve"]
    ours_proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    def ours(case, m, n, k, t):
        ours_proc.stdin.write(f"{case} {m} {n} {k} {t} {reps}\n")
        ours_proc.stdin.flush()
        return float(ours_proc.stdout.readline())
    best = {"ours": {}, "torch": {}}
    for r in range(rounds):
        for case, m, n, k in cells():
            for t in (1, 2):
                key = (case, m, n, k, t)
                order = [("ours", lambda: ours(case, m, n, k, t)), ("torch", lambda: timeit(case, m, n, k, t, reps))]
                for lib, fn in (order if r % 2 == 0 else order[::-1]):
                    best[lib][key] = max(best[lib].get(key, 0.0), fn())
        print(f"  round {r + 1}/{rounds} done", file=sys.stderr)
    ours_proc.stdin.close()
    ours_proc.wait()
    docs = {}
    for lib in ("ours", "torch"):
        docs[lib] = {"library": "recurrent" if lib == "ours" else f"pytorch {torch.__version__}", "dtype": "float32",
                     "results": [{"case": c, "m": m, "n": n, "k": k, "threads": t, "gflops": round(g, 2)}
                                 for (c, m, n, k, t), g in best[lib].items()]}
        if lib == "torch":
            docs[lib]["blas"] = blas_name()
        with open(f"{save}.{lib}.json", "w") as f:
            json.dump(docs[lib], f)
    compare(f"{save}.ours.json", f"{save}.torch.json")

def main():
    args = sys.argv[1:]
    if "--paired" in args:
        rounds = int(args[args.index("--paired") + 1])
        reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 10
        save = args[args.index("--save") + 1] if "--save" in args else "gemm-paired"
        paired(rounds, reps, save)
        return
    if "--compare" in args:
        i = args.index("--compare")
        compare(args[i + 1], args[i + 2])
        return
    as_json = "--json" in args
    quick = "--quick" in args
    reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 25
    rows = []
    def measure(case, m, n, k, threads):
        gf = timeit(case, m, n, k, threads, reps)
        rows.append({"case": case, "m": m, "n": n, "k": k, "threads": threads, "gflops": round(gf, 2)})
        if not as_json:
            print(f"  {case} {m}x{n}x{k} t={threads}: {gf:.1f} GFLOP/s", file=sys.stderr)
    shapes = [args[i + 1] for i, x in enumerate(args) if x == "--shape" and i + 1 < len(args)]  # e.g. NT:32x128x32
    for shape in shapes:
        case, dims = shape.split(":")
        m, n, k = (int(d) for d in dims.split("x"))
        for t in (1, 2):
            measure(case, m, n, k, t)
    if not shapes:
        for t in (1, 2):
            measure("NN", 1024, 1024, 1024, t)
    if not quick and not shapes:
        for h in RNN_HIDDEN:
            for mb in RNN_BATCH:
                for t in (1, 2):
                    for case in ("NT", "NN", "TN"):
                        measure(case, mb, 4 * h, h, t)
    if as_json:
        print(json.dumps({"library": f"pytorch {torch.__version__}", "blas": blas_name(),
                          "dtype": "float32", "results": rows}))
        return
    print(f"PyTorch {torch.__version__} a @ b, float32, GFLOP/s (best of repetitions); {blas_name()}")
    print(f"{'case':<4} {'M':>5} {'N':>5} {'K':>5} {'1 thread':>9} {'2 threads':>9} {'best':>7}")
    keys = []
    for r in rows:
        key = (r["case"], r["m"], r["n"], r["k"])
        if key not in keys:
            keys.append(key)
    for key in keys:
        g = {r["threads"]: r["gflops"] for r in rows if (r["case"], r["m"], r["n"], r["k"]) == key}
        print(f"{key[0]:<4} {key[1]:>5} {key[2]:>5} {key[3]:>5} {g.get(1, 0):>9.1f} {g.get(2, 0):>9.1f} {max(g.values()):>7.1f}")

if __name__ == "__main__":
    main()
