// The OpenCL row/column primitives, reductions and embedding gather/scatter-add against the CPU device.
using Recurrent.Tensors;

namespace Recurrent.Tests.OpenCl;

public class OpenClRowsTests
{
    private static readonly Device Cpu = Device.Cpu;

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void BiasAndSumsMatchCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        int seed = 0;
        foreach (int rows in Ocl.Sizes)
            foreach (int cols in Ocl.Sizes)
            {
                var (x, dx) = Ocl.Pair(seed++, dtype, [rows, cols]);
                var (bias, dbias) = Ocl.Pair(seed++, dtype, [cols]);
                Cpu.AddBias(x, bias);
                Ocl.Device.AddBias(dx, dbias);
                Ocl.Close(x, dx, tol, $"add_bias {rows}x{cols}");

                foreach (bool accumulate in new[] { false, true })
                {
                    var (r, dr) = Ocl.Pair(seed++, dtype, [cols]);
                    Cpu.SumOverRows(x, r, accumulate);
                    Ocl.Device.SumOverRows(dx, dr, accumulate);
                    Ocl.Close(r, dr, tol * rows, $"sum_over_rows {rows}x{cols} accumulate={accumulate}");
                    var (c, dc) = Ocl.Pair(seed++, dtype, [rows]);
                    Cpu.SumOverCols(x, c, accumulate);
                    Ocl.Device.SumOverCols(dx, dc, accumulate);
                    Ocl.Close(c, dc, tol * cols, $"sum_over_cols {rows}x{cols} accumulate={accumulate}");
                }

                var (s, ds) = Ocl.Pair(seed++, dtype, [rows, cols]);
                Cpu.Softmax(x, s);
                Ocl.Device.Softmax(dx, ds);
                Ocl.Close(s, ds, tol, $"softmax {rows}x{cols}");
                Cpu.Softmax(x, x); // in place
                Ocl.Device.Softmax(dx, dx);
                Ocl.Close(x, dx, tol, $"softmax in place {rows}x{cols}");

                var (norms, dnorms) = Ocl.Pair(seed++, dtype, [rows]);
                Cpu.RowL2Norms(s, norms);
                Ocl.Device.RowL2Norms(ds, dnorms);
                Ocl.Close(norms, dnorms, tol, $"row_l2_norms {rows}x{cols}");
            }
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void ReductionsMatchCpu(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        foreach (int n in Ocl.Sizes.Append(10_000))
        {
            var (x, dx) = Ocl.Pair(n, dtype, [n], -2, 3);
            Assert.True(Math.Abs(Cpu.Sum(x) - Ocl.Device.Sum(dx)) <= tol * n * 3, $"sum n={n}");
            Assert.Equal(Cpu.Max(x), Ocl.Device.Max(dx));
            double norm = Cpu.L2Norm(x);
            Assert.True(Math.Abs(norm - Ocl.Device.L2Norm(dx)) <= tol * norm * 4, $"l2 n={n}");
            // The result-tensor overloads leave it on the device, at an offset too.
            var result = Ocl.OnDevice(Tensor.Zeros([1], dtype, Device.Cpu), pad: 5);
            Ocl.Device.Max(dx, result);
            Assert.Equal(Cpu.Max(x), result.Item());
        }
        var withNaN = Ocl.OnDevice(Ocl.Cpu([1, double.NaN, 3], dtype, 3));
        Assert.True(double.IsNaN(Ocl.Device.Max(withNaN)));
        Assert.Equal(double.NegativeInfinity, Ocl.Device.Max(Tensor.Zeros([0], dtype, Ocl.Device)));
        Assert.Equal(0, Ocl.Device.Sum(Tensor.Zeros([0], dtype, Ocl.Device)));
    }

    [OpenClTheory]
    [MemberData(nameof(Ocl.DTypes), MemberType = typeof(Ocl))]
    public void EmbeddingMatchesCpuWithRepeatedIndices(DType dtype)
    {
        double tol = Ocl.Tol(dtype);
        int seed = 0;
        foreach (int vocab in new[] { 1, 3, 17, 65 })
            foreach (int dim in Ocl.Sizes)
                foreach (int n in new[] { 1, 33, 257 })
                {
                    // Far more lookups than rows: every row repeats, the case a racy scatter-add gets wrong.
                    var rng = new Random(seed);
                    var idx = Ocl.Cpu(Enumerable.Range(0, n).Select(_ => (double)rng.Next(vocab)).ToArray(), DType.Int32, n);
                    var didx = Ocl.OnDevice(idx);
                    var (table, dtable) = Ocl.Pair(seed++, dtype, [vocab, dim]);
                    var (y, dy) = Ocl.Pair(seed++, dtype, [n, dim]);
                    Cpu.EmbeddingGather(table, idx, y);
                    Ocl.Device.EmbeddingGather(dtable, didx, dy);
                    Ocl.Close(y, dy, 0, $"gather vocab={vocab} dim={dim} n={n}");
                    Cpu.EmbeddingScatterAdd(y, idx, table);
                    Ocl.Device.EmbeddingScatterAdd(dy, didx, dtable);
                    Ocl.Close(table, dtable, tol * n, $"scatter-add vocab={vocab} dim={dim} n={n}");
                }
    }
}
