// GEMM C = Aᵀ·B over a long k with C 9–32 columns wide: the weight gradients dGᵀ·H of layers with 16 or 32 units.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// C[m, n] = alpha·Aᵀ·B + beta·C with A stored [k, m], B stored [k, n], 9 ≤ n ≤ 32 (one or two Vector512 of float),
/// float only. The packed kernel tiles C 32 columns wide and packs both operands, which for dW_hh = dGᵀ·H of a 16-unit
/// LSTM over a batch of 1000 × 20 steps ([64, 20000]·[20000, 16]) cost more than the arithmetic: 1.7 ms, a fifth of
/// the training step; for the 32-unit LSTM of sine ([128, 1600]·[1600, 32]) 155 µs, a sixth of it. Here C is built as
/// a sum of outer products, one row p of A and B at a time: B's row is one or two vectors, each A value is broadcast
/// against it, 8 rows of C stay in registers, and neither operand is copied. k is walked in chunks of 256 rows, so
/// the chunk of B is re-read from L1 by every block of 8 rows of C.
/// </summary>
/// <remarks>Each element of C is the sum over p in order, one fused multiply-add at a time, in a float accumulator kept
/// across chunks; then alpha·sum (beta = 0, C not read) or alpha·sum + beta·C. Single-threaded.</remarks>
public static unsafe class OuterProductGemm
{
    public const int MinColumns = NarrowGemm.MaxColumns + 1, MaxColumns = 32;
    private const int Lanes = 16;
    private const int RowBlock = 8, KChunk = 256;

    /// <summary>Aᵀ·B with 9–32 columns, a k long enough to repay the setup, and 512-bit vectors on this CPU.</summary>
    public static bool Applies(bool transA, bool transB, int n, int k, SimdLevel level) =>
        transA && !transB && n is >= MinColumns and <= MaxColumns && k >= 64 && level == SimdLevel.Vector512 && Vector512.IsHardwareAccelerated;

    public static void Run(int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        Gemm.Validate(true, false, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (n is < MinColumns or > MaxColumns)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"OuterProductGemm takes {MinColumns}–{MaxColumns} columns of C");
        if (!Vector512.IsHardwareAccelerated) throw new PlatformNotSupportedException("OuterProductGemm needs 512-bit vectors");
        if (m == 0) return;

        // sums[i, 0..32): row i of C before alpha and beta; lanes ≥ n collect the B row's neighbours and are never stored.
        int width = n <= Lanes ? Lanes : 2 * Lanes; // the floats a row load reads: one or two vectors
        Span<float> sums = Scratch.Get<float>(m * MaxColumns);
        sums.Clear();
        // A row load of B reads `width` floats from p·ldb: rows near the end of the span get a padded copy.
        int directRows = b.Length >= width ? Math.Min(k, (b.Length - width) / ldb + 1) : 0;
        int tailRows = k - directRows;
        float* tail = stackalloc float[Math.Max(1, tailRows) * MaxColumns];
        new Span<float>(tail, Math.Max(1, tailRows) * MaxColumns).Clear();
        for (int p = directRows; p < k; p++) b.Slice(p * ldb, n).CopyTo(new Span<float>(tail + (p - directRows) * MaxColumns, n));

        fixed (float* pa = a, pb = b, ps = sums)
        {
            for (int p0 = 0; p0 < k; p0 += KChunk)
            {
                int p1 = Math.Min(k, p0 + KChunk), mid = Math.Clamp(directRows, p0, p1);
                for (int i = 0; i < m; i += RowBlock)
                {
                    int rows = Math.Min(RowBlock, m - i);
                    float* sumRows = ps + i * MaxColumns;
                    // Rows [p0, mid) of B in place, [mid, p1) from the padded copy.
                    if (mid > p0) Accumulate(rows, width, pa + (nint)p0 * lda + i, lda, pb + (nint)p0 * ldb, ldb, mid - p0, sumRows);
                    if (p1 > mid) Accumulate(rows, width, pa + (nint)mid * lda + i, lda, tail + (nint)(mid - directRows) * MaxColumns, MaxColumns, p1 - mid, sumRows);
                }
            }
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                ref float cij = ref c[i * ldc + j];
                float sum = sums[i * MaxColumns + j];
                cij = beta == 0 ? alpha * sum : alpha * sum + beta * cij; // beta = 0 never reads C (BLAS rule)
            }
    }

    /// <summary>sums[r, :width] += Σ_p A[p, r] · B[p, :width] for r &lt; rows (at most 8) over count rows of A and B.</summary>
    private static void Accumulate(int rows, int width, float* a, nint lda, float* b, nint ldb, int count, float* sums)
    {
        if (rows == RowBlock)
        {
            if (width == Lanes) Block8(a, lda, b, ldb, count, sums);
            else Block8x2(a, lda, b, ldb, count, sums);
            return;
        }
        for (int r = 0; r < rows; r++)
            for (int v = 0; v < width; v += Lanes)
            {
                float* sum = sums + r * MaxColumns + v;
                Vector512<float> s = Vector512.Load(sum);
                for (int p = 0; p < count; p++) s = Vector512.FusedMultiplyAdd(Vector512.Create(a[p * lda + r]), Vector512.Load(b + p * ldb + v), s);
                s.Store(sum);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8(float* a, nint lda, float* b, nint ldb, int count, float* sums)
    {
        const int W = MaxColumns;
        Vector512<float> s0 = Vector512.Load(sums), s1 = Vector512.Load(sums + W), s2 = Vector512.Load(sums + 2 * W), s3 = Vector512.Load(sums + 3 * W);
        Vector512<float> s4 = Vector512.Load(sums + 4 * W), s5 = Vector512.Load(sums + 5 * W), s6 = Vector512.Load(sums + 6 * W), s7 = Vector512.Load(sums + 7 * W);
        for (int p = 0; p < count; p++, a += lda, b += ldb)
        {
            Vector512<float> row = Vector512.Load(b);
            s0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), row, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), row, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), row, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), row, s3);
            s4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), row, s4);
            s5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), row, s5);
            s6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), row, s6);
            s7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), row, s7);
        }
        s0.Store(sums); s1.Store(sums + W); s2.Store(sums + 2 * W); s3.Store(sums + 3 * W);
        s4.Store(sums + 4 * W); s5.Store(sums + 5 * W); s6.Store(sums + 6 * W); s7.Store(sums + 7 * W);
    }

    /// <summary><see cref="Block8"/> for rows of two vectors (17–32 columns): 16 accumulators, each A value feeds both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8x2(float* a, nint lda, float* b, nint ldb, int count, float* sums)
    {
        const int W = MaxColumns, L = Lanes;
        Vector512<float> s0 = Vector512.Load(sums), s1 = Vector512.Load(sums + W), s2 = Vector512.Load(sums + 2 * W), s3 = Vector512.Load(sums + 3 * W);
        Vector512<float> s4 = Vector512.Load(sums + 4 * W), s5 = Vector512.Load(sums + 5 * W), s6 = Vector512.Load(sums + 6 * W), s7 = Vector512.Load(sums + 7 * W);
        Vector512<float> t0 = Vector512.Load(sums + L), t1 = Vector512.Load(sums + W + L), t2 = Vector512.Load(sums + 2 * W + L), t3 = Vector512.Load(sums + 3 * W + L);
        Vector512<float> t4 = Vector512.Load(sums + 4 * W + L), t5 = Vector512.Load(sums + 5 * W + L), t6 = Vector512.Load(sums + 6 * W + L), t7 = Vector512.Load(sums + 7 * W + L);
        for (int p = 0; p < count; p++, a += lda, b += ldb)
        {
            Vector512<float> lo = Vector512.Load(b), hi = Vector512.Load(b + L), x;
            x = Vector512.Create(a[0]); s0 = Vector512.FusedMultiplyAdd(x, lo, s0); t0 = Vector512.FusedMultiplyAdd(x, hi, t0);
            x = Vector512.Create(a[1]); s1 = Vector512.FusedMultiplyAdd(x, lo, s1); t1 = Vector512.FusedMultiplyAdd(x, hi, t1);
            x = Vector512.Create(a[2]); s2 = Vector512.FusedMultiplyAdd(x, lo, s2); t2 = Vector512.FusedMultiplyAdd(x, hi, t2);
            x = Vector512.Create(a[3]); s3 = Vector512.FusedMultiplyAdd(x, lo, s3); t3 = Vector512.FusedMultiplyAdd(x, hi, t3);
            x = Vector512.Create(a[4]); s4 = Vector512.FusedMultiplyAdd(x, lo, s4); t4 = Vector512.FusedMultiplyAdd(x, hi, t4);
            x = Vector512.Create(a[5]); s5 = Vector512.FusedMultiplyAdd(x, lo, s5); t5 = Vector512.FusedMultiplyAdd(x, hi, t5);
            x = Vector512.Create(a[6]); s6 = Vector512.FusedMultiplyAdd(x, lo, s6); t6 = Vector512.FusedMultiplyAdd(x, hi, t6);
            x = Vector512.Create(a[7]); s7 = Vector512.FusedMultiplyAdd(x, lo, s7); t7 = Vector512.FusedMultiplyAdd(x, hi, t7);
        }
        s0.Store(sums); s1.Store(sums + W); s2.Store(sums + 2 * W); s3.Store(sums + 3 * W);
        s4.Store(sums + 4 * W); s5.Store(sums + 5 * W); s6.Store(sums + 6 * W); s7.Store(sums + 7 * W);
        t0.Store(sums + L); t1.Store(sums + W + L); t2.Store(sums + 2 * W + L); t3.Store(sums + 3 * W + L);
        t4.Store(sums + 4 * W + L); t5.Store(sums + 5 * W + L); t6.Store(sums + 6 * W + L); t7.Store(sums + 7 * W + L);
    }
}
