// GEMM for a narrow C (n ≤ 8 columns): the products with the input or output size of a small model (I = 5 in copy-delay).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// C[m, n] = alpha·op(A)·op(B) + beta·C for n ≤ <see cref="MaxColumns"/>. The packed kernel tiles C 32 columns wide, so
/// a 5-column C wastes 27/32 of every micro-kernel call (measured: dX = dG·W_ih at 1280×5×128 took 134 µs, dW_ih = dGᵀ·X
/// 187 µs). Here the long dimension is vectorised instead: with op(A) = A, each C element is a dot product of an A row and
/// a column of op(B) (gathered once into a contiguous row); with op(A) = Aᵀ, C's columns are built as vectors over m,
/// one rank-1 update per row of A. Single-threaded: these products are small.
/// </summary>
public static class NarrowGemm
{
    public const int MaxColumns = 8;


    /// <summary>
    /// True for the shapes this kernel beats the packed one on (measured at n = 5): with op(A) = Aᵀ from m ≥ 16; with
    /// op(A) = A from k ≥ 16 since the row sums became one reduction tree (1280×5×32, the small model's head: 20 against
    /// 35–107 µs packed; 1280×5×16: 14 against 20 µs, single thread, 01:55 UTC, loaded machine). Shallower products
    /// go to SmallGemm's shallow path.
    /// </summary>
    public static bool Applies(bool transA, int m, int n, int k) => n is >= 1 and <= MaxColumns && (transA ? m >= 16 : k >= 16);

    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Gemm.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (n > MaxColumns) throw new ArgumentOutOfRangeException(nameof(n), n, $"NarrowGemm takes at most {MaxColumns} columns of C");
        level = SimdCaps.Clamp(level);
        // op(B)ᵀ as 8 contiguous rows of length k, zero past n: bt[j, r] = op(B)[r, j]. Always 8 rows, so the kernels
        // keep 8 accumulators in registers whatever n is (the zero rows cost a few FMAs, not a branch per element).
        Span<T> bt = Scratch.Get<T>(MaxColumns * k);
        bt.Clear();
        for (int j = 0; j < n; j++)
            for (int r = 0; r < k; r++)
                bt[j * k + r] = transB ? b[j * ldb + r] : b[r * ldb + j];
        if (transA) RankOneUpdates(m, n, k, alpha, a, lda, bt, beta, c, ldc, level);
        else DotProducts(m, n, k, alpha, a, lda, bt, beta, c, ldc, level);
    }

    private static void Store<T>(Span<T> c, int index, T alpha, T sum, T beta) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        c[index] = beta == T.Zero ? alpha * sum : alpha * sum + beta * c[index]; // beta = 0 never reads C (BLAS rule)

    // op(A) = A [m, k]: C[i, j] = dot(A row i, bt row j); each chunk of the A row is loaded once for all 8 rows of bt.
    private static void DotProducts<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> bt, T beta, Span<T> c, int ldc, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T b = ref MemoryMarshal.GetReference(bt);
        Span<T> sums = stackalloc T[MaxColumns];
        for (int i = 0; i < m; i++)
        {
            ref T row = ref Unsafe.Add(ref ar, (nint)i * lda);
            int r = 0;
            sums.Clear();
            // 256-bit accumulators even where 512-bit ones exist: each row ends in eight horizontal sums, which cost
            // less from 256 bits (measured at 1280×5×128: 108 µs against 117 µs, before the reduction tree).
            if (level >= SimdLevel.Vector256 && k >= Vector256<T>.Count)
            {
                int w = Vector256<T>.Count;
                Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                for (; r + w <= k; r += w)
                {
                    Vector256<T> x = Vector256.LoadUnsafe(ref row, (nuint)r);
                    s0 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)r), s0);
                    s1 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)(k + r)), s1);
                    s2 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)(2 * k + r)), s2);
                    s3 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)(3 * k + r)), s3);
                    s4 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)(4 * k + r)), s4);
                    s5 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)(5 * k + r)), s5);
                    s6 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)(6 * k + r)), s6);
                    s7 = VectorMath.Fma(x, Vector256.LoadUnsafe(ref b, (nuint)(7 * k + r)), s7);
                }
                SumEach(s0, s1, s2, s3, s4, s5, s6, s7, sums);
            }
            for (; r < k; r++)
            {
                T x = Unsafe.Add(ref row, r);
                for (int j = 0; j < n; j++) sums[j] += x * Unsafe.Add(ref b, (nint)j * k + r);
            }
            for (int j = 0; j < n; j++) Store(c, i * ldc + j, alpha, sums[j], beta);
        }
    }

    /// <summary>
    /// sums[j] = Σ lanes of s_j. For float, one transpose-and-add tree (6 horizontal adds, 2 lane swaps, 1 add) instead
    /// of eight separate horizontal sums (about 5 operations each): the rows of a narrow product are short, so these
    /// sums were a third of the work at k = 128.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumEach<T>(Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, Vector256<T> s3, Vector256<T> s4, Vector256<T> s5,
        Vector256<T> s6, Vector256<T> s7, Span<T> sums) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            // hadd pairs within each 128-bit half; after two rounds half h of q0 holds the half-h sums of s0…s3, q1 of s4…s7.
            Vector256<float> q0 = Avx.HorizontalAdd(Avx.HorizontalAdd(s0.AsSingle(), s1.AsSingle()), Avx.HorizontalAdd(s2.AsSingle(), s3.AsSingle()));
            Vector256<float> q1 = Avx.HorizontalAdd(Avx.HorizontalAdd(s4.AsSingle(), s5.AsSingle()), Avx.HorizontalAdd(s6.AsSingle(), s7.AsSingle()));
            Vector256<float> total = Avx.Permute2x128(q0, q1, 0x20) + Avx.Permute2x128(q0, q1, 0x31);
            total.As<float, T>().StoreUnsafe(ref MemoryMarshal.GetReference(sums));
            return;
        }
        sums[0] = Vector256.Sum(s0); sums[1] = Vector256.Sum(s1); sums[2] = Vector256.Sum(s2); sums[3] = Vector256.Sum(s3);
        sums[4] = Vector256.Sum(s4); sums[5] = Vector256.Sum(s5); sums[6] = Vector256.Sum(s6); sums[7] = Vector256.Sum(s7);
    }

    // op(A) = Aᵀ with A stored [k, m]: the columns of C for a vector of rows i are Σ_r A[r, i…] · bt[j, r], eight
    // accumulators in registers, one rank-1 update per row r of A.
    private static void RankOneUpdates<T>(int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> bt, T beta, Span<T> c, int ldc, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T b = ref MemoryMarshal.GetReference(bt);
        int i = 0;
        if (level == SimdLevel.Vector512)
        {
            int w = Vector512<T>.Count;
            Span<Vector512<T>> acc = stackalloc Vector512<T>[MaxColumns];
            for (; i + w <= m; i += w)
            {
                Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                for (int r = 0; r < k; r++)
                {
                    Vector512<T> x = Vector512.LoadUnsafe(ref ar, (nuint)((nint)r * lda + i));
                    s0 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, r)), s0);
                    s1 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, k + r)), s1);
                    s2 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, 2 * k + r)), s2);
                    s3 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, 3 * k + r)), s3);
                    s4 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, 4 * k + r)), s4);
                    s5 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, 5 * k + r)), s5);
                    s6 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, 6 * k + r)), s6);
                    s7 = VectorMath.Fma(x, Vector512.Create(Unsafe.Add(ref b, 7 * k + r)), s7);
                }
                acc[0] = s0; acc[1] = s1; acc[2] = s2; acc[3] = s3; acc[4] = s4; acc[5] = s5; acc[6] = s6; acc[7] = s7;
                WriteBlock(acc[..n], w, i, alpha, beta, c, ldc);
            }
        }
        if (level >= SimdLevel.Vector256)
        {
            int w = Vector256<T>.Count;
            Span<Vector256<T>> columns = stackalloc Vector256<T>[MaxColumns];
            for (; i + w <= m; i += w)
            {
                Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                for (int r = 0; r < k; r++)
                {
                    Vector256<T> x = Vector256.LoadUnsafe(ref ar, (nuint)((nint)r * lda + i));
                    s0 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, r)), s0);
                    s1 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, k + r)), s1);
                    s2 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, 2 * k + r)), s2);
                    s3 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, 3 * k + r)), s3);
                    s4 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, 4 * k + r)), s4);
                    s5 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, 5 * k + r)), s5);
                    s6 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, 6 * k + r)), s6);
                    s7 = VectorMath.Fma(x, Vector256.Create(Unsafe.Add(ref b, 7 * k + r)), s7);
                }
                columns[0] = s0; columns[1] = s1; columns[2] = s2; columns[3] = s3; columns[4] = s4; columns[5] = s5; columns[6] = s6; columns[7] = s7;
                for (int j = 0; j < n; j++)
                    for (int e = 0; e < w; e++) Store(c, (i + e) * ldc + j, alpha, columns[j][e], beta);
            }
        }
        for (; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int r = 0; r < k; r++) sum += Unsafe.Add(ref ar, (nint)r * lda + i) * Unsafe.Add(ref b, (nint)j * k + r);
                Store(c, i * ldc + j, alpha, sum, beta);
            }
    }

    private static void WriteBlock<T>(Span<Vector512<T>> acc, int width, int i, T alpha, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int j = 0; j < acc.Length; j++)
            for (int e = 0; e < width; e++) Store(c, (i + e) * ldc + j, alpha, acc[j][e], beta);
    }
}
