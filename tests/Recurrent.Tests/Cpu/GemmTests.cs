// Tests of the fast GEMM against ReferenceKernels.Gemm: every vector level, transpose, alpha/beta, stride and thread count.
using System.Numerics;
using Recurrent.Tensors.Cpu;
using Xunit;

namespace Recurrent.Tests.Cpu;

/// <remarks>
/// Tolerance: both the fast kernel and the reference are sums of k products, each within the classic bound
/// |computed - exact| ≤ (k + 2)·u·(|alpha|·Σ_p |a_ip||b_pj| + |beta|·|c_ij|), u = 2^-24 (float) or 2^-53 (double)
/// (Higham, Accuracy and Stability, §3.1; the +2 covers the alpha and beta roundings). Their difference is then
/// within twice that, which is what <see cref="Compare{T}"/> asserts: about 1.6e-5 of the magnitude bound for
/// float at k = 129, 3e-14 for double.
/// Levels the CPU cannot run (SimdCaps.IsSupported false) return early after asserting so: xunit 2.9 has no
/// dynamic skip, and Gemm.Run would silently clamp such a level to a lower one anyway.
/// Padding between rows (ld larger than the row) is filled with NaN: it must never be read, and the padding
/// of C must come back untouched.
/// </remarks>
public class GemmTests
{
    static readonly int[] Sizes = [1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 65, 127, 129];
    static readonly (double Alpha, double Beta)[] Scalings = [(1, 0), (0.5, 2), (-1, 1)];
    static readonly SimdLevel[] Levels = [SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512];

    public static IEnumerable<object[]> LevelsAndTransposes()
    {
        foreach (SimdLevel level in Levels)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    yield return [level, ta, tb];
    }

    [Theory]
    [MemberData(nameof(LevelsAndTransposes))]
    public void FloatMatchesReference(SimdLevel level, bool transA, bool transB) => MatchesReference<float>(level, transA, transB);

    [Theory]
    [MemberData(nameof(LevelsAndTransposes))]
    public void DoubleMatchesReference(SimdLevel level, bool transA, bool transB) => MatchesReference<double>(level, transA, transB);

    /// <summary>All 13 cubes plus 40 seeded (m,n,k) triples per case (32 cases: ~1300 distinct triples overall),
    /// cycling alpha/beta, padding and threads 1/2.</summary>
    static void MatchesReference<T>(SimdLevel level, bool transA, bool transB) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!SimdCaps.IsSupported(level))
        {
            Assert.False(SimdCaps.IsSupported(level), $"{level} is not accelerated on this CPU; case skipped.");
            return;
        }
        var rng = new Random(HashCode.Combine((int)level, transA, transB, typeof(T).Name.Length));
        var shapes = Sizes.Select(s => (s, s, s)).ToList();
        for (int i = 0; i < 40; i++) shapes.Add((Pick(rng), Pick(rng), Pick(rng)));
        int run = 0;
        foreach (var (m, n, k) in shapes)
        {
            var (alpha, beta) = Scalings[run % Scalings.Length];
            int pad = run % 4 == 3 ? 0 : rng.Next(1, 5);
            int threads = 1 + run % 2;
            Check<T>(rng, level, transA, transB, m, n, k, alpha, beta, pad, threads);
            run++;
        }
    }

    static int Pick(Random rng) => Sizes[rng.Next(Sizes.Length)];

    /// <summary>Shapes big enough to be split over 2 threads, by columns (n ≥ m) and by rows, odd sizes; with the
    /// shared operand packed once and, for the widest, more stripes than threads.</summary>
    [Theory]
    [InlineData(33, 300, 65)]
    [InlineData(200, 129, 33)]
    [InlineData(129, 127, 300)]
    [InlineData(31, 1000, 17)]
    [InlineData(40, 1100, 70)]   // wide enough for 4 stripes (2 per thread), claimed dynamically
    [InlineData(1030, 50, 40)]   // likewise by rows
    public void ParallelSplitsMatchReference(int m, int n, int k)
    {
        var rng = new Random(7);
        foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported))
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    Check<float>(rng, level, ta, tb, m, n, k, 0.5, 2, 3, 2);
                    Check<double>(rng, level, ta, tb, m, n, k, 1, 0, 0, 2);
                }
    }

    /// <summary>Deeper than one K block (KC = 256) and wider than one N block, so the beta = 1 accumulation path runs.</summary>
    [Fact]
    public void SeveralCacheBlocksMatchReference()
    {
        var rng = new Random(11);
        foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported))
        {
            Check<float>(rng, level, false, true, 70, 600, 530, -1, 1, 1, 2);
            Check<double>(rng, level, true, false, 37, 300, 600, 0.5, 2, 0, 1);
        }
    }

    static void Check<T>(Random rng, SimdLevel level, bool transA, bool transB, int m, int n, int k,
        double alpha, double beta, int pad, int threads) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (a, lda) = GemmCheck.Matrix<T>(rng, transA ? k : m, transA ? m : k, pad);
        var (b, ldb) = GemmCheck.Matrix<T>(rng, transB ? n : k, transB ? k : n, pad);
        var (c0, ldc) = GemmCheck.Matrix<T>(rng, m, n, pad);
        T al = T.CreateChecked(alpha), be = T.CreateChecked(beta);
        T[] expected = (T[])c0.Clone(), actual = (T[])c0.Clone();
        ReferenceKernels.Gemm(transA, transB, m, n, k, al, a, lda, b, ldb, be, expected, ldc);
        Gemm.Run(transA, transB, m, n, k, al, a, lda, b, ldb, be, actual, ldc, threads, level);

        // Magnitude bound Σ|a||b| per element, from the reference on absolute values.
        GemmCheck.AssertWithinBound($"{typeof(T).Name} {level} tA={transA} tB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad} threads={threads}",
            transA, transB, m, n, k, alpha, beta, a, lda, b, ldb, c0, expected, actual, ldc);
    }


    [Fact]
    public void BetaZeroDoesNotReadC()
    {
        var rng = new Random(3);
        foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported))
            foreach (int size in new[] { 1, 17, 65 })
                foreach (int k in new[] { 0, size })
                {
                    float[] a = GemmCheck.Matrix<float>(rng, size, size, 0).Data, b = GemmCheck.Matrix<float>(rng, size, size, 0).Data;
                    var c = new float[size * size];
                    c.AsSpan().Fill(float.NaN);
                    Gemm.Run(false, false, size, size, k, 1f, a, size, b, size, 0f, c, size, 1, level);
                    Assert.All(c, x => Assert.True(float.IsFinite(x), $"{level} size {size} k {k}: NaN from C leaked"));
                    if (k == 0) Assert.All(c, x => Assert.Equal(0f, x));
                }
    }

    [Fact]
    public void KZeroScalesC()
    {
        double[] c = [1, 2, 3, 4, 5, 6];
        Gemm.Run<double>(false, true, 2, 3, 0, 1, [], 1, [], 1, 0.5, c, 3);
        Assert.Equal([0.5, 1, 1.5, 2, 2.5, 3], c);
        Gemm.Run<double>(false, false, 0, 3, 5, 1, [], 5, new double[15], 3, 0.5, c, 3); // m = 0: nothing
        Gemm.Run<double>(false, false, 2, 0, 5, 1, new double[10], 5, [], 1, 0.5, c, 1);  // n = 0: nothing
        Assert.Equal([0.5, 1, 1.5, 2, 2.5, 3], c);
    }

    /// <summary>A NaN planted in op(A)[i,p] makes row i of C NaN; an Inf makes its row ±Inf (B has no zeros, so no
    /// Inf·0), exactly where and with the sign the reference gives; other rows stay finite.</summary>
    [Fact]
    public void NonFiniteValuesInAPropagateToTheirRows()
    {
        const int m = 19, n = 37, k = 23;
        var rng = new Random(5);
        foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported))
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    float[] a = GemmCheck.Matrix<float>(rng, ta ? k : m, ta ? m : k, 0).Data;
                    float[] b = GemmCheck.Matrix<float>(rng, tb ? n : k, tb ? k : n, 0).Data;
                    for (int i = 0; i < b.Length; i++) b[i] = b[i] >= 0 ? b[i] + 0.5f : b[i] - 0.5f; // no zeros
                    int At(int i, int p) => ta ? p * m + i : i * k + p;
                    a[At(4, 9)] = float.NaN;
                    a[At(13, 0)] = float.PositiveInfinity;
                    a[At(18, 22)] = float.NegativeInfinity;
                    float[] expected = new float[m * n], actual = new float[m * n];
                    ReferenceKernels.Gemm(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, expected, n);
                    Gemm.Run(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, actual, n, 1, level);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                        {
                            float e = expected[i * n + j], x = actual[i * n + j];
                            string where = $"{level} tA={ta} tB={tb} C[{i},{j}]";
                            if (i is 4 or 13 or 18) Assert.False(float.IsFinite(e), $"reference {where} should not be finite");
                            else Assert.True(float.IsFinite(x), $"{where} = {x} should be finite");
                            Assert.True(float.IsNaN(e) == float.IsNaN(x), $"{where}: {x} vs reference {e}");
                            if (float.IsInfinity(e)) Assert.Equal(e, x);
                        }
                }
    }

    [Fact]
    public void IsDeterministicAndIndependentOfThreadCount()
    {
        var rng = new Random(9);
        foreach (var (m, n, k) in new[] { (300, 257, 513), (64, 1024, 256), (513, 100, 300) })
            foreach (SimdLevel level in new[] { SimdLevel.Vector512, SimdLevel.Vector256 }.Where(SimdCaps.IsSupported))
            {
                float[] a = GemmCheck.Matrix<float>(rng, m, k, 0).Data, b = GemmCheck.Matrix<float>(rng, n, k, 0).Data;
                float[] c1 = new float[m * n], c2a = new float[m * n], c2b = new float[m * n];
                Gemm.Run(false, true, m, n, k, 1f, a, k, b, k, 0f, c1, n, 1, level);
                Gemm.Run(false, true, m, n, k, 1f, a, k, b, k, 0f, c2a, n, 2, level);
                Gemm.Run(false, true, m, n, k, 1f, a, k, b, k, 0f, c2b, n, 2, level);
                Assert.Equal(c2a, c2b);  // same inputs, same thread count: bit-identical
                Assert.Equal(c1, c2a);   // and, by construction (K never split, stripes on the tile grid), any thread count
            }
    }

    [Fact]
    public void BadArgumentsNameTheArgument()
    {
        float[] a = new float[6], b = new float[12], c = new float[8];
        void Throws<TEx>(string param, Action act, string? inMessage = null) where TEx : ArgumentException
        {
            var ex = Assert.Throws<TEx>(act);
            Assert.Equal(param, ex.ParamName);
            if (inMessage is not null) Assert.Contains(inMessage, ex.Message);
        }
        // The valid call: [2,3]·[3,4] = [2,4].
        Gemm.Run(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4);
        Throws<ArgumentOutOfRangeException>("m", () => Gemm.Run(false, false, -1, 4, 3, 1f, a, 3, b, 4, 0f, c, 4));
        Throws<ArgumentOutOfRangeException>("n", () => Gemm.Run(false, false, 2, -4, 3, 1f, a, 3, b, 4, 0f, c, 4));
        Throws<ArgumentOutOfRangeException>("k", () => Gemm.Run(false, false, 2, 4, -3, 1f, a, 3, b, 4, 0f, c, 4));
        Throws<ArgumentOutOfRangeException>("lda", () => Gemm.Run(false, false, 2, 4, 3, 1f, a, 2, b, 4, 0f, c, 4), "at least 3");
        Throws<ArgumentOutOfRangeException>("lda", () => Gemm.Run(true, false, 2, 4, 3, 1f, a, 1, b, 4, 0f, c, 4), "at least 2");
        Throws<ArgumentOutOfRangeException>("ldb", () => Gemm.Run(false, false, 2, 4, 3, 1f, a, 3, b, 3, 0f, c, 4), "at least 4");
        Throws<ArgumentOutOfRangeException>("ldb", () => Gemm.Run(false, true, 2, 4, 3, 1f, a, 3, b, 2, 0f, c, 4), "at least 3");
        Throws<ArgumentOutOfRangeException>("ldc", () => Gemm.Run(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 3), "at least 4");
        Throws<ArgumentException>("a", () => Gemm.Run(false, false, 2, 4, 3, 1f, a.AsSpan(0, 5), 3, b, 4, 0f, c, 4), "at least 6");
        Throws<ArgumentException>("a", () => Gemm.Run(false, false, 2, 4, 3, 1f, a, 4, b, 4, 0f, c, 4), "at least 7");
        Throws<ArgumentException>("b", () => Gemm.Run(false, false, 2, 4, 3, 1f, a, 3, b.AsSpan(0, 11), 4, 0f, c, 4), "at least 12");
        Throws<ArgumentException>("c", () => Gemm.Run(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c.AsSpan(0, 7), 4), "at least 8");
        Throws<ArgumentOutOfRangeException>("threads", () => Gemm.Run(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4, 0));
        Throws<ArgumentException>("c", () => ReferenceKernels.Gemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c.AsSpan(0, 7), 4), "at least 8");
    }

    struct CountParts : IParallelWork
    {
        public int[] Hits;
        public bool Throw;
        public void Execute(int part)
        {
            Interlocked.Increment(ref Hits[part]);
            if (Throw && part == 3) throw new InvalidOperationException("part 3");
        }
    }

    struct Nested : IParallelWork
    {
        public int[] Hits;
        public void Execute(int part)
        {
            var inner = new CountParts { Hits = new int[4] };
            WorkerPool.Shared(2).Run(ref inner, 4); // the pool is busy: runs inline on this thread
            Interlocked.Add(ref Hits[part], inner.Hits.Sum());
        }
    }

    [Fact]
    public void WorkerPoolRunsEveryPartOnceAndRethrows()
    {
        WorkerPool pool = WorkerPool.Shared(2);
        for (int rep = 0; rep < 200; rep++)
        {
            var work = new CountParts { Hits = new int[1 + rep % 7] };
            pool.Run(ref work, work.Hits.Length);
            Assert.All(work.Hits, h => Assert.Equal(1, h));
        }
        var failing = new CountParts { Hits = new int[6], Throw = true };
        Assert.Equal("part 3", Assert.Throws<InvalidOperationException>(() => pool.Run(ref failing, 6)).Message);
        Assert.All(failing.Hits, h => Assert.Equal(1, h));
        var nested = new Nested { Hits = new int[3] };
        pool.Run(ref nested, 3);
        Assert.All(nested.Hits, h => Assert.Equal(4, h));
    }

    [Fact]
    public void WorkerPoolRunsEveryPartEvenInlineWhenAPartThrows()
    {
        // A one-thread pool always runs inline: the same contract as the team (every part, then the first exception).
        var failing = new CountParts { Hits = new int[6], Throw = true };
        Assert.Equal("part 3", Assert.Throws<InvalidOperationException>(() => WorkerPool.Shared(1).Run(ref failing, 6)).Message);
        Assert.All(failing.Hits, h => Assert.Equal(1, h));
    }
}
