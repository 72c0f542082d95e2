// A training step on OpenCL does not wait for the device: host waits counted over whole steps, and the pieces that avoid them.
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tasks.Data;
using Recurrent.Tasks.Models;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;
using Recurrent.Tensors.OpenCl;
using Xunit.Abstractions;

namespace Recurrent.Tests.OpenCl;

public class OpenClStallTests(ITestOutputHelper output)
{
    // A device object of its own: HostWaits and LaunchCount count only this class's work.
    private static readonly Lazy<OpenClDevice> Private = new(() => new OpenClDevice(OpenClRuntime.Devices()[0]));

    /// <summary>
    /// copy-delay's step (batch made on the host and uploaded, LSTM → Linear on every step, masked BCE-with-logits,
    /// backward, clip_grad_norm_, Adam, the loss added to a LossMeter): 0 host waits per step, 1 when the epoch's sum is read.
    /// The same steps on the CPU device give the same sum.
    /// </summary>
    [OpenClFact]
    public void ACopyDelayEpochWaitsForTheDeviceOnceWhenItsLossIsRead()
    {
        var d = Private.Value;
        const int steps = 20;
        var (cpuSum, _, _) = Epoch(new CpuDevice(1), steps);
        var (oclSum, waitsPerStep, launchesPerStep) = Epoch(d, steps);
        output.WriteLine($"LSTM copy-delay step (B 8, I 5, H 16, T 14, delay 4) on {d.Info.Name}: {waitsPerStep} host waits per step, " +
            $"{launchesPerStep:F1} launches per step; epoch loss sum CPU {cpuSum:R}, OpenCL {oclSum:R}");
        Assert.Equal(0, waitsPerStep);
        Assert.Equal(cpuSum, oclSum, 1e-5 * steps);
    }

    private static (double Sum, double WaitsPerStep, double LaunchesPerStep) Epoch(Device device, int steps)
    {
        var model = new SequenceModel("lstm", 5, 16, 5, everyStep: true, new Rng(5), device);
        var adam = new Adam(model.NamedParameters(), lr: 0.01);
        var loss = new BceWithLogitsLoss();
        using var meter = new LossMeter();
        using var clipper = new GradNormClipper(model.NamedParameters().Select(p => p.Parameter), 0.5);
        var task = new CopyDelayTask(4, 5, 8);
        var data = new Rng(6);
        void Step()
        {
            using var b = task.Generate(data).On(device);
            model.ZeroGrad();
            meter.Add(loss.Forward(model.Forward(b.Inputs), b.Targets, b.TargetMask));
            model.Backward(loss.Backward());
            clipper.Clip();
            adam.Step();
        }
        Step(); // warm-up: kernels built, buffers made
        device.Synchronize();
        long waits = (device as OpenClDevice)?.HostWaits ?? 0, launches = (device as OpenClDevice)?.LaunchCount ?? 0;
        for (int i = 1; i < steps; i++) Step();
        long waited = ((device as OpenClDevice)?.HostWaits ?? 0) - waits, launched = ((device as OpenClDevice)?.LaunchCount ?? 0) - launches;
        double sum = meter.Sum;
        if (device is OpenClDevice ocl) Assert.Equal(waits + waited + 1, ocl.HostWaits); // the read: exactly one wait
        return (sum, (double)waited / (steps - 1), (double)launched / (steps - 1));
    }

    /// <summary>A character model's step (int32 indices uploaded, Embedding, cross-entropy): no read-back of indices or targets.</summary>
    [OpenClFact]
    public void AnEmbeddingCrossEntropyStepDoesNotWait()
    {
        var d = Private.Value;
        var model = new CharModel("lstm", 11, 4, 8, new Rng(2), d);
        var adam = new Adam(model.NamedParameters(), lr: 0.01);
        var loss = new CrossEntropyLoss();
        using var meter = new LossMeter();
        var rng = new Rng(3);
        SequenceBatch Batch()
        {
            var x = new int[6 * 7];
            var y = new int[6 * 7];
            for (int i = 0; i < x.Length; i++) (x[i], y[i]) = (rng.NextInt(11), rng.NextInt(11));
            return new SequenceBatch(Tensor.From(x, 6, 7), Tensor.From(y, 6, 7)).On(d);
        }
        void Step()
        {
            using var b = Batch();
            model.ZeroGrad();
            meter.Add(loss.Forward(model.Forward(b.Inputs), b.Targets), b.Count);
            model.Backward(loss.Backward());
            adam.Step();
        }
        Step();
        d.Synchronize();
        long waits = d.HostWaits;
        for (int i = 0; i < 10; i++) Step();
        Assert.Equal(waits, d.HostWaits);
        Assert.InRange(meter.Sum / meter.Weight, 1.5, 3.5); // ln 11 ≈ 2.4 for an untrained model
        Assert.Equal(waits + 1, d.HostWaits);
    }

    /// <summary>GradNormClipper on OpenCL clips as GradClip.ClipGradNorm on the CPU: the same norm, the same scaled gradients.</summary>
    [OpenClFact]
    public void GradNormClipperMatchesClipGradNorm()
    {
        var d = Private.Value;
        foreach (double maxNorm in new[] { 0.1, 1e6 })
        {
            var (cpuGrads, oclGrads) = (new List<Tensor>(), new List<Tensor>());
            for (int i = 0; i < 3; i++)
            {
                var (c, o) = Ocl.Pair(40 + i, DType.Float32, [5 + i, 3]);
                cpuGrads.Add(c);
                oclGrads.Add(o.Clone());
            }
            Parameter[] Params(List<Tensor> grads) => grads.Select(g =>
            {
                var p = new Parameter(Tensor.ZerosLike(g));
                p.Grad.Device.Copy(g, p.Grad);
                return p;
            }).ToArray();
            var cpu = Params(cpuGrads);
            var ocl = Params(oclGrads);
            double norm = GradClip.ClipGradNorm(cpu, maxNorm);
            using var clipper = new GradNormClipper(ocl, maxNorm);
            long waits = d.HostWaits;
            clipper.Clip();
            Assert.Equal(waits, d.HostWaits);
            Assert.Equal(norm, clipper.LastTotalNorm, 1e-5 * norm);
            for (int i = 0; i < cpu.Length; i++) Ocl.Close(cpu[i].Grad, ocl[i].Grad, 1e-6, $"grad {i}, maxNorm {maxNorm}");
        }
    }

    /// <summary>Device.ClipByNorm: x·maxNorm/(norm + 1e-6) below 1, untouched above it or for a non-finite norm — on both devices.</summary>
    [OpenClTheory]
    [InlineData(10.0, 2.0)]            // clipped by 0.2
    [InlineData(1.0, 2.0)]             // coefficient ≥ 1: unchanged
    [InlineData(double.NaN, 2.0)]      // non-finite: unchanged (PyTorch would multiply by NaN)
    [InlineData(double.PositiveInfinity, 2.0)]
    public void ClipByNormScalesOnlyWhenTheNormIsFiniteAndAboveMax(double norm, double maxNorm)
    {
        float[] values = [1, -2, 3.5f, 0];
        double coef = double.IsFinite(norm) && maxNorm / (norm + 1e-6) < 1 ? maxNorm / (norm + 1e-6) : 1;
        foreach (Device device in new Device[] { new CpuDevice(1), Private.Value })
        {
            using var x = Tensor.From<float>(values, [4], device);
            using var total = Tensor.Scalar(norm, DType.Float32, device);
            device.ClipByNorm(total, maxNorm, x);
            float[] got = x.ToArray<float>();
            for (int i = 0; i < values.Length; i++) Assert.Equal(values[i] * coef, got[i], 1e-6);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.Cpu.ClipByNorm(Tensor.Scalar(1), -1, Tensor.Zeros(2)));
        Assert.Equal("totalNorm", Assert.Throws<ArgumentException>(() => Device.Cpu.ClipByNorm(Tensor.Zeros(2), 1, Tensor.Zeros(2))).ParamName);
    }

    [Fact]
    public void LossMeterOnTheCpuIsTheHostSumBitForBit()
    {
        using var meter = new LossMeter();
        double expected = 0;
        var values = new[] { 0.6931471805599453, 0.1, 3.25, 1e-7 };
        foreach (double v in values)
        {
            using var l = Tensor.Scalar(v);
            meter.Add(l, 7);
            expected += l.Item() * 7;
        }
        Assert.Equal(expected, meter.Sum);
        Assert.Equal(28, meter.Weight);
        meter.Reset(2.5);
        Assert.Equal(2.5, meter.Sum);
        Assert.Equal(0, meter.Count);
        Assert.True(double.IsNaN(meter.Mean));
    }

    [OpenClFact]
    public void LossMeterOnOpenClKeepsTheSumOnTheDeviceAndRefusesAnotherDevice()
    {
        var d = Private.Value;
        using var meter = new LossMeter();
        meter.Reset(1.5); // a resumed epoch's running sum
        using var a = Tensor.Scalar(0.25, DType.Float32, d);
        using var b = Tensor.Scalar(2, DType.Float32, d);
        long waits = d.HostWaits;
        meter.Add(a, 4);
        meter.Add(b);
        Assert.Equal(waits, d.HostWaits);
        Assert.Equal(1.5 + 1 + 2, meter.Sum);
        Assert.Equal(5, meter.Weight);
        var e = Assert.Throws<InvalidOperationException>(() => meter.Add(Tensor.Scalar(1)));
        Assert.Contains("one device", e.Message);
    }
}
