// Whole LSTM time steps (Device.LstmStepForward/Backward): the CPU's row-split job against the product and the cell called one by one.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class LstmStepTests
{
    /// <summary>
    /// Sizes below and above the split threshold (batch·H·4H ≥ 2^18 multiply-adds), odd batches that leave uneven row blocks:
    /// every output of the one-call step, on 1 and 2 threads, equals the unfused sequence (Gemm + LstmCellForward, then
    /// LstmCellBackward + Gemm on a one-thread device) bit for bit.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(17, 33)]
    [InlineData(9, 127)]
    [InlineData(33, 65)]
    [InlineData(127, 33)]
    [InlineData(65, 129)]
    public void OneCallStepEqualsTheProductThenTheCell(int batch, int hidden)
    {
        foreach (int threads in new[] { 1, 2 })
            foreach (bool withTotal in new[] { false, true })
            {
                var reference = new CpuDevice(1);
                var fused = new CpuDevice(threads);
                var rng = new Rng((ulong)(batch * 1000 + hidden));
                Tensor Random(params int[] shape)
                {
                    var t = Tensor.Zeros(shape);
                    rng.FillUniform(t, -1, 1);
                    return t;
                }
                Tensor hPrev = Random(batch, hidden), w = Random(4 * hidden, hidden), projected = Random(batch, 4 * hidden), cPrev = Random(batch, hidden);
                Tensor dh = Random(batch, hidden), dcNext = Random(batch, hidden);

                var (gR, cR, hR) = (projected.Clone(), Tensor.Zeros(batch, hidden), Tensor.Zeros(batch, hidden));
                reference.Gemm(hPrev, reference.Prepare(w, transpose: true), gR, beta: 1);
                reference.LstmCellForward(gR, cPrev, cR, hR);
                var (gF, cF, hF) = (projected.Clone(), Tensor.Zeros(batch, hidden), Tensor.Zeros(batch, hidden));
                fused.LstmStepForward(hPrev, fused.Prepare(w, transpose: true), gF, cPrev, cF, hF);
                string at = $"B={batch} H={hidden} threads={threads}";
                Assert.True(gR.ToArray<float>().SequenceEqual(gF.ToArray<float>()), $"gates differ, {at}");
                Assert.True(cR.ToArray<float>().SequenceEqual(cF.ToArray<float>()), $"c differs, {at}");
                Assert.True(hR.ToArray<float>().SequenceEqual(hF.ToArray<float>()), $"h differs, {at}");

                Tensor dGR = Tensor.Zeros(batch, 4 * hidden), dcR = Tensor.Zeros(batch, hidden), dhR = Random(batch, hidden);
                Tensor? totalR = withTotal ? Tensor.Zeros(batch, hidden) : null;
                reference.LstmCellBackward(gR, cPrev, cR, dh, dcNext, dGR, dcR, totalR);
                reference.Gemm(dGR, reference.Prepare(w, transpose: false), dhR);
                Tensor dGF = Tensor.Zeros(batch, 4 * hidden), dcF = Tensor.Zeros(batch, hidden), dhF = Random(batch, hidden); // beta 0: old values must not leak
                Tensor? totalF = withTotal ? Tensor.Zeros(batch, hidden) : null;
                fused.LstmStepBackward(gF, cPrev, cF, dh, dcNext, dGF, dcF, totalF, fused.Prepare(w, transpose: false), dhF);
                Assert.True(dGR.ToArray<float>().SequenceEqual(dGF.ToArray<float>()), $"dGates differ, {at}");
                Assert.True(dcR.ToArray<float>().SequenceEqual(dcF.ToArray<float>()), $"dcPrev differs, {at}");
                Assert.True(dhR.ToArray<float>().SequenceEqual(dhF.ToArray<float>()), $"dhPrev differs, {at}");
                if (withTotal) Assert.True(totalR!.ToArray<float>().SequenceEqual(totalF!.ToArray<float>()), $"dcTotal differs, {at}");
            }
    }

    [Fact]
    public void WrongShapesAreNamed()
    {
        var dev = new CpuDevice(2);
        Tensor w = Tensor.Zeros(4 * 5, 5);
        PreparedWeight forward = dev.Prepare(w, transpose: true), backward = dev.Prepare(w, transpose: false);
        var ex = Assert.Throws<ArgumentException>(() =>
            dev.LstmStepForward(Tensor.Zeros(3, 4), forward, Tensor.Zeros(3, 20), Tensor.Zeros(3, 5), Tensor.Zeros(3, 5), Tensor.Zeros(3, 5)));
        Assert.Equal("hPrev", ex.ParamName);
        Assert.Contains("[m, 5]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() =>
            dev.LstmStepForward(Tensor.Zeros(3, 5), forward, Tensor.Zeros(3, 20), Tensor.Zeros(3, 5), Tensor.Zeros(3, 5), Tensor.Zeros(2, 5)));
        Assert.Equal("h", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() =>
            dev.LstmStepBackward(Tensor.Zeros(3, 20), Tensor.Zeros(3, 5), Tensor.Zeros(3, 5), Tensor.Zeros(3, 5), Tensor.Zeros(3, 5),
                Tensor.Zeros(3, 20), Tensor.Zeros(3, 5), null, backward, Tensor.Zeros(3, 4)));
        Assert.Equal("dhPrev", ex.ParamName);
        Assert.Contains("[3, 5]", ex.Message);
    }
}
