// The OpenCL GEMM against the CPU device: every (m, n, k) over the test sizes, all four transposes, alpha/beta not 0/1.
using Recurrent.Tensors;

namespace Recurrent.Tests.OpenCl;

public class OpenClGemmTests
{
    public static TheoryData<DType, bool, bool> Cases()
    {
        var data = new TheoryData<DType, bool, bool>();
        foreach (DType dtype in Ocl.DTypes())
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(dtype, ta, tb);
        return data;
    }

    /// <summary>
    /// C = 0.75·op(A)·op(B) − 0.5·C for every m, n, k in {1, 3, 17, 33, 65, 129, 257}, against the CPU device, each entry
    /// within tol·(|α|·(|A||B|)ᵢⱼ + |β||Cᵢⱼ|): the forward error bound of a k-term dot product (tol 1e-5 float32, 1e-12 float64).
    /// </summary>
    [OpenClTheory]
    [MemberData(nameof(Cases))]
    public void MatchesCpuOnEverySize(DType dtype, bool transA, bool transB)
    {
        const double alpha = 0.75, beta = -0.5;
        int seed = 1;
        foreach (int m in Ocl.Sizes)
            foreach (int n in Ocl.Sizes)
                foreach (int k in Ocl.Sizes)
                {
                    int[] aShape = transA ? [k, m] : [m, k], bShape = transB ? [n, k] : [k, n];
                    var (a, da) = Ocl.Pair(seed++, dtype, aShape);
                    var (b, db) = Ocl.Pair(seed++, dtype, bShape);
                    var (c, dc) = Ocl.Pair(seed++, dtype, [m, n]);
                    var bound = Bound(a, transA, b, transB, c, alpha, beta);
                    Device.Cpu.Gemm(a, transA, b, transB, c, alpha, beta);
                    Ocl.Device.Gemm(da, transA, db, transB, dc, alpha, beta);
                    AssertWithin(c, dc, bound, Ocl.Tol(dtype), $"gemm {dtype} m={m} n={n} k={k} transA={transA} transB={transB}");
                }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void BetaZeroDoesNotReadC(DType dtype)
    {
        var (a, da) = Ocl.Pair(5, dtype, [17, 33]);
        var (b, db) = Ocl.Pair(6, dtype, [33, 65]);
        var c = Tensor.Zeros([17, 65], dtype, Device.Cpu);
        var dc = Ocl.OnDevice(c);
        Ocl.Device.Fill(dc, double.NaN);
        Device.Cpu.Gemm(a, false, b, false, c, 2, 0);
        Ocl.Device.Gemm(da, false, db, false, dc, 2, 0);
        Assert.DoesNotContain(Ocl.Values(dc), double.IsNaN);
        Ocl.Close(c, dc, Ocl.Tol(dtype) * 33, "beta = 0");
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void KZeroScalesC(DType dtype)
    {
        var (c, dc) = Ocl.Pair(7, dtype, [3, 5]);
        var da = Tensor.Zeros([3, 0], dtype, Ocl.Device);
        var db = Tensor.Zeros([0, 5], dtype, Ocl.Device);
        Ocl.Device.Gemm(da, false, db, false, dc, 1, 2);
        var expected = Ocl.Values(c).Select(v => 2 * v).ToArray();
        Assert.Equal(expected, Ocl.Values(dc), (x, y) => Math.Abs(x - y) <= 1e-6 * Math.Abs(x));
    }

    /// <summary>|α|·|op(A)|·|op(B)| + |β|·|C|, computed on the CPU in float64.</summary>
    private static double[] Bound(Tensor a, bool transA, Tensor b, bool transB, Tensor c, double alpha, double beta)
    {
        using var absA = Ocl.Cpu(Ocl.Values(a).Select(Math.Abs).ToArray(), DType.Float64, a.Shape.ToArray());
        using var absB = Ocl.Cpu(Ocl.Values(b).Select(Math.Abs).ToArray(), DType.Float64, b.Shape.ToArray());
        using var absC = Ocl.Cpu(Ocl.Values(c).Select(Math.Abs).ToArray(), DType.Float64, c.Shape.ToArray());
        Device.Cpu.Gemm(absA, transA, absB, transB, absC, Math.Abs(alpha), Math.Abs(beta));
        return Ocl.Values(absC);
    }

    private static void AssertWithin(Tensor expected, Tensor actual, double[] bound, double tol, string what)
    {
        double[] e = Ocl.Values(expected), a = Ocl.Values(actual);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= tol * bound[i] + 1e-300,
                $"{what}: element {i} is {a[i]:R}, expected {e[i]:R} (|diff| {Math.Abs(a[i] - e[i]):E3} > {tol * bound[i]:E3})");
    }
}
