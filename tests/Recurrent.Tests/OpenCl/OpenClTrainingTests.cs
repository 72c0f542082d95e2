// Training on OpenCL: buffers do not leak over a long loop, and an LSTM's kernel launches per time step stay within the issue's targets.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;
using Recurrent.Tensors.OpenCl;
using Xunit.Abstractions;

namespace Recurrent.Tests.OpenCl;

public class OpenClTrainingTests(ITestOutputHelper output)
{
    // A device object of its own: LiveBuffers and LaunchCount then count only this test's work.
    private static readonly Lazy<OpenClDevice> Private = new(() => new OpenClDevice(OpenClRuntime.Devices()[0]));

    /// <summary>200 Adam steps of a small LSTM regressor: after 10 warm-up steps the live cl_mem count never grows.</summary>
    [OpenClFact]
    public void LongTrainingLoopDoesNotGrowLiveBuffers()
    {
        var d = Private.Value;
        var rng = new Rng(3);
        var lstm = new Lstm(3, 16, new RecurrentOptions { NumLayers = 2 }, rng, d);
        var head = new Linear(16, 1, rng: rng, device: d);
        var loss = new MseLoss();
        var adam = new Adam(lstm.Parameters().Concat(head.Parameters()), lr: 1e-2);
        var x = Tensor.Zeros([12, 4, 3], DType.Float32, d);
        var y = Tensor.Zeros([12, 4, 1], DType.Float32, d);
        rng.FillUniform(x, -1, 1);
        rng.FillUniform(y, -1, 1);

        long warm = 0, peak = 0;
        double first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            adam.ZeroGrad();
            var h = lstm.Forward(x).Output;
            var l = loss.Forward(head.Forward(h), y);
            lstm.Backward(head.Backward(loss.Backward()));
            adam.Step();
            if (step == 0) first = l.Item();
            if (step == 199) last = l.Item();
            if (step == 9)
            {
                Settle();
                warm = d.LiveBuffers;
            }
            if (step > 9) peak = Math.Max(peak, d.LiveBuffers);
        }
        Settle();
        output.WriteLine($"live buffers after warm-up {warm}, peak after {peak}, at the end {d.LiveBuffers}; loss {first:F4} → {last:F4}");
        Assert.Equal(warm, d.LiveBuffers);
        Assert.True(peak <= warm, $"LiveBuffers grew from {warm} to {peak} during training");
        Assert.True(last < first, $"training on OpenCL should reduce the loss: {first} → {last}");
    }

    /// <summary>
    /// Kernel launches per time step of an LSTM layer (B 4, H 32), from the difference between T = 16 and T = 8 runs:
    /// forward (the h·W_hh GEMM and the fused cell) ≤ 2, backward (dh += dY, the fused cell backward, the dh·W_hh GEMM) ≤ 3.
    /// With variable lengths the same: the masks live inside the fused cell kernels (masked_cells.cl), and the outputs'
    /// and dY's masks are one launch per sequence, not per step.
    /// </summary>
    [OpenClFact]
    public void LstmLaunchesPerStepMeetTheTargets()
    {
        var d = Private.Value;
        var (fwd, bwd) = PerStep(d, lengths: false);
        var (fwdMasked, bwdMasked) = PerStep(d, lengths: true);
        output.WriteLine($"LSTM launches per time step: forward {fwd}, backward {bwd}; with variable lengths: forward {fwdMasked}, backward {bwdMasked}");
        Assert.True(fwd <= 2, $"forward issues {fwd} launches per step; the target is 2");
        Assert.True(bwd <= 3, $"backward issues {bwd} launches per step; the target is 3");
        Assert.True(fwdMasked <= 2, $"with lengths, forward issues {fwdMasked} launches per step; the target is 2");
        Assert.True(bwdMasked <= 3, $"with lengths, backward issues {bwdMasked} launches per step; the target is 3");
    }

    /// <summary>GRU and RNN keep the same budget, with and without variable lengths.</summary>
    [OpenClTheory]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.Rnn)]
    public void GruAndRnnLaunchesPerStepMeetTheTargets(CellKind cell)
    {
        var d = Private.Value;
        foreach (bool lengths in new[] { false, true })
        {
            var (fwd, bwd) = PerStep(d, lengths, cell);
            output.WriteLine($"{cell} launches per time step{(lengths ? " with variable lengths" : "")}: forward {fwd}, backward {bwd}");
            Assert.True(fwd <= 2, $"{cell}{(lengths ? " with lengths" : "")}: forward issues {fwd} launches per step; the target is 2");
            Assert.True(bwd <= 3, $"{cell}{(lengths ? " with lengths" : "")}: backward issues {bwd} launches per step; the target is 3");
        }
    }

    private static (double Forward, double Backward) PerStep(OpenClDevice d, bool lengths, CellKind cell = CellKind.Lstm)
    {
        RecurrentLayer lstm = cell switch
        {
            CellKind.Lstm => new Lstm(8, 32, new RecurrentOptions(), new Rng(1), d),
            CellKind.Gru => new Gru(8, 32, new RecurrentOptions(), new Rng(1), d),
            _ => new Rnn(8, 32, new RecurrentOptions(), new Rng(1), d),
        };
        (long F, long B) Count(int steps)
        {
            var x = Tensor.Zeros([steps, 4, 8], DType.Float32, d);
            int[]? lens = lengths ? [steps, steps - 1, steps / 2, 1] : null;
            var dy = Tensor.Zeros([steps, 4, 32], DType.Float32, d);
            lstm.Forward(x, lengths: lens); // warm-up: buffers allocated, kernels built
            lstm.Backward(dy);
            long start = d.LaunchCount;
            lstm.Forward(x, lengths: lens);
            long mid = d.LaunchCount;
            lstm.Backward(dy);
            return (mid - start, d.LaunchCount - mid);
        }
        var (f8, b8) = Count(8);
        var (f16, b16) = Count(16);
        return ((f16 - f8) / 8.0, (b16 - b8) / 8.0);
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
