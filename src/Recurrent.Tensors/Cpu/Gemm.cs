// Packed, cache-blocked, register-blocked CPU GEMM with transposes and alpha/beta, optionally split over a WorkerPool.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Recurrent.Tensors.Cpu;

/// <summary>General matrix multiply for float (fast) and double (for gradient checks), row-major.</summary>
/// <remarks>
/// The algorithm is the BLIS/Goto one, written for row-major C. For each block of rows of op(A) (up to MC) and each
/// K block (KC), op(A) is packed into MR-row micro-panels; for each block of columns (NC) op(B) is packed into
/// NR-column micro-panels sized to stay in L2; the micro-kernel then keeps an MR x NR tile of C in registers while
/// it walks one A micro-panel (in L1) against one B micro-panel (streamed from L2). Packing absorbs the transposes,
/// so the four transpose cases share the kernel. Threads split C into column (or row) stripes aligned to the tile
/// grid and never split K, so every element of C sees the same sequence of operations for any thread count:
/// same inputs, same numbers, bit for bit.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>Below this many multiply-adds one thread wins: waking a second one costs more than it saves.</summary>
    internal const long ParallelThreshold = 1L << 18;

    /// <summary>Largest shared pack (elements): beyond it each thread packs its own copy, block by block.</summary>
    const long MaxShared = 16L << 20;

    /// <summary>Benchmarks only: force the plain split (one stripe per thread, each packing the shared operand).</summary>
    internal static bool PlainSplitOnly;

    /// <summary>
    /// C[m,n] = alpha * op(A) * op(B) + beta * C, row-major. op(A) is [m,k]: A is stored [m,k] with row stride
    /// <paramref name="lda"/>, or [k,m] when <paramref name="transA"/>. op(B) is [k,n]: B is stored [k,n] with row
    /// stride <paramref name="ldb"/>, or [n,k] when <paramref name="transB"/>. beta == 0 means C is overwritten
    /// without being read (the BLAS rule: a NaN already in C does not leak). k == 0 gives C = beta * C.
    /// </summary>
    /// <param name="threads">Threads to use at most (the caller included); small products use one regardless.</param>
    /// <param name="level">Widest vector width allowed; clamped to what this CPU accelerates.</param>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc,
        int threads = 1, SimdLevel level = SimdLevel.Vector512)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1.");
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Gemm supports float and double, not {typeof(T).Name}.");
        if (m == 0 || n == 0) return;

        fixed (T* pa = a, pb = b, pc = c)
        {
            if (k == 0)
            {
                ScaleC(m, n, beta, pc, ldc);
                return;
            }
            var job = new GemmJob<T>
            {
                Plan = GemmPlan.For<T>(SimdCaps.Clamp(level)),
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = pa, Lda = lda, B = pb, Ldb = ldb, C = pc, Ldc = ldc,
            };
            int parts = job.ChooseParts(threads);
            if (parts <= 1)
            {
                job.Execute(0);
                return;
            }
            WorkerPool pool = WorkerPool.Shared(Math.Min(threads, 64));
            if (!PlainSplitOnly && job.TryShare(threads))
            {
                // The operand every stripe needs is packed once, by all threads, into the caller's shared buffer.
                var pack = new SharedPackJob<T> { Job = job };
                pack.Parts = Math.Min(threads, pack.Panels);
                pool.Run(ref pack, pack.Parts);
            }
            pool.Run(ref job, job.Parts);
        }
    }

    /// <summary>
    /// Two products that share op(A), B not transposed: C1 = alpha·op(A)·B1 + beta·C1 and C2 = alpha·op(A)·B2 + beta·C2,
    /// each block of op(A) packed once for both. The weight gradients of a recurrent layer, dW_ih = dGᵀ·X and
    /// dW_hh = dGᵀ·H, share dGᵀ — their largest operand ([T·B, G·H]: 13 MB at the middle training step), which two calls
    /// pack twice. Each C gets the bits its own <see cref="Run{T}"/> gives, for any thread count.
    /// </summary>
    public static void RunShared<T>(bool transA, int m, int k, T alpha, ReadOnlySpan<T> a, int lda,
        int n1, ReadOnlySpan<T> b1, int ldb1, Span<T> c1, int ldc1,
        int n2, ReadOnlySpan<T> b2, int ldb2, Span<T> c2, int ldc2,
        T beta, int threads = 1, SimdLevel level = SimdLevel.Vector512)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Validate(transA, false, m, n1, k, a.Length, lda, b1.Length, ldb1, c1.Length, ldc1);
        Validate(transA, false, m, n2, k, a.Length, lda, b2.Length, ldb2, c2.Length, ldc2);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1.");
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Gemm supports float and double, not {typeof(T).Name}.");
        var plan = GemmPlan.For<T>(SimdCaps.Clamp(level));
        long work = (long)m * (n1 + n2) * k;
        int parts = threads > 1 && work >= ParallelThreshold ? Math.Min(threads, (m + plan.MR - 1) / plan.MR) : 1;
        // Nothing to share, or products wider than tall (one call of each would split C's columns, every thread packing
        // all of op(A) anyway): two calls.
        if (m == 0 || n1 == 0 || n2 == 0 || k == 0 || (parts > 1 && n1 + n2 >= m))
        {
            Run(transA, false, m, n1, k, alpha, a, lda, b1, ldb1, beta, c1, ldc1, threads, level);
            Run(transA, false, m, n2, k, alpha, a, lda, b2, ldb2, beta, c2, ldc2, threads, level);
            return;
        }
        fixed (T* pa = a, pb1 = b1, pb2 = b2, pc1 = c1, pc2 = c2)
        {
            var job = new SharedAJob<T>
            {
                Plan = plan, TransA = transA, M = m, K = k, Alpha = alpha, Beta = beta, A = pa, Lda = lda, Parts = parts,
                First = new Output<T> { B = pb1, Ldb = ldb1, C = pc1, Ldc = ldc1, N = n1 },
                Second = new Output<T> { B = pb2, Ldb = ldb2, C = pc2, Ldc = ldc2, N = n2 },
            };
            if (parts <= 1)
            {
                job.Execute(0);
                return;
            }
            // Threads split the rows of C, each packing its own rows of op(A) once for both products; each op(B) is
            // packed once, by all threads, into the caller's shared buffer (as a single call's shared split packs it).
            WorkerPool pool = WorkerPool.Shared(Math.Min(threads, 64));
            int pad1 = RoundUp(n1, plan.NR), pad2 = RoundUp(n2, plan.NR);
            long elements1 = (long)pad1 * k, elements2 = (long)pad2 * k;
            if (!PlainSplitOnly && elements1 + elements2 <= MaxShared)
            {
                T* shared = PackBuffers.GetShared<T>(elements1 + elements2);
                job.First.Packed = shared;
                job.First.Pad = pad1;
                job.Second.Packed = shared + elements1;
                job.Second.Pad = pad2;
                PackShared(pool, threads, plan, k, job.First);
                PackShared(pool, threads, plan, k, job.Second);
            }
            pool.Run(ref job, parts);
        }
    }

    /// <summary>Packs all of one product's op(B) (not transposed) into o.Packed, its NR-column panels shared out over the threads.</summary>
    static void PackShared<T>(WorkerPool pool, int threads, in GemmPlan plan, int k, in Output<T> o)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var pack = new SharedPackJob<T>
        {
            Job = new GemmJob<T> { Plan = plan, TransB = false, SplitN = false, N = o.N, K = k, B = o.B, Ldb = o.Ldb, Shared = o.Packed, SharedPad = o.Pad },
        };
        pack.Parts = Math.Min(threads, pack.Panels);
        pool.Run(ref pack, pack.Parts);
    }

    /// <summary><see cref="RunShared{T}"/>'s work: part p computes rows of both products' C on the MR grid.</summary>
    struct SharedAJob<T> : IParallelWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public GemmPlan Plan;
        public bool TransA;
        public int M, K, Parts;
        public T Alpha, Beta;
        public T* A;
        public nint Lda;
        public Output<T> First, Second;

        public readonly void Execute(int part)
        {
            // Stripes start on the tile grid, so each tile is computed exactly as it would be by one thread.
            int panels = (M + Plan.MR - 1) / Plan.MR;
            int from = (int)((long)panels * part / Parts) * Plan.MR;
            int to = Math.Min(M, (int)((long)panels * (part + 1) / Parts) * Plan.MR);
            if (from >= to) return;
            Output<T> first = First, second = Second;
            first.C += from * first.Ldc;
            second.C += from * second.Ldc;
            Compute(Plan, TransA, false, to - from, K, Alpha, TransA ? A + from : A + from * Lda, Lda, Beta, null, 0, first, second);
        }
    }

    /// <summary>Checks shapes, strides and span lengths; the message names the argument and the size it needed.</summary>
    internal static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "m (rows of C) must be non-negative.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n (columns of C) must be non-negative.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k (the inner dimension) must be non-negative.");
        CheckMatrix("a", "lda", transA ? "[k,m]" : "[m,k]", transA ? k : m, transA ? m : k, aLength, lda);
        CheckMatrix("b", "ldb", transB ? "[n,k]" : "[k,n]", transB ? n : k, transB ? k : n, bLength, ldb);
        CheckMatrix("c", "ldc", "[m,n]", m, n, cLength, ldc);
    }

    static void CheckMatrix(string name, string ldName, string layout, int rows, int cols, int length, int ld)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"{ldName} must be at least {Math.Max(1, cols)} (the row width of {name}, stored {layout} = [{rows},{cols}]).");
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < need)
            throw new ArgumentException(
                $"{name} holds {length} elements but {layout} = [{rows},{cols}] with {ldName} = {ld} needs at least {need}.", name);
    }

    static void ScaleC<T>(int m, int n, T beta, T* c, nint ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    /// <summary>One GEMM call; part p computes its stripe of C (columns when SplitN, rows otherwise).</summary>
    /// <remarks>
    /// Plain split: one stripe per thread, each packing all of the operand it shares with the others (A when
    /// splitting columns). Shared split (<see cref="TryShare"/>): that operand is packed once for all, and a wide C is
    /// cut into up to 4 stripes per thread (each at least <see cref="MinStripe"/> wide), claimed dynamically, so a
    /// thread that loses its core to another process leaves its remaining stripes to the others.
    /// </remarks>
    struct GemmJob<T> : IParallelWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        /// <summary>Narrowest stripe (rows or columns of C) worth its own share of the shared operand's L3 traffic.</summary>
        const int MinStripe = 256;

        public GemmPlan Plan;
        public bool TransA, TransB, SplitN;
        public int M, N, K, Parts;
        public T Alpha, Beta;
        public T* A, B, C;
        public nint Lda, Ldb, Ldc;
        /// <summary>All K blocks of the shared operand, packed (null in a plain split); block pc starts at pc * SharedPad.</summary>
        public T* Shared;
        public int SharedPad;

        public int ChooseParts(int threads)
        {
            Parts = 1;
            if (threads <= 1 || (long)M * N * K < ParallelThreshold) return 1;
            // Split the longer side of C, so the operand every stripe needs (A when splitting N) is the smaller one:
            // it is packed by every thread in a plain split, once in a shared one.
            SplitN = N >= M;
            Parts = Math.Min(threads, Panels);
            return Parts;
        }

        /// <summary>Tiles across the split dimension.</summary>
        public readonly int Panels => SplitN ? (N + Plan.NR - 1) / Plan.NR : (M + Plan.MR - 1) / Plan.MR;

        /// <summary>Switches to the shared split when the shared operand fits in <see cref="MaxShared"/>.</summary>
        public bool TryShare(int threads)
        {
            int tile = SplitN ? Plan.MR : Plan.NR, extent = SplitN ? M : N;
            SharedPad = (extent + tile - 1) / tile * tile;
            long elements = (long)SharedPad * K;
            if (elements > MaxShared) return false;
            Shared = PackBuffers.GetShared<T>(elements);
            // Every stripe streams the whole shared operand from L3, so a stripe must be wide enough to reuse each
            // element many times: at least 256 rows or columns (a 64-row stripe of a 3200-deep TN product was
            // L3-bandwidth-bound and ran at 40 % of the plain split).
            int extentSplit = SplitN ? N : M;
            Parts = Math.Min(Panels, Math.Max(threads, Math.Min(threads * 4, extentSplit / MinStripe)));
            return true;
        }

        public void Execute(int part)
        {
            if (Parts <= 1)
            {
                Compute(Plan, TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc, null, null, 0);
                return;
            }
            // Stripes start on the tile grid, so each tile is computed exactly as it would be by one thread.
            int tile = SplitN ? Plan.NR : Plan.MR, extent = SplitN ? N : M;
            int panels = (extent + tile - 1) / tile;
            int from = (int)((long)panels * part / Parts) * tile;
            int to = Math.Min(extent, (int)((long)panels * (part + 1) / Parts) * tile);
            if (from >= to) return;
            if (SplitN)
                Compute(Plan, TransA, TransB, M, to - from, K, Alpha, A, Lda,
                    TransB ? B + from * Ldb : B + from, Ldb, Beta, C + from, Ldc, Shared, null, SharedPad);
            else
                Compute(Plan, TransA, TransB, to - from, N, K, Alpha,
                    TransA ? A + from : A + from * Lda, Lda, B, Ldb, Beta, C + from * Ldc, Ldc, null, Shared, SharedPad);
        }
    }

    /// <summary>Packs the shared operand of a <see cref="GemmJob{T}"/>: part p takes its share of the panels of every K block.</summary>
    struct SharedPackJob<T> : IParallelWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public GemmJob<T> Job;
        public int Parts;

        /// <summary>Panels of the shared operand (A's MR-row panels when splitting N, B's NR-column ones otherwise).</summary>
        public readonly int Panels => Job.SplitN ? (Job.M + Job.Plan.MR - 1) / Job.Plan.MR : (Job.N + Job.Plan.NR - 1) / Job.Plan.NR;

        public readonly void Execute(int part)
        {
            ref readonly GemmJob<T> j = ref Job;
            int mr = j.Plan.MR, nr = j.Plan.NR, panels = Panels;
            int tile = j.SplitN ? mr : nr, extent = j.SplitN ? j.M : j.N;
            int from = (int)((long)panels * part / Parts) * tile;
            int to = Math.Min(extent, (int)((long)panels * (part + 1) / Parts) * tile);
            if (from >= to) return;
            int kcMax = KBlocking(j.Plan, j.K).Kc, tailWidth = j.Plan.TailWidth(j.M % mr);
            for (int pc = 0; pc < j.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, j.K - pc);
                // Same layout Compute expects: K block pc at pc * SharedPad, panel q of it at q * tile * kc.
                T* block = j.Shared + (nint)pc * j.SharedPad + (nint)from * kc;
                if (j.SplitN) GemmPack.PackA(j.TransA, j.A, j.Lda, from, pc, to - from, kc, mr, tailWidth, block);
                else GemmPack.PackB(j.TransB, j.B, j.Ldb, pc, from, kc, to - from, nr, block);
            }
        }
    }

    /// <summary>K blocks of equal size (k = 300 runs 150 + 150, not 256 + 44: a thin block pays C's load/store for
    /// little work). Depends on k alone, so results are identical across thread counts.</summary>
    static (int Blocks, int Kc) KBlocking(in GemmPlan plan, int k)
    {
        int blocks = (k + plan.KC - 1) / plan.KC;
        return (blocks, (k + blocks - 1) / blocks);
    }

    /// <summary>The single-threaded blocked algorithm over the whole of the (sub)problem it is given.</summary>
    /// <param name="aPacked">All of op(A) already packed (K block pc at pc * <paramref name="packedPad"/>), or null.</param>
    /// <param name="bPacked">All of op(B) already packed, likewise, or null.</param>
    static void Compute<T>(in GemmPlan plan, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, T* aPacked, T* bPacked, int packedPad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var only = new Output<T> { B = b, Ldb = ldb, C = c, Ldc = ldc, N = n, Packed = bPacked, Pad = packedPad };
        Compute(plan, transA, transB, m, k, alpha, a, lda, beta, aPacked, packedPad, only, default);
    }

    /// <summary>One product's op(B) and C (and op(B) packed whole, or null) in a <see cref="Compute{T}(in GemmPlan, bool, bool, int, int, T, T*, nint, T, T*, int, Output{T}, Output{T})"/>.</summary>
    struct Output<T> where T : unmanaged
    {
        public T* B, C, Packed;
        public nint Ldb, Ldc;
        public int N, Pad;
    }

    /// <summary>
    /// The blocked algorithm for one or two products sharing op(A) (<paramref name="second"/>.N == 0: one): each block of
    /// op(A) is packed once and multiplied into both. A tile's operations do not depend on which products share the call,
    /// so each C gets the bits a call of its own gives.
    /// </summary>
    static void Compute<T>(in GemmPlan plan, bool transA, bool transB, int m, int k, T alpha, T* a, nint lda, T beta,
        T* aPacked, int aPad, Output<T> first, Output<T> second)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int mr = plan.MR, nr = plan.NR;
        int kcMax = KBlocking(plan, k).Kc;
        // Balance the M blocks so the last is not a sliver that forces B to be repacked for a few rows (they only
        // regroup whole tiles, so this does not change any result).
        int mBlocks = (m + plan.MC - 1) / plan.MC;
        int mcMax = RoundUp((m + mBlocks - 1) / mBlocks, mr);
        int ncMax = Math.Min(plan.NC, RoundUp(Math.Max(first.N, second.N), nr));
        bool packB = first.Packed == null || (second.N > 0 && second.Packed == null);
        T* aPack, bPack, tile;
        PackBuffers.Get(sizeof(T), aPacked == null ? (long)mcMax * kcMax : 0, packB ? (long)ncMax * kcMax : 0,
            mr * nr, out aPack, out bPack, out tile);

        for (int ic = 0; ic < m; ic += mcMax)
        {
            int mc = Math.Min(mcMax, m - ic);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                T betaBlock = pc == 0 ? beta : T.One; // later K blocks accumulate onto what the first one wrote
                int tailWidth = plan.TailWidth(mc % mr);
                if (aPacked == null) GemmPack.PackA(transA, a, lda, ic, pc, mc, kc, mr, tailWidth, aPack);
                else aPack = aPacked + (nint)pc * aPad + (nint)ic * kc;
                Blocks(plan, transB, ic, mc, pc, kc, tailWidth, alpha, betaBlock, aPack, first, bPack, tile);
                if (second.N > 0) Blocks(plan, transB, ic, mc, pc, kc, tailWidth, alpha, betaBlock, aPack, second, bPack, tile);
            }
        }
    }

    /// <summary>Rows [ic, ic+mc) of one product's C for K block pc: op(B) packed (or found packed) NC columns at a time,
    /// then every MR x NR tile against the packed block of op(A).</summary>
    static void Blocks<T>(in GemmPlan plan, bool transB, int ic, int mc, int pc, int kc, int tailWidth, T alpha, T betaBlock,
        T* aPack, in Output<T> o, T* bPack, T* tile)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int mr = plan.MR, nr = plan.NR;
        int ncMax = Math.Min(plan.NC, RoundUp(o.N, nr));
        for (int jc = 0; jc < o.N; jc += ncMax)
        {
            int nc = Math.Min(ncMax, o.N - jc);
            if (o.Packed == null) GemmPack.PackB(transB, o.B, o.Ldb, pc, jc, kc, nc, nr, bPack);
            else bPack = o.Packed + (nint)pc * o.Pad + (nint)jc * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int mrValid = Math.Min(mr, mc - ir);
                int width = mrValid == mr ? mr : tailWidth; // rows the kernel computes (panel width)
                T* ap = aPack + (nint)ir * kc;
                T* cRow = o.C + (ic + ir) * o.Ldc + jc;
                for (int jr = 0; jr < nc; jr += nr)
                {
                    int nrValid = Math.Min(nr, nc - jr);
                    T* bp = bPack + (nint)jr * kc;
                    if (mrValid == width && nrValid == nr)
                    {
                        Kernel(plan.Level, width, kc, ap, bp, cRow + jr, o.Ldc, alpha, betaBlock);
                    }
                    else
                    {
                        // Edge tile: the packed panels are zero-padded, so run the full kernel into a scratch
                        // tile and copy out only the valid part.
                        Kernel(plan.Level, width, kc, ap, bp, tile, nr, alpha, T.Zero);
                        MergeTile(tile, nr, cRow + jr, o.Ldc, mrValid, nrValid, betaBlock);
                    }
                }
            }
        }
    }

    static void MergeTile<T>(T* tile, nint ldt, T* c, nint ldc, int rows, int cols, T beta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            T* t = tile + i * ldt, ci = c + i * ldc;
            if (beta == T.Zero) for (int j = 0; j < cols; j++) ci[j] = t[j];
            else for (int j = 0; j < cols; j++) ci[j] = t[j] + beta * ci[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Kernel<T>(SimdLevel level, int rows, nint kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float al = Unsafe.As<T, float>(ref alpha), be = Unsafe.As<T, float>(ref beta);
            switch (level)
            {
                case SimdLevel.Vector512:
                    if (rows == 12) GemmKernels.F32x512(kc, (float*)a, (float*)b, (float*)c, ldc, al, be);
                    else if (rows == 8) GemmKernels.F32x512R8(kc, (float*)a, (float*)b, (float*)c, ldc, al, be);
                    else GemmKernels.F32x512R4(kc, (float*)a, (float*)b, (float*)c, ldc, al, be);
                    return;
                case SimdLevel.Vector256: GemmKernels.F32x256(kc, (float*)a, (float*)b, (float*)c, ldc, al, be); return;
                case SimdLevel.Vector128: GemmKernels.F32x128(kc, (float*)a, (float*)b, (float*)c, ldc, al, be); return;
            }
        }
        else if (typeof(T) == typeof(double))
        {
            double al = Unsafe.As<T, double>(ref alpha), be = Unsafe.As<T, double>(ref beta);
            switch (level)
            {
                case SimdLevel.Vector512:
                    if (rows == 12) GemmKernels.F64x512(kc, (double*)a, (double*)b, (double*)c, ldc, al, be);
                    else if (rows == 8) GemmKernels.F64x512R8(kc, (double*)a, (double*)b, (double*)c, ldc, al, be);
                    else GemmKernels.F64x512R4(kc, (double*)a, (double*)b, (double*)c, ldc, al, be);
                    return;
                case SimdLevel.Vector256: GemmKernels.F64x256(kc, (double*)a, (double*)b, (double*)c, ldc, al, be); return;
                case SimdLevel.Vector128: GemmKernels.F64x128(kc, (double*)a, (double*)b, (double*)c, ldc, al, be); return;
            }
        }
        ScalarKernel(kc, a, b, c, ldc, alpha, beta);
    }

    /// <summary>The Scalar level: the same packed algorithm with a plain 4x4 tile, no vectors.</summary>
    static void ScalarKernel<T>(nint kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int R = GemmPlan.ScalarTile;
        T* acc = stackalloc T[R * R];
        for (int i = 0; i < R * R; i++) acc[i] = T.Zero;
        for (nint p = 0; p < kc; p++, a += R, b += R)
            for (int i = 0; i < R; i++)
                for (int j = 0; j < R; j++)
                    acc[i * R + j] += a[i] * b[j];
        for (int i = 0; i < R; i++)
            for (int j = 0; j < R; j++)
            {
                ref T cij = ref c[i * ldc + j];
                cij = beta == T.Zero ? alpha * acc[i * R + j] : alpha * acc[i * R + j] + beta * cij;
            }
    }

    static int RoundUp(int x, int to) => (x + to - 1) / to * to;
}

/// <summary>Tile and cache-block sizes for one element type at one vector width.</summary>
internal readonly struct GemmPlan
{
    public const int ScalarTile = 4;

    public readonly SimdLevel Level;
    /// <summary>Register tile: rows of C (A values broadcast) by columns of C (vectors of B).</summary>
    public readonly int MR, NR;
    /// <summary>K block (A micro-panel kc*MR stays in L1), M block (packed A, L3), N block (packed B kc*NC, L2).</summary>
    public readonly int KC, MC, NC;

    /// <summary>Rows of the kernel that takes a last, partial panel of <paramref name="rows"/> rows (1..MR-1):
    /// the 12-row Vector512 kernels have 8- and 4-row siblings so m = 32, 64, 256 waste no padded rows.</summary>
    public int TailWidth(int rows) =>
        rows == 0 || Level != SimdLevel.Vector512 ? MR : rows <= 4 ? 4 : rows <= 8 ? 8 : MR;

    GemmPlan(SimdLevel level, int mr, int nr, int kc, int mc, int nc)
    {
        Level = level; MR = mr; NR = nr; KC = kc; MC = mc; NC = nc;
    }

    public static GemmPlan For<T>(SimdLevel level) where T : unmanaged
    {
        int lanes = SimdCaps.Lanes<T>(level);
        int bytes = Unsafe.SizeOf<T>();
        (int mr, int nr) = level switch
        {
            SimdLevel.Vector512 => (12, 2 * lanes),
            SimdLevel.Vector256 or SimdLevel.Vector128 => (6, 2 * lanes),
            _ => (ScalarTile, ScalarTile),
        };
        int kc = 256;
        int nc = 512 * sizeof(float) / bytes / nr * nr;   // kc*nc*bytes = 512 KiB: half of Zen 4's L2
        int mc = 2048 / mr * mr;                           // packed A up to 2 MiB per thread (float), shared L3
        return new GemmPlan(level, mr, nr, kc, mc, nc);
    }
}
