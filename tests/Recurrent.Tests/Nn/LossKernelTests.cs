// The SIMD loss kernels against the scalar references, at every SIMD level this CPU has, over odd sizes, masks and ignored rows.
using System.Numerics;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;
using static Recurrent.Tests.Cpu.PointwiseTestSupport;

namespace Recurrent.Tests.Nn;

public class LossKernelTests
{
    private static readonly int[] Sizes = [0, 1, 3, 7, 17, 33, 65, 127, 300];
    private const int Rows = 3;

    public static TheoryData<SimdLevel> AllLevels => Levels;

    [Theory, MemberData(nameof(AllLevels))]
    public void ElementwiseLossesMatchReference(SimdLevel level)
    {
        if (Unsupported(level)) return;
        foreach (var kind in Enum.GetValues<ElementwiseLossKind>())
        {
            Elementwise<float>(kind, level, 2e-5, 5e-6);
            Elementwise<double>(kind, level, 1e-13, 1e-13);
        }
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void CrossEntropyMatchesReference(SimdLevel level)
    {
        if (Unsupported(level)) return;
        CrossEntropy<float>(level, 2e-5, 5e-6);
        CrossEntropy<double>(level, 1e-13, 1e-13);
    }

    private static void Elementwise<T>(ElementwiseLossKind kind, SimdLevel level, double lossTol, double gradTol) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(11 + (int)kind);
        foreach (int cols in Sizes)
        {
            int n = Rows * cols;
            T[] x = kind switch
            {
                ElementwiseLossKind.Mse => Uniform<T>(rng, n, -3, 3),
                ElementwiseLossKind.Bce => Uniform<T>(rng, n, 0, 1),
                _ => LogMagnitude<T>(rng, n, -3, 1.5),        // logits up to ±30: both tails of log1p(e^−|x|)
            };
            T[] y = kind == ElementwiseLossKind.Mse ? Uniform<T>(rng, n, -3, 3) : Uniform<T>(rng, n, 0, 1);
            if (kind == ElementwiseLossKind.Bce && n > 2) { x[0] = T.Zero; x[n - 1] = T.One; }  // the −100 clamps
            foreach (T[] mask in new[] { Array.Empty<T>(), new[] { T.One, T.Zero, T.CreateTruncating(2.5) } })
                foreach (var reduction in Enum.GetValues<Reduction>())
                {
                    string what = $"{kind} {typeof(T).Name} cols={cols} mask={mask.Length > 0} {reduction} {level}";
                    T expected = ReferenceKernels.ElementwiseLoss<T>(kind, x, y, mask, Rows, cols, reduction);
                    T actual = CpuKernels.ElementwiseLoss<T>(kind, x, y, mask, Rows, cols, reduction, level);
                    AssertNear(expected, actual, lossTol, what + " loss");

                    T g = T.CreateTruncating(0.75);
                    var dRef = new T[n];
                    var dAct = new T[n];
                    ReferenceKernels.ElementwiseLossBackward<T>(kind, x, y, mask, Rows, cols, reduction, g, dRef);
                    CpuKernels.ElementwiseLossBackward<T>(kind, x, y, mask, Rows, cols, reduction, g, dAct, level);
                    for (int i = 0; i < n; i++) AssertNear(dRef[i], dAct[i], gradTol, $"{what} d[{i}]");
                }
        }
    }

    private static void CrossEntropy<T>(SimdLevel level, double lossTol, double gradTol) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(5);
        foreach (int cols in Sizes)
        {
            if (cols == 0) continue; // no class to point at; covered by the argument tests
            const int rows = 7;
            T[] x = Uniform<T>(rng, rows * cols, -6, 6);
            int[] t = new int[rows];
            for (int r = 0; r < rows; r++) t[r] = r % 3 == 1 ? -100 : rng.Next(cols);
            foreach (T[] mask in new[] { Array.Empty<T>(), Uniform<T>(rng, rows, 0, 2) })
            {
                if (mask.Length > 0) mask[2] = T.Zero;
                foreach (var reduction in Enum.GetValues<Reduction>())
                {
                    string what = $"ce {typeof(T).Name} cols={cols} mask={mask.Length > 0} {reduction} {level}";
                    T expected = ReferenceKernels.CrossEntropyLoss<T>(x, t, mask, rows, cols, reduction);
                    T actual = CpuKernels.CrossEntropyLoss<T>(x, t, mask, rows, cols, reduction, -100, level);
                    AssertNear(expected, actual, lossTol, what + " loss");

                    T g = T.CreateTruncating(1.25);
                    var dRef = new T[x.Length];
                    var dAct = new T[x.Length];
                    ReferenceKernels.CrossEntropyLossBackward<T>(x, t, mask, rows, cols, reduction, -100, g, dRef);
                    CpuKernels.CrossEntropyLossBackward<T>(x, t, mask, rows, cols, reduction, -100, g, dAct, level);
                    for (int i = 0; i < x.Length; i++) AssertNear(dRef[i], dAct[i], gradTol, $"{what} d[{i}]");

                    // In place: dLogits = logits.
                    T[] inPlace = (T[])x.Clone();
                    CpuKernels.CrossEntropyLossBackward<T>(inPlace, t, mask, rows, cols, reduction, -100, g, inPlace, level);
                    for (int i = 0; i < x.Length; i++) AssertNear(dRef[i], inPlace[i], gradTol, $"{what} in place d[{i}]");
                }
            }
        }
    }

    [Fact]
    public void CrossEntropyRejectsAnOutOfRangeIndexNamingItsRow()
    {
        var x = new double[4 * 3];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CpuKernels.CrossEntropyLoss<double>(x, [0, 2, 3, -100], default, 4, 3, Reduction.Mean));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("targets[2] = 3", e.Message);
    }

    /// <summary>|a − e| ≤ tol · max(|e|, 1); NaN only where NaN is expected.</summary>
    private static void AssertNear<T>(T expected, T actual, double tol, string what) where T : IBinaryFloatingPointIeee754<T>
    {
        double e = double.CreateTruncating(expected), a = double.CreateTruncating(actual);
        if (double.IsNaN(e) || double.IsInfinity(e)) { Assert.True(e.Equals(a), $"{what}: expected {e}, got {a}"); return; }
        Assert.True(Math.Abs(a - e) <= tol * Math.Max(Math.Abs(e), 1), $"{what}: expected {e:R}, got {a:R}");
    }
}
