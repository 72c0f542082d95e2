// Two products sharing op(A) (Gemm.RunShared, Device.GemmSharedA): each C gets the bits of its own call, any thread count.
using System.Numerics;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class GemmSharedTests
{
    /// <summary>Odd shapes that reach partial tiles, several M and K blocks (m 2100 > MC, k 700 > KC), shapes wider than tall
    /// (two calls), k = 0 and empty products; 1–3 threads, alpha/beta with beta 0 over NaN, every level, float and double.</summary>
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        { 1, 1, 1, 1 }, { 7, 3, 5, 2 }, { 33, 17, 65, 31 }, { 129, 300, 32, 64 }, { 512, 640, 128, 128 },
        { 2100, 64, 40, 24 }, { 65, 700, 33, 7 }, { 20, 50, 40, 40 }, { 17, 0, 5, 9 }, { 0, 8, 3, 3 }, { 9, 8, 0, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EachProductGetsTheBitsOfItsOwnCall(int m, int k, int n1, int n2)
    {
        foreach (SimdLevel level in Enum.GetValues<SimdLevel>())
            foreach (int threads in new[] { 1, 2, 3 })
                foreach (var (alpha, beta) in new[] { (1.0, 0.0), (1.0, 1.0), (-0.5, 0.25) })
                    foreach (bool transA in new[] { true, false })
                    {
                        Check<float>(m, k, n1, n2, level, threads, alpha, beta, transA);
                        Check<double>(m, k, n1, n2, level, threads, alpha, beta, transA);
                    }
    }

    private static void Check<T>(int m, int k, int n1, int n2, SimdLevel level, int threads, double alpha, double beta, bool transA)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng((ulong)(m * 7919 + k * 31 + n1 * 7 + n2));
        T[] Random(int length) => Enumerable.Range(0, length).Select(_ => T.CreateChecked(rng.Uniform(-1, 1))).ToArray();
        T[] a = Random(m * k), b1 = Random(k * n1), b2 = Random(k * n2);
        // beta 0 must not read C: start from NaN there.
        T[] Start(int length) => beta == 0 ? Enumerable.Repeat(T.NaN, length).ToArray() : Random(length);
        T[] c1 = Start(m * n1), c2 = Start(m * n2);
        T[] e1 = (T[])c1.Clone(), e2 = (T[])c2.Clone();
        T al = T.CreateChecked(alpha), be = T.CreateChecked(beta);
        int lda = Math.Max(1, transA ? m : k);
        Gemm.Run(transA, false, m, n1, k, al, a, lda, b1, Math.Max(1, n1), be, e1, Math.Max(1, n1), threads, level);
        Gemm.Run(transA, false, m, n2, k, al, a, lda, b2, Math.Max(1, n2), be, e2, Math.Max(1, n2), threads, level);
        Gemm.RunShared(transA, m, k, al, a, lda, n1, b1, Math.Max(1, n1), c1, Math.Max(1, n1), n2, b2, Math.Max(1, n2), c2, Math.Max(1, n2),
            be, threads, level);
        string at = $"{typeof(T).Name} m={m} k={k} n1={n1} n2={n2} {level} threads={threads} alpha={alpha} beta={beta} transA={transA}";
        Assert.True(e1.SequenceEqual(c1), $"C1 differs from its own call, {at}");
        Assert.True(e2.SequenceEqual(c2), $"C2 differs from its own call, {at}");
    }

    /// <summary>Through the device: the weight-gradient shapes of the middle training step (the packed kernel, op(A) packed
    /// once), a 16-unit layer's (outer-product kernel: two calls) and a 5-input one (narrow kernel), against two Gemm calls.</summary>
    [Theory]
    [InlineData(512, 6400, 128, 128)]
    [InlineData(64, 20000, 1, 16)]
    [InlineData(128, 1280, 5, 32)]
    public void DeviceGivesTheBitsOfTwoGemms(int gates, int rows, int input, int hidden)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            var device = new CpuDevice(threads);
            Tensor Random(ulong seed, params int[] shape)
            {
                var t = Tensor.Zeros(shape, DType.Float32, device);
                new Rng(seed).FillUniform(t, -1, 1);
                return t;
            }
            Tensor dG = Random(1, rows, gates), x = Random(2, rows, input), h = Random(3, rows, hidden);
            Tensor dWih = Random(4, gates, input), dWhh = Random(5, gates, hidden);
            Tensor eIh = dWih.Clone(), eHh = dWhh.Clone();
            device.Gemm(dG, true, x, false, eIh, beta: 1);
            device.Gemm(dG, true, h, false, eHh, beta: 1);
            device.GemmSharedA(dG, true, x, dWih, h, dWhh, beta: 1);
            Assert.True(eIh.ToArray<float>().SequenceEqual(dWih.ToArray<float>()), $"dW_ih differs, threads={threads}");
            Assert.True(eHh.ToArray<float>().SequenceEqual(dWhh.ToArray<float>()), $"dW_hh differs, threads={threads}");
        }
    }

    [Fact]
    public void WrongShapesAreNamed()
    {
        var device = new CpuDevice(1);
        Tensor a = Tensor.Zeros(10, 4), b = Tensor.Zeros(10, 3), c = Tensor.Zeros(4, 3);
        var ex = Assert.Throws<ArgumentException>(() => device.GemmSharedA(a, true, b, c, Tensor.Zeros(9, 3), c));
        Assert.Equal("b2", ex.ParamName);
        Assert.Contains("[10, n]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => device.GemmSharedA(a, true, b, c, b, Tensor.Zeros(4, 2)));
        Assert.Equal("c2", ex.ParamName);
        Assert.Contains("[4, 3]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => device.GemmSharedA(a, true, b, Tensor.Zeros(3, 3), b, c));
        Assert.Equal("c1", ex.ParamName);
    }
}
