// Whole LSTM and RNN time steps (Device.LstmStep…, RnnStep…): the CPU's row-split jobs against the product and the cell called one by one.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class RecurrentStepTests
{
    /// <summary>A CPU tensor of <paramref name="shape"/> drawn uniformly from [−1, 1) by <paramref name="rng"/>.</summary>
    private static Tensor Uniform(Rng rng, int[] shape)
    {
        var t = Tensor.Zeros(shape);
        rng.FillUniform(t, -1, 1);
        return t;
    }

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
                Tensor Random(params int[] shape) => Uniform(rng, shape);
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

    /// <summary>
    /// The RNN step, tanh and relu, sizes below and above the split threshold, 1 and 2 threads: forward equals the one-thread
    /// one-call step bit for bit (so the split changes nothing) and the product followed by the accurate Activate within
    /// the cells' tanh error (≤ 3.4e−7 absolute; relu exactly); backward equals ActivateBackward + the product bit for bit.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(17, 33)]
    [InlineData(33, 127)]
    [InlineData(127, 65)]
    [InlineData(1000, 16)]
    public void RnnStepEqualsTheProductThenTheActivation(int batch, int hidden)
    {
        foreach (var f in new[] { Activation.Tanh, Activation.Relu })
            foreach (int threads in new[] { 1, 2 })
            {
                var (one, split, plain) = (new CpuDevice(1), new CpuDevice(threads), new CpuDevice(1));
                var rng = new Rng((ulong)(batch * 1000 + hidden));
                Tensor Random(params int[] shape) => Uniform(rng, shape);
                Tensor hPrev = Random(batch, hidden), w = Random(hidden, hidden), projected = Random(batch, hidden), dh = Random(batch, hidden);
                string at = $"{f} B={batch} H={hidden} threads={threads}";

                var (gOne, hOne) = (projected.Clone(), Tensor.Zeros(batch, hidden));
                one.RnnStepForward(f, hPrev, one.Prepare(w, transpose: true), gOne, hOne);
                var (gSplit, hSplit) = (projected.Clone(), Tensor.Zeros(batch, hidden));
                split.RnnStepForward(f, hPrev, split.Prepare(w, transpose: true), gSplit, hSplit);
                Assert.True(gOne.ToArray<float>().SequenceEqual(gSplit.ToArray<float>()), $"pre-activations differ, {at}");
                Assert.True(hOne.ToArray<float>().SequenceEqual(hSplit.ToArray<float>()), $"h differs, {at}");

                var (gPlain, hPlain) = (projected.Clone(), Tensor.Zeros(batch, hidden));
                plain.Gemm(hPrev, plain.Prepare(w, transpose: true), gPlain, beta: 1);
                plain.Activate(f, gPlain, hPlain);
                Assert.True(gPlain.ToArray<float>().SequenceEqual(gOne.ToArray<float>()), $"pre-activations differ from the product, {at}");
                float[] expected = hPlain.ToArray<float>(), actual = hOne.ToArray<float>();
                double tolerance = f == Activation.Relu ? 0 : 3.4e-7;
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"h[{i}] {actual[i]} against {expected[i]}, {at}");

                Tensor dG = Tensor.Zeros(batch, hidden), dhPrev = Random(batch, hidden);
                split.RnnStepBackward(f, hOne, dh, dG, split.Prepare(w, transpose: false), dhPrev);
                Tensor dGRef = Tensor.Zeros(batch, hidden), dhPrevRef = Tensor.Zeros(batch, hidden);
                plain.ActivateBackward(f, hOne, dh, dGRef);
                plain.Gemm(dGRef, plain.Prepare(w, transpose: false), dhPrevRef);
                Assert.True(dGRef.ToArray<float>().SequenceEqual(dG.ToArray<float>()), $"dGates differ, {at}");
                Assert.True(dhPrevRef.ToArray<float>().SequenceEqual(dhPrev.ToArray<float>()), $"dhPrev differs, {at}");
            }
    }

    [Fact]
    public void RnnStepNamesWrongShapes()
    {
        var dev = new CpuDevice(2);
        PreparedWeight forward = dev.Prepare(Tensor.Zeros(5, 5), transpose: true), backward = dev.Prepare(Tensor.Zeros(5, 5), transpose: false);
        var ex = Assert.Throws<ArgumentException>(() => dev.RnnStepForward(Activation.Tanh, Tensor.Zeros(3, 5), forward, Tensor.Zeros(3, 5), Tensor.Zeros(2, 5)));
        Assert.Equal("h", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => dev.RnnStepBackward(Activation.Tanh, Tensor.Zeros(3, 5), Tensor.Zeros(3, 4), Tensor.Zeros(3, 5), backward, Tensor.Zeros(3, 5)));
        Assert.Equal("dh", ex.ParamName);
    }

    /// <summary>
    /// The whole LSTM time loop in one call against the loop of one-call steps on a one-thread device: every activation,
    /// state and gradient the same bits, on 1 and 2 threads, odd and even T (the backward's final dh/dc land in the
    /// scratch buffers for odd T and are copied back), sizes below and above the split threshold.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 4)]
    [InlineData(17, 33, 5)]
    [InlineData(9, 127, 3)]
    [InlineData(64, 128, 6)]
    [InlineData(33, 65, 1)]
    public void WholeSequenceEqualsTheLoopOfSteps(int batch, int hidden, int steps)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            var (reference, fused) = (new CpuDevice(1), new CpuDevice(threads));
            var rng = new Rng((ulong)(batch * 100 + hidden * 10 + steps));
            Tensor Random(params int[] shape) => Uniform(rng, shape);
            Tensor w = Random(4 * hidden, hidden), projected = Random(steps, batch, 4 * hidden), h0 = Random(batch, hidden), c0 = Random(batch, hidden);
            Tensor dy = Random(steps, batch, hidden), dhN = Random(batch, hidden), dcN = Random(batch, hidden);
            string at = $"B={batch} H={hidden} T={steps} threads={threads}";

            // Forward: the reference loop of steps, then the one call.
            (Tensor Gates, Tensor H, Tensor C) Start()
            {
                var (g, h, c) = (projected.Clone(), Tensor.Zeros(steps + 1, batch, hidden), Tensor.Zeros(steps + 1, batch, hidden));
                reference.Copy(h0, h[0]);
                reference.Copy(c0, c[0]);
                return (g, h, c);
            }
            var (gR, hR, cR) = Start();
            PreparedWeight forwardR = reference.Prepare(w, transpose: true);
            for (int t = 0; t < steps; t++) reference.LstmStepForward(hR[t], forwardR, gR[t], cR[t], cR[t + 1], hR[t + 1]);
            var (gF, hF, cF) = Start();
            fused.LstmForwardSequence(fused.Prepare(w, transpose: true), gF, hF, cF);
            Same(gR, gF, $"gates, {at}");
            Same(hR, hF, $"h, {at}");
            Same(cR, cF, $"c, {at}");

            // Backward.
            PreparedWeight backwardR = reference.Prepare(w, transpose: false);
            Tensor dGR = Tensor.Zeros(steps, batch, 4 * hidden), dh = dhN.Clone(), dc = dcN.Clone(), dhPrev = Tensor.Zeros(batch, hidden), dcPrev = Tensor.Zeros(batch, hidden);
            for (int t = steps - 1; t >= 0; t--)
            {
                reference.Add(dh, dy[t], dh);
                reference.LstmStepBackward(gR[t], cR[t], cR[t + 1], dh, dc, dGR[t], dcPrev, null, backwardR, dhPrev);
                (dh, dhPrev) = (dhPrev, dh);
                (dc, dcPrev) = (dcPrev, dc);
            }
            Tensor dGF = Tensor.Zeros(steps, batch, 4 * hidden), dhF = dhN.Clone(), dcF = dcN.Clone();
            fused.LstmBackwardSequence(gF, cF, dy, fused.Prepare(w, transpose: false), dGF, dhF, dcF, Random(batch, hidden), Random(batch, hidden));
            Same(dGR, dGF, $"dGates, {at}");
            Same(dh, dhF, $"dh0, {at}");
            Same(dc, dcF, $"dc0, {at}");
        }

        static void Same(Tensor expected, Tensor actual, string what) =>
            Assert.True(expected.ToArray<float>().SequenceEqual(actual.ToArray<float>()), $"{what} differs");
    }

    /// <summary>The whole forward loop projecting each step's input itself (x, W_ih, bias) against the projection as one
    /// prepared product plus AddBias and then the loop of steps: the same bits, 1 and 2 threads, with and without bias,
    /// odd input widths (1, 5, 17, 128).</summary>
    [Theory]
    [InlineData(3, 7, 4, 5)]
    [InlineData(17, 33, 3, 1)]
    [InlineData(64, 128, 5, 128)]
    [InlineData(9, 127, 2, 17)]
    public void WholeSequenceWithItsInputProjectionEqualsProjectionThenSteps(int batch, int hidden, int steps, int inputs)
    {
        foreach (int threads in new[] { 1, 2 })
            foreach (bool withBias in new[] { false, true })
            {
                var (reference, fused) = (new CpuDevice(1), new CpuDevice(threads));
                var rng = new Rng((ulong)(batch * 1000 + hidden * 10 + inputs));
                Tensor Random(params int[] shape) => Uniform(rng, shape);
                Tensor x = Random(steps, batch, inputs), wIh = Random(4 * hidden, inputs), wHh = Random(4 * hidden, hidden), bias = Random(4 * hidden);
                string at = $"B={batch} H={hidden} T={steps} I={inputs} threads={threads} bias={withBias}";

                var (gR, hR, cR) = (Tensor.Zeros(steps, batch, 4 * hidden), Tensor.Zeros(steps + 1, batch, hidden), Tensor.Zeros(steps + 1, batch, hidden));
                Tensor flat = gR.Reshape(steps * batch, 4 * hidden);
                reference.Gemm(x.Reshape(steps * batch, inputs), reference.Prepare(wIh, transpose: true), flat);
                if (withBias) reference.AddBias(flat, bias);
                PreparedWeight hhR = reference.Prepare(wHh, transpose: true);
                for (int t = 0; t < steps; t++) reference.LstmStepForward(hR[t], hhR, gR[t], cR[t], cR[t + 1], hR[t + 1]);

                var (gF, hF, cF) = (Random(steps, batch, 4 * hidden), Tensor.Zeros(steps + 1, batch, hidden), Tensor.Zeros(steps + 1, batch, hidden)); // gates: output only
                fused.LstmForwardSequence(fused.Prepare(wHh, transpose: true), gF, hF, cF, x, fused.Prepare(wIh, transpose: true), withBias ? bias : null);
                Assert.True(gR.ToArray<float>().SequenceEqual(gF.ToArray<float>()), $"gates differ, {at}");
                Assert.True(hR.ToArray<float>().SequenceEqual(hF.ToArray<float>()), $"h differs, {at}");
                Assert.True(cR.ToArray<float>().SequenceEqual(cF.ToArray<float>()), $"c differs, {at}");
            }
    }

    [Fact]
    public void WholeSequenceNamesWrongShapes()
    {
        var dev = new CpuDevice(2);
        PreparedWeight forward = dev.Prepare(Tensor.Zeros(20, 5), transpose: true);
        var ex = Assert.Throws<ArgumentException>(() => dev.LstmForwardSequence(forward, Tensor.Zeros(4, 3, 20), Tensor.Zeros(4, 3, 5), Tensor.Zeros(5, 3, 5)));
        Assert.Equal("h", ex.ParamName);
        Assert.Contains("[5, 3, 5]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => dev.LstmForwardSequence(forward, Tensor.Zeros(4, 3, 20), Tensor.Zeros(5, 3, 5), Tensor.Zeros(4, 3, 5)));
        Assert.Equal("c", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => dev.LstmForwardSequence(dev.Prepare(Tensor.Zeros(20, 5), transpose: false), Tensor.Zeros(4, 3, 20),
            Tensor.Zeros(5, 3, 5), Tensor.Zeros(5, 3, 5)));
        Assert.Equal("weightHh", ex.ParamName); // prepared for backward: [20, 5], forward needs [5, 20]
        ex = Assert.Throws<ArgumentException>(() => dev.LstmForwardSequence(forward, Tensor.Zeros(4, 3, 20), Tensor.Zeros(5, 3, 5), Tensor.Zeros(5, 3, 5),
            Tensor.Zeros(4, 3, 7), dev.Prepare(Tensor.Zeros(20, 6), transpose: true)));
        Assert.Equal("weightIh", ex.ParamName); // x has 7 inputs, W_ih 6
        ex = Assert.Throws<ArgumentException>(() => dev.LstmForwardSequence(forward, Tensor.Zeros(4, 3, 20), Tensor.Zeros(5, 3, 5), Tensor.Zeros(5, 3, 5),
            Tensor.Zeros(4, 3, 6), dev.Prepare(Tensor.Zeros(20, 6), transpose: true), Tensor.Zeros(19)));
        Assert.Equal("bias", ex.ParamName);
    }
}
