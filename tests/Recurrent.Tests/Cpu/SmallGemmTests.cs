// Tests of SmallGemm (pack op(B) once, then run) against ReferenceKernels.Gemm: every level, transB, alpha/beta, strides.
using System.Numerics;
using Recurrent.Tensors.Cpu;
using Xunit;

namespace Recurrent.Tests.Cpu;

/// <remarks>
/// Tolerance, as in GemmTests: SmallGemm and the reference are each sums of k products within
/// (k + 2)·u·(|alpha|·Σ_p |a_ip||b_pj| + |beta|·|c_ij|) of the exact value, u = 2^-24 (float) or 2^-53 (double), so
/// their difference is within twice that: relative to the magnitude bound, about 1.6e-5 for float at k = 129 and
/// 3e-14 for double. SmallGemm rounds the same way at every level (one fused multiply-add chain per element), which
/// <see cref="AllLevelsGiveTheSameBits"/> checks exactly.
/// Levels the CPU cannot run: assert !SimdCaps.IsSupported and return (xunit 2.9 has no dynamic skip).
/// Row padding (ld larger than the row) is NaN: it must never be read, and C's padding must come back untouched.
/// </remarks>
public class SmallGemmTests
{
    static readonly int[] Sizes = [1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 65, 127, 129];
    static readonly (double Alpha, double Beta)[] Scalings = [(1, 0), (0.5, 2), (-1, 1)];
    static readonly SimdLevel[] Levels = [SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512];

    public static IEnumerable<object[]> LevelsAndTransposes()
    {
        foreach (SimdLevel level in Levels)
            foreach (bool tb in new[] { false, true })
                yield return [level, tb];
    }

    [Theory]
    [MemberData(nameof(LevelsAndTransposes))]
    public void FloatMatchesReference(SimdLevel level, bool transB) => MatchesReference<float>(level, transB);

    [Theory]
    [MemberData(nameof(LevelsAndTransposes))]
    public void DoubleMatchesReference(SimdLevel level, bool transB) => MatchesReference<double>(level, transB);

    /// <summary>The 13 cubes plus 60 seeded (m,n,k) triples per case (16 cases, ~1100 triples), cycling alpha/beta and padding.</summary>
    static void MatchesReference<T>(SimdLevel level, bool transB) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!SimdCaps.IsSupported(level))
        {
            Assert.False(SimdCaps.IsSupported(level), $"{level} is not accelerated on this CPU; case skipped.");
            return;
        }
        var rng = new Random(HashCode.Combine((int)level, transB, typeof(T).Name.Length, 17));
        var shapes = Sizes.Select(s => (s, s, s)).ToList();
        for (int i = 0; i < 60; i++) shapes.Add((Pick(rng), Pick(rng), Pick(rng)));
        int run = 0;
        foreach (var (m, n, k) in shapes)
        {
            var (alpha, beta) = Scalings[run % Scalings.Length];
            int pad = run % 4 == 3 ? 0 : rng.Next(1, 5);
            Check<T>(rng, level, transB, m, n, k, alpha, beta, pad);
            run++;
        }
    }

    static int Pick(Random rng) => Sizes[rng.Next(Sizes.Length)];

    /// <summary>The recurrent step shapes: forward NT [B,H]·W[4H,H]ᵀ and backward NN [B,4H]·W[4H,H], accumulate and overwrite.</summary>
    [Theory]
    [InlineData(32, 32)]
    [InlineData(64, 64)]
    [InlineData(32, 128)]
    [InlineData(5, 100)]
    public void RecurrentShapesMatchReference(int batch, int hidden)
    {
        var rng = new Random(batch * 1000 + hidden);
        foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported))
        {
            Check<float>(rng, level, true, batch, 4 * hidden, hidden, 1, 1, 0);
            Check<float>(rng, level, false, batch, hidden, 4 * hidden, 1, 0, 0);
        }
    }

    /// <summary>Packs op(B) through <see cref="SmallGemm.PackB{T}"/> into a buffer with a NaN tail (only PackedLength
    /// may be read), runs, and compares with the reference element by element.</summary>
    static void Check<T>(Random rng, SimdLevel level, bool transB, int m, int n, int k, double alpha, double beta, int pad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (a, lda) = GemmCheck.Matrix<T>(rng, m, k, pad);
        var (b, ldb) = GemmCheck.Matrix<T>(rng, transB ? n : k, transB ? k : n, pad);
        var (c0, ldc) = GemmCheck.Matrix<T>(rng, m, n, pad);
        T al = T.CreateChecked(alpha), be = T.CreateChecked(beta);
        T[] expected = (T[])c0.Clone(), actual = (T[])c0.Clone();
        ReferenceKernels.Gemm(false, transB, m, n, k, al, a, lda, b, ldb, be, expected, ldc);
        var packed = new T[SmallGemm.PackedLength(k, n) + 8];
        packed.AsSpan().Fill(T.NaN);
        SmallGemm.PackB<T>(transB, k, n, b, ldb, packed);
        SmallGemm.Run(m, n, k, al, a, lda, packed, be, actual, ldc, level);

        GemmCheck.AssertWithinBound($"{typeof(T).Name} {level} tB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}",
            false, transB, m, n, k, alpha, beta, a, lda, b, ldb, c0, expected, actual, ldc);
    }


    /// <summary>One fused multiply-add chain per element at every level, so every level gives the same bits; and
    /// running twice gives the same bits (deterministic).</summary>
    [Fact]
    public void AllLevelsGiveTheSameBits()
    {
        var rng = new Random(23);
        foreach (var (m, n, k) in new[] { (32, 128, 32), (33, 129, 65), (7, 17, 3), (64, 32, 128) })
            foreach (var (alpha, beta) in Scalings)
            {
                var (a, lda) = GemmCheck.Matrix<float>(rng, m, k, 1);
                float[] b = GemmCheck.Matrix<float>(rng, n, k, 0).Data;
                float[] c0 = GemmCheck.Matrix<float>(rng, m, n, 0).Data;
                var packed = new float[SmallGemm.PackedLength(k, n)];
                SmallGemm.PackB<float>(true, k, n, b, k, packed);
                float[]? first = null;
                foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported).Concat([SimdCaps.Best]))
                {
                    float[] c = (float[])c0.Clone();
                    SmallGemm.Run(m, n, k, (float)alpha, a, lda, packed, (float)beta, c, n, level);
                    if (first is null) first = c;
                    else for (int i = 0; i < c.Length; i++)
                            Assert.True(BitConverter.SingleToInt32Bits(first[i]) == BitConverter.SingleToInt32Bits(c[i]),
                                $"{level} m={m} n={n} k={k} alpha={alpha} beta={beta}: element {i} = {c[i]:R}, Scalar gave {first[i]:R}");
                }
            }
    }

    [Fact]
    public void BetaZeroDoesNotReadC()
    {
        var rng = new Random(3);
        foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported))
            foreach (int size in new[] { 1, 17, 65 })
                foreach (int k in new[] { 0, size })
                {
                    float[] a = GemmCheck.Matrix<float>(rng, size, k, 0).Data, b = GemmCheck.Matrix<float>(rng, k, size, 0).Data;
                    var packed = new float[SmallGemm.PackedLength(k, size)];
                    SmallGemm.PackB<float>(false, k, size, b, size, packed);
                    var c = new float[size * size];
                    c.AsSpan().Fill(float.NaN);
                    SmallGemm.Run(size, size, k, 1f, a, Math.Max(1, k), packed, 0f, c, size, level);
                    Assert.All(c, x => Assert.True(float.IsFinite(x), $"{level} size {size} k {k}: NaN from C leaked"));
                    if (k == 0) Assert.All(c, x => Assert.Equal(0f, x));
                }
    }

    [Fact]
    public void KZeroScalesCAndEmptyShapesDoNothing()
    {
        double[] c = [1, 2, 3, 4, 5, 6];
        SmallGemm.Run<double>(2, 3, 0, 1, [], 1, [], 0.5, c, 3);
        Assert.Equal([0.5, 1, 1.5, 2, 2.5, 3], c);
        SmallGemm.Run<double>(0, 3, 5, 1, [], 5, new double[SmallGemm.PackedLength(5, 3)], 0.5, c, 3); // m = 0
        SmallGemm.Run<double>(2, 0, 5, 1, new double[10], 5, [], 0.5, c, 1);                           // n = 0
        Assert.Equal([0.5, 1, 1.5, 2, 2.5, 3], c);
        Assert.Equal(0, SmallGemm.PackedLength(0, 100));
        Assert.Equal(7 * 16, SmallGemm.PackedLength(7, 1));
        Assert.Equal(3 * 144, SmallGemm.PackedLength(3, 129));
    }

    /// <summary>NaN in A[4,9] makes row 4 NaN; +Inf / −Inf in A make their rows ±Inf (B has no zeros); an Inf in B
    /// makes its column infinite or NaN as the reference says; other elements stay finite. Every level, both types of B.</summary>
    [Fact]
    public void NonFiniteValuesPropagate()
    {
        const int m = 19, n = 37, k = 23;
        var rng = new Random(5);
        foreach (SimdLevel level in Levels.Where(SimdCaps.IsSupported))
            foreach (bool tb in new[] { false, true })
            {
                float[] a = GemmCheck.Matrix<float>(rng, m, k, 0).Data;
                float[] b = GemmCheck.Matrix<float>(rng, tb ? n : k, tb ? k : n, 0).Data;
                for (int i = 0; i < b.Length; i++) b[i] = b[i] >= 0 ? b[i] + 0.5f : b[i] - 0.5f; // no zeros
                a[4 * k + 9] = float.NaN;
                a[13 * k + 0] = float.PositiveInfinity;
                a[18 * k + 22] = float.NegativeInfinity;
                b[tb ? 30 * k + 5 : 5 * n + 30] = float.PositiveInfinity; // op(B)[5, 30]: column 30
                float[] expected = new float[m * n], actual = new float[m * n];
                ReferenceKernels.Gemm(false, tb, m, n, k, 1f, a, k, b, tb ? k : n, 0f, expected, n);
                var packed = new float[SmallGemm.PackedLength(k, n)];
                SmallGemm.PackB<float>(tb, k, n, b, tb ? k : n, packed);
                SmallGemm.Run(m, n, k, 1f, a, k, packed, 0f, actual, n, level);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        float e = expected[i * n + j], x = actual[i * n + j];
                        string where = $"{level} tB={tb} C[{i},{j}]";
                        if (i is 4 or 13 or 18 || j == 30) Assert.False(float.IsFinite(e), $"reference {where} should not be finite");
                        else Assert.True(float.IsFinite(x), $"{where} = {x} should be finite");
                        Assert.True(float.IsNaN(e) == float.IsNaN(x), $"{where}: {x} vs reference {e}");
                        if (float.IsInfinity(e)) Assert.Equal(e, x);
                    }
            }
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        float[] a = new float[6], b = new float[6], c = new float[4], packed = new float[SmallGemm.PackedLength(3, 2)];
        // Run: A [2,3], op(B) [3,2], C [2,2].
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.Run(-1, 2, 3, 1f, a, 3, packed, 0f, c, 2)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.Run(2, -2, 3, 1f, a, 3, packed, 0f, c, 2)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.Run(2, 2, -3, 1f, a, 3, packed, 0f, c, 2)).ParamName);
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.Run(2, 2, 3, 1f, a, 2, packed, 0f, c, 2)).ParamName);
        Assert.Equal("ldc", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.Run(2, 2, 3, 1f, a, 3, packed, 0f, c, 1)).ParamName);
        var ea = Assert.Throws<ArgumentException>(() => SmallGemm.Run(2, 2, 3, 1f, a.AsSpan(0, 5), 3, packed, 0f, c, 2));
        Assert.Equal("a", ea.ParamName);
        Assert.Contains("needs at least 6", ea.Message);
        var ep = Assert.Throws<ArgumentException>(() => SmallGemm.Run(2, 2, 3, 1f, a, 3, packed.AsSpan(1), 0f, c, 2));
        Assert.Equal("packedB", ep.ParamName);
        Assert.Contains("packs to 48", ep.Message);
        var ec = Assert.Throws<ArgumentException>(() => SmallGemm.Run(2, 2, 3, 1f, a, 3, packed, 0f, c.AsSpan(0, 3), 2));
        Assert.Equal("c", ec.ParamName);
        Assert.Contains("needs at least 4", ec.Message);
        Assert.Throws<NotSupportedException>(() => SmallGemm.Run<Half>(1, 1, 1, Half.One, new Half[1], 1, new Half[16], Half.Zero, new Half[1], 1));

        // PackB: op(B) [3,2] from B [3,2] (or [2,3] transposed).
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.PackB<float>(false, -1, 2, b, 2, packed)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.PackB<float>(false, 3, -1, b, 2, packed)).ParamName);
        Assert.Equal("ldb", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.PackB<float>(false, 3, 2, b, 1, packed)).ParamName);
        Assert.Equal("ldb", Assert.Throws<ArgumentOutOfRangeException>(() => SmallGemm.PackB<float>(true, 3, 2, b, 2, packed)).ParamName);
        var eb = Assert.Throws<ArgumentException>(() => SmallGemm.PackB<float>(true, 3, 2, b.AsSpan(0, 5), 3, packed));
        Assert.Equal("b", eb.ParamName);
        Assert.Contains("[n,k] = [2,3]", eb.Message);
        var epk = Assert.Throws<ArgumentException>(() => SmallGemm.PackB<float>(false, 3, 2, b, 2, packed.AsSpan(0, 47)));
        Assert.Equal("packed", epk.ParamName);
        Assert.Contains("packs to 48", epk.Message);
    }

    /// <summary>Packing writes exactly PackedLength elements (panels of 64, last one rounded to 16, zero-filled).</summary>
    [Fact]
    public void PackWritesTheDocumentedLayout()
    {
        const int k = 3, n = 70; // one full panel of 64, then 6 columns rounded to 16
        var b = new double[k * n];
        for (int i = 0; i < b.Length; i++) b[i] = i + 1;
        var packed = new double[SmallGemm.PackedLength(k, n) + 4];
        packed.AsSpan().Fill(double.NaN);
        SmallGemm.PackB<double>(false, k, n, b, n, packed);
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < 64; j++) Assert.Equal(b[p * n + j], packed[p * 64 + j]);
            for (int j = 0; j < 16; j++) Assert.Equal(j < 6 ? b[p * n + 64 + j] : 0, packed[64 * k + p * 16 + j]);
        }
        Assert.True(double.IsNaN(packed[SmallGemm.PackedLength(k, n)]));
    }

    /// <summary>No allocation per call (the layer calls this T times per sequence).</summary>
    [Fact]
    public void RunDoesNotAllocate()
    {
        var rng = new Random(9);
        float[] a = GemmCheck.Matrix<float>(rng, 33, 32, 0).Data, w = GemmCheck.Matrix<float>(rng, 128, 32, 0).Data, c = new float[33 * 128];
        var packed = new float[SmallGemm.PackedLength(32, 128)];
        SmallGemm.PackB<float>(true, 32, 128, w, 32, packed);
        foreach (SimdLevel level in Levels) SmallGemm.Run(33, 127, 32, 1f, a, 32, packed, 1f, c, 128, level); // JIT first
        // Steady state is the claim: in the full (parallel, loaded) suite the JIT's tier-up of Run can still be under way
        // in the first measured window and allocate on this thread, so one clean attempt in three.
        long allocated = long.MaxValue;
        for (int attempt = 0; attempt < 3 && allocated != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (SimdLevel level in Levels)
                for (int r = 0; r < 10; r++) SmallGemm.Run(33, 127, 32, 1f, a, 32, packed, 1f, c, 128, level);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, allocated);
    }
}
