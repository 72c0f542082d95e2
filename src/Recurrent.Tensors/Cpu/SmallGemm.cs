// GEMM for a small number of rows (a recurrent layer's batch) against a B operand packed once and reused many times.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// C[m,n] = alpha * A[m,k] * op(B)[k,n] + beta * C for small m, with op(B) arranged once by <see cref="PackB{T}"/>
/// into a caller-owned buffer and then used by any number of <see cref="Run{T}"/> calls. Made for the per-time-step
/// products of a recurrent layer, where the same weight matrix meets a new [batch, k] operand at every step:
/// <see cref="Gemm.Run{T}"/> re-packs both operands on every call, which at batch 32, hidden 32 costs more than
/// the arithmetic.
/// </summary>
/// <remarks>
/// <para>Packed layout (independent of the element type and of the vector level): op(B) is cut into column panels
/// of <see cref="PanelWidth"/> = 64 columns; each panel is stored k rows of w contiguous values, w = 64 except in
/// the last panel, where it is the remaining columns rounded up to <see cref="ColumnAlign"/> = 16 (the rounding
/// is zero-filled). Panel q starts at element q·64·k. So a panel is one contiguous stream the kernel walks front to
/// back, and <see cref="PackedLength"/>(k, n) = k · roundup(n, 16).</para>
/// <para>Kernel: for each panel, for each tile of up to 4 vectors across it, for each group of up to 4 rows of A,
/// a 4 x 4-vector block of C (16 registers; 4 x 64 floats with Vector512) is accumulated over all of k, one fused
/// multiply-add chain per element, broadcasting A[i,p] against the packed row of the panel; the panel stays in
/// L1/L2 while every row group passes over it. No K blocking, no packing of A, no allocation.</para>
/// <para>Numbers: every element of C is fma(…fma(fma(0, a0, b0), a1, b1)…, a_k-1, b_k-1) in order of p, then
/// alpha·acc (beta = 0), fma(acc, alpha, C) (beta = 1) or fma(acc, alpha, beta·C). That is the same at every
/// SimdLevel, including Scalar, so results are bit-identical across levels and runs, but not to Gemm.Run (whose
/// K blocks and edge tiles round differently); both are within the usual k·u bound of the exact product.</para>
/// </remarks>
public static unsafe class SmallGemm
{
    /// <summary>Columns per packed panel.</summary>
    public const int PanelWidth = 64;

    /// <summary>The last panel's width is rounded up to a multiple of this (64 bytes of float).</summary>
    public const int ColumnAlign = 16;

    /// <summary>Elements <see cref="PackB{T}"/> writes for op(B) of [k, n]: k · roundup(n, 16), for float and double alike.</summary>
    public static int PackedLength(int k, int n)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k (rows of op(B)) must be non-negative.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n (columns of op(B)) must be non-negative.");
        long length = (long)k * RoundUp(n, ColumnAlign);
        if (length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"op(B) of [{k},{n}] packs to {length} elements, more than an array holds.");
        return (int)length;
    }

    /// <summary>
    /// Arranges op(B) [k, n] into <paramref name="packed"/> (at least <see cref="PackedLength"/>(k, n) elements)
    /// for <see cref="Run{T}"/>. B is stored [k,n] with row stride <paramref name="ldb"/>, or [n,k] when
    /// <paramref name="transB"/> (a weight W[4H, H] used as Wᵀ: transB = true, k = H, n = 4H).
    /// </summary>
    public static void PackB<T>(bool transB, int k, int n, ReadOnlySpan<T> b, int ldb, Span<T> packed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int need = PackedLength(k, n);
        CheckMatrix("b", "ldb", transB ? "[n,k]" : "[k,n]", transB ? n : k, transB ? k : n, b.Length, ldb);
        if (packed.Length < need)
            throw new ArgumentException($"packed holds {packed.Length} elements but op(B) of [k,n] = [{k},{n}] packs to {need} (SmallGemm.PackedLength).", nameof(packed));
        int np = RoundUp(n, ColumnAlign);
        for (int j0 = 0; j0 < np; j0 += PanelWidth)
        {
            int w = Math.Min(PanelWidth, np - j0), valid = Math.Min(w, n - j0);
            Span<T> panel = packed.Slice(j0 * k, w * k);
            if (!transB)
            {
                for (int p = 0; p < k; p++)
                {
                    b.Slice(p * ldb + j0, valid).CopyTo(panel.Slice(p * w, valid));
                    panel.Slice(p * w + valid, w - valid).Clear();
                }
            }
            else
            {
                fixed (T* pb = b, pp = panel) PackTransposedPanel(pb + (nint)j0 * ldb, ldb, k, valid, w, pp);
            }
        }
    }

    /// <summary>One panel of op(B) = Bᵀ: panel[p, j] = B[j, p] for j &lt; valid, zero for valid ≤ j &lt; w. Each row of B
    /// is read once, front to back, and written down its column of the panel. (Blocked 8 x 32 and 16 x 16 variants
    /// measured faster at H ≤ 256 but up to 3x slower at H = 512, where rows of B are 2 KiB apart.)</summary>
    static void PackTransposedPanel<T>(T* b, nint ldb, int k, int valid, int w, T* panel) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int j = 0; j < valid; j++)
        {
            T* src = b + j * ldb, d = panel + j;
            for (int p = 0; p < k; p++, d += w) *d = src[p];
        }
        for (int j = valid; j < w; j++)
        {
            T* d = panel + j;
            for (int p = 0; p < k; p++, d += w) *d = T.Zero;
        }
    }

    /// <summary>
    /// C[m,n] = alpha * A * op(B) + beta * C, row-major, with A [m,k] (row stride <paramref name="lda"/>) and op(B)
    /// given packed by <see cref="PackB{T}"/> for the same k and n. beta == 0 overwrites C without reading it (a NaN
    /// already in C does not leak); k == 0 gives C = beta * C. Single-threaded; allocates nothing.
    /// </summary>
    /// <param name="level">Widest vector width allowed; clamped to what this CPU accelerates.</param>
    public static void Run<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> packedB,
        T beta, Span<T> c, int ldc, SimdLevel level = SimdLevel.Vector512)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckRun(m, n, k, a.Length, lda, packedB.Length, c.Length, ldc);
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"SmallGemm supports float and double, not {typeof(T).Name}.");
        if (m == 0 || n == 0) return;

        fixed (T* pa = a, pb = packedB, pc = c)
        {
            if (k == 0)
            {
                ScaleC(m, n, beta, pc, ldc);
                return;
            }
            switch (SimdCaps.Clamp(level))
            {
                case SimdLevel.Vector512: Drive(3, Vector512<T>.Count, m, n, k, alpha, pa, lda, pb, beta, pc, ldc); break;
                case SimdLevel.Vector256: Drive(2, Vector256<T>.Count, m, n, k, alpha, pa, lda, pb, beta, pc, ldc); break;
                case SimdLevel.Vector128: Drive(1, Vector128<T>.Count, m, n, k, alpha, pa, lda, pb, beta, pc, ldc); break;
                default: RunScalar(m, n, k, alpha, pa, lda, pb, beta, pc, ldc); break;
            }
        }
    }

    /// <summary>
    /// <see cref="Run{T}(int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, T, Span{T}, int, SimdLevel)"/> split
    /// over up to <paramref name="threads"/> threads of the shared <see cref="WorkerPool"/> once the product has
    /// <see cref="Gemm.ParallelThreshold"/> multiply-adds: whole panels per thread (each reads only its share of the
    /// packed weight), or groups of 4 rows when there are fewer panels than threads. Every element of C is computed
    /// by the same operations whatever the split, so the result does not depend on the thread count.
    /// </summary>
    public static void Run<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> packedB,
        T beta, Span<T> c, int ldc, int threads, SimdLevel level = SimdLevel.Vector512)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1.");
        int panels = (n + PanelWidth - 1) / PanelWidth, rowGroups = (m + 3) / 4;
        int parts = threads <= 1 || (long)m * n * k < Gemm.ParallelThreshold ? 1 : Math.Min(threads, Math.Max(panels, rowGroups));
        if (parts <= 1)
        {
            Run(m, n, k, alpha, a, lda, packedB, beta, c, ldc, level);
            return;
        }
        // Checked once here with the whole shapes; each part then runs on a sub-block of them.
        CheckRun(m, n, k, a.Length, lda, packedB.Length, c.Length, ldc);
        fixed (T* pa = a, pb = packedB, pc = c)
        {
            var job = new SplitJob<T>
            {
                M = m, N = n, K = k, Alpha = alpha, Beta = beta, A = pa, Lda = lda, B = pb, C = pc, Ldc = ldc, Level = level,
                Parts = parts, ByPanels = panels >= parts, Panels = panels, RowGroups = rowGroups,
            };
            WorkerPool.Shared(Math.Min(threads, 64)).Run(ref job, parts);
        }
    }

    /// <summary>One part of a split product: a range of whole panels (all rows), or a range of 4-row groups (all panels).</summary>
    struct SplitJob<T> : IParallelWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public int M, N, K, Lda, Ldc, Parts, Panels, RowGroups;
        public T Alpha, Beta;
        public T* A, B, C;
        public bool ByPanels;
        public SimdLevel Level;

        public readonly void Execute(int part)
        {
            if (ByPanels)
            {
                int p0 = Panels * part / Parts, p1 = Panels * (part + 1) / Parts;
                int j0 = p0 * PanelWidth, cols = Math.Min(N, p1 * PanelWidth) - j0;
                if (cols <= 0) return;
                // Panels before p0 are all full width: panel p0 starts at j0·K, and the sub-range packs exactly like [K, cols].
                int len = PackedLength(K, cols);
                Run(M, cols, K, Alpha, new ReadOnlySpan<T>(A, (M - 1) * Lda + K), Lda, new ReadOnlySpan<T>(B + (nint)j0 * K, len),
                    Beta, new Span<T>(C + j0, (M - 1) * Ldc + cols), Ldc, Level);
            }
            else
            {
                int i0 = 4 * (RowGroups * part / Parts), i1 = Math.Min(M, 4 * (RowGroups * (part + 1) / Parts));
                int rows = i1 - i0;
                if (rows <= 0) return;
                Run(rows, N, K, Alpha, new ReadOnlySpan<T>(A + (nint)i0 * Lda, (rows - 1) * Lda + K), Lda, new ReadOnlySpan<T>(B, PackedLength(K, N)),
                    Beta, new Span<T>(C + (nint)i0 * Ldc, (rows - 1) * Ldc + N), Ldc, Level);
            }
        }
    }

    /// <summary>Panels, then tiles of up to 4 vectors across the panel, then groups of up to 4 rows: the tile of the
    /// panel is reused from L1 by every row group. An edge tile (n not a multiple of the vector) leaves its raw sums
    /// in a stack scratch tile, merged into C lane by lane.</summary>
    [SkipLocalsInit]
    static void Drive<T>(int width, int lanes, int m, int n, int k, T alpha, T* a, nint lda, T* packed, T beta, T* c, nint ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int np = RoundUp(n, ColumnAlign), tileCols = 4 * lanes;
        T* scratch = stackalloc T[4 * 4 * Vector512<T>.Count]; // 4 rows x 4 of the widest vectors
        for (int j0 = 0; j0 < n; j0 += PanelWidth)
        {
            int w = Math.Min(PanelWidth, np - j0);
            T* panel = packed + (nint)j0 * k;
            for (int jt = 0; jt < w && j0 + jt < n; jt += tileCols)
            {
                int cols = Math.Min(tileCols, n - j0 - jt), vecs = (cols + lanes - 1) / lanes;
                bool edge = cols != vecs * lanes;
                T* bt = panel + jt, ct = c + j0 + jt, s = edge ? scratch : null;
                for (int i = 0; i < m; i += 4)
                {
                    int rows = Math.Min(4, m - i);
                    T* ai = a + i * lda, ci = ct + i * ldc;
                    switch (width)
                    {
                        case 3: SmallGemmKernels.Dispatch512(rows, vecs, k, ai, lda, bt, w, ci, ldc, alpha, beta, s); break;
                        case 2: SmallGemmKernels.Dispatch256(rows, vecs, k, ai, lda, bt, w, ci, ldc, alpha, beta, s); break;
                        default: SmallGemmKernels.Dispatch128(rows, vecs, k, ai, lda, bt, w, ci, ldc, alpha, beta, s); break;
                    }
                    if (edge) SmallGemmKernels.MergeEdge(scratch, lanes, rows, cols, ci, ldc, alpha, beta);
                }
            }
        }
    }

    /// <summary>The Scalar level: the same fused multiply-add chain per element, no vectors.</summary>
    static void RunScalar<T>(int m, int n, int k, T alpha, T* a, nint lda, T* packed, T beta, T* c, nint ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int np = RoundUp(n, ColumnAlign), mode = beta == T.Zero ? 0 : beta == T.One ? 1 : 2;
        for (int j0 = 0; j0 < n; j0 += PanelWidth)
        {
            int w = Math.Min(PanelWidth, np - j0), valid = Math.Min(w, n - j0);
            T* panel = packed + (nint)j0 * k;
            for (int i = 0; i < m; i++)
            {
                T* ai = a + i * lda, ci = c + i * ldc + j0;
                for (int jj = 0; jj < valid; jj++)
                {
                    T acc = T.Zero;
                    T* bp = panel + jj;
                    for (int p = 0; p < k; p++, bp += w) acc = T.FusedMultiplyAdd(ai[p], *bp, acc);
                    ci[jj] = SmallGemmKernels.Finish(acc, ci, jj, alpha, beta, mode);
                }
            }
        }
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

    /// <summary>The argument checks both Run overloads share: A [m,k], the packed op(B) for k and n, C [m,n].</summary>
    static void CheckRun(int m, int n, int k, int aLength, int lda, int packedLength, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "m (rows of A and C) must be non-negative.");
        int need = PackedLength(k, n);
        CheckMatrix("a", "lda", "[m,k]", m, k, aLength, lda);
        if (packedLength < need)
            throw new ArgumentException($"packedB holds {packedLength} elements but op(B) of [k,n] = [{k},{n}] packs to {need} (SmallGemm.PackedLength).", "packedB");
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>A compile-time count: the kernels take their tile shape as struct type arguments so that the JIT
    /// specialises (and strips) one copy per shape.</summary>
    internal interface IConst { static abstract int Value { get; } }
    internal readonly struct One : IConst { public static int Value => 1; }
    internal readonly struct Two : IConst { public static int Value => 2; }
    internal readonly struct Three : IConst { public static int Value => 3; }
    internal readonly struct Four : IConst { public static int Value => 4; }
}
