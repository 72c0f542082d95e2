// SIMD element-wise kernels against the scalar reference: every length 0..300, float and double, every level.
using System.Numerics;
using Recurrent.Tensors.Cpu;
using Xunit;
using static Recurrent.Tests.Cpu.PointwiseTestSupport;

namespace Recurrent.Tests.Cpu;

public class PointwiseElementwiseTests
{
    public static TheoryData<SimdLevel> AllLevels => Levels;

    // Tolerances, relative, in units of ε (2^-23 float, 2^-52 double):
    //  - exact arithmetic (add, mul, fma, scale, relu, backward passes, copy): 0 — same operations, same rounding;
    //  - sigmoid: 4ε — vector exp (≤ 1 ulp) vs scalar exp, then 1 + e and 1/(…) round the same way;
    //  - tanh: 4ε — Cephes polynomial/rational (≈ 1.3e-7 float, 2.5e-16 double) vs the libm tanh.
    private const double Exact = 0, SigmoidTol = 4, TanhTol = 4;

    [Theory, MemberData(nameof(AllLevels))]
    public void Unary_kernels_match_reference(SimdLevel level)
    {
        if (Unsupported(level)) return;
        UnaryAll<float>(level);
        UnaryAll<double>(level);
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Binary_kernels_match_reference(SimdLevel level)
    {
        if (Unsupported(level)) return;
        BinaryAll<float>(level);
        BinaryAll<double>(level);
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Fill_writes_every_element_and_nothing_more(SimdLevel level)
    {
        if (Unsupported(level)) return;
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] y = WithSentinels<float>(n);
            CpuKernels.Fill(y.AsSpan(0, n), 2.5f, level);
            for (int i = 0; i < n; i++) Assert.Equal(2.5f, y[i]);
            AssertSentinels(y, n, "Fill");
        }
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Long_spans_at_every_alignment_match_reference(SimdLevel level)
    {
        // Spans of ≥ 1024 elements take the alignment peel; start them at every offset within a 64-byte line.
        if (Unsupported(level)) return;
        var rng = new Random(5);
        const int n = 3001;
        float[] src = Uniform<float>(rng, n + 16, -6, 6), other = Uniform<float>(rng, n + 16, -6, 6);
        for (int off = 0; off < 16; off++)
        {
            ReadOnlySpan<float> x = src.AsSpan(off, n), b = other.AsSpan(15 - off, n);
            var e = new float[n]; var a = new float[n + 16];
            ReferenceKernels.Tanh(x, e);
            CpuKernels.Tanh(x, a.AsSpan(off, n), level);
            AssertClose<float>(e, a.AsSpan(off, n), TanhTol * EpsD<float>(), $"Tanh offset {off} {level}");
            ReferenceKernels.Add(x, b, e);
            float[] inPlace = (float[])src.Clone();
            CpuKernels.Add(inPlace.AsSpan(off, n), b, inPlace.AsSpan(off, n), level);
            AssertClose<float>(e, inPlace.AsSpan(off, n), 0, $"Add in place offset {off} {level}");
        }
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Spans_past_the_streaming_threshold_match_reference(SimdLevel level)
    {
        // ≥ 1 MiB destinations take the non-temporal-store path at Vector512 (not in place); check it and its edges.
        if (Unsupported(level)) return;
        var rng = new Random(9);
        const int n = (1 << 18) + 77;                                     // 1 MiB of floats plus a ragged tail
        float[] a = Uniform<float>(rng, n + 4, -6, 6), b = Uniform<float>(rng, n + 4, -6, 6);
        for (int off = 0; off < 4; off++)
        {
            var e = new float[n]; float[] y = WithSentinels<float>(n + off);
            ReferenceKernels.Add<float>(a.AsSpan(off, n), b.AsSpan(0, n), e);
            CpuKernels.Add<float>(a.AsSpan(off, n), b.AsSpan(0, n), y.AsSpan(off, n), level);
            AssertClose<float>(e, y.AsSpan(off, n), 0, $"Add streamed offset {off} {level}");
            AssertSentinels(y, n + off, "Add streamed");
            ReferenceKernels.Relu<float>(a.AsSpan(off, n), e);
            CpuKernels.Relu<float>(a.AsSpan(off, n), y.AsSpan(off, n), level);
            AssertClose<float>(e, y.AsSpan(off, n), 0, $"Relu streamed offset {off} {level}");
        }
    }

    private static void UnaryAll<T>(SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(-1.7);
        Unary<T>(level, "Copy", ReferenceKernels.Copy, (x, y, l) => CpuKernels.Copy(x, y, l), Exact, -3, 3);
        Unary<T>(level, "Scale", (x, y) => ReferenceKernels.Scale(alpha, x, y), (x, y, l) => CpuKernels.Scale(alpha, x, y, l), Exact, -3, 3);
        Unary<T>(level, "Relu", ReferenceKernels.Relu, (x, y, l) => CpuKernels.Relu(x, y, l), Exact, -3, 3);
        Unary<T>(level, "Sigmoid", ReferenceKernels.Sigmoid, (x, y, l) => CpuKernels.Sigmoid(x, y, l), SigmoidTol, -8, 2.1);
        Unary<T>(level, "Tanh", ReferenceKernels.Tanh, (x, y, l) => CpuKernels.Tanh(x, y, l), TanhTol, -8, 2.1);
    }

    private static void BinaryAll<T>(SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(0.37);
        Binary<T>(level, "Add", ReferenceKernels.Add, (a, b, y, l) => CpuKernels.Add(a, b, y, l), Exact, false);
        Binary<T>(level, "Mul", ReferenceKernels.Mul, (a, b, y, l) => CpuKernels.Mul(a, b, y, l), Exact, false);
        Binary<T>(level, "SigmoidBackward", ReferenceKernels.SigmoidBackward, (a, b, y, l) => CpuKernels.SigmoidBackward(a, b, y, l), Exact, true);
        Binary<T>(level, "TanhBackward", ReferenceKernels.TanhBackward, (a, b, y, l) => CpuKernels.TanhBackward(a, b, y, l), Exact, true);
        Binary<T>(level, "ReluBackward", ReferenceKernels.ReluBackward, (a, b, y, l) => CpuKernels.ReluBackward(a, b, y, l), Exact, true);
        // Axpy is y += alpha·x: a is x, b is the incoming y, the destination is b itself (in place by nature).
        var rng = new Random(7);
        for (int n = 0; n <= MaxLength; n++)
            for (int planted = 0; planted < 2; planted++)
            {
                T[] x = Uniform<T>(rng, n, -3, 3), y0 = Uniform<T>(rng, n, -3, 3);
                if (planted == 1) { Plant(rng, x); Plant(rng, y0); }
                T[] expected = (T[])y0.Clone(), actual = WithSentinels<T>(n);
                y0.CopyTo(actual, 0);
                ReferenceKernels.Axpy(alpha, x, expected);
                CpuKernels.Axpy(alpha, x, actual.AsSpan(0, n), level);
                AssertClose<T>(expected, actual, Exact, $"Axpy<{typeof(T).Name}> {level}");
                AssertSentinels(actual, n, "Axpy");
            }
    }

    private static void Unary<T>(SimdLevel level, string name, PwUnary<T> reference, PwUnaryAt<T> simd, double tolEps, double lo, double hi)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(name.Length * 1000 + (int)level);
        double tol = tolEps * EpsD<T>();
        bool logData = name is "Sigmoid" or "Tanh";
        for (int n = 0; n <= MaxLength; n++)
            for (int planted = 0; planted < 2; planted++)
            {
                T[] x = logData ? LogMagnitude<T>(rng, n, lo, hi) : Uniform<T>(rng, n, lo, hi);
                if (planted == 1) Plant(rng, x);
                string what = $"{name}<{typeof(T).Name}> {level}{(planted == 1 ? " NaN/Inf planted" : "")}";

                var expected = new T[n];
                reference(x, expected);
                T[] actual = WithSentinels<T>(n);
                simd(x, actual.AsSpan(0, n), level);
                AssertClose<T>(expected, actual, tol, what);
                AssertSentinels(actual, n, what);

                T[] inPlace = (T[])x.Clone();                       // y aliasing x
                simd(inPlace, inPlace, level);
                AssertClose<T>(expected, inPlace, tol, what + " in place");
            }
    }

    /// <param name="backward">a is a forward output y: drawn from the activation's range so dy·y(1−y) etc. are typical.</param>
    private static void Binary<T>(SimdLevel level, string name, PwBinary<T> reference, PwBinaryAt<T> simd, double tolEps, bool backward)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(name.Length * 1000 + (int)level);
        double tol = tolEps * EpsD<T>();
        for (int n = 0; n <= MaxLength; n++)
            for (int planted = 0; planted < 2; planted++)
            {
                T[] a = backward ? Uniform<T>(rng, n, -1, 1) : Uniform<T>(rng, n, -5, 5), b = Uniform<T>(rng, n, -5, 5);
                if (planted == 1) { Plant(rng, a); Plant(rng, b); }
                string what = $"{name}<{typeof(T).Name}> {level}{(planted == 1 ? " NaN/Inf planted" : "")}";

                var expected = new T[n];
                reference(a, b, expected);
                T[] actual = WithSentinels<T>(n);
                simd(a, b, actual.AsSpan(0, n), level);
                AssertClose<T>(expected, actual, tol, what);
                AssertSentinels(actual, n, what);

                T[] ya = (T[])a.Clone();                            // y aliasing a
                simd(ya, b, ya, level);
                AssertClose<T>(expected, ya, tol, what + " in place (a)");
                T[] yb = (T[])b.Clone();                            // y aliasing b
                simd(a, yb, yb, level);
                AssertClose<T>(expected, yb, tol, what + " in place (b)");
            }
    }
}
