// One full training step, as the speed targets define it: recurrent layer, Linear head on every step, MSE, backward, Adam.
using System.Diagnostics;
using Recurrent.Nn;
using Recurrent.Nn.Optim;
using Recurrent.Tensors;

namespace Recurrent.Cli.Commands;

/// <summary>
/// Batch-first input [B, T, I] → one-layer Rnn/Lstm/Gru (H) → Linear(H → I) on every step → MSE against a random
/// [B, T, I] target → backward → Adam. The same step benchmarks/pytorch/step.py times in PyTorch.
/// </summary>
public sealed class StepBench
{
    private readonly RecurrentLayer _layer;
    private readonly Linear _head;
    private readonly MseLoss _loss = new();
    private readonly Adam _adam;
    private readonly Tensor _x, _target;

    public StepBench(CellKind cell, int batch, int input, int hidden, int steps, Device device)
    {
        Cell = cell;
        (Batch, Input, Hidden, Steps) = (batch, input, hidden, steps);
        var rng = new Rng(1);
        var options = new RecurrentOptions { BatchFirst = true };
        _layer = cell switch
        {
            CellKind.Lstm => new Lstm(input, hidden, options, rng, device),
            CellKind.Gru => new Gru(input, hidden, options, rng, device),
            _ => new Rnn(input, hidden, options, rng, device),
        };
        _head = new Linear(hidden, input, true, rng, device);
        _adam = new Adam(_layer.NamedParameters().Concat(_head.NamedParameters().Select(p => ("fc." + p.Name, p.Parameter))), lr: 1e-3);
        _x = Tensor.Zeros([batch, steps, input], DType.Float32, device);
        _target = Tensor.Zeros([batch, steps, input], DType.Float32, device);
        rng.FillUniform(_x, -1, 1);
        rng.FillUniform(_target, -1, 1);
    }

    public CellKind Cell { get; }
    public int Batch { get; }
    public int Input { get; }
    public int Hidden { get; }
    public int Steps { get; }

    /// <summary>Model FLOPs of one training step: 3 × forward (forward, and backward's two products), head included,
    /// less dX = dG·W_ih, which neither we nor PyTorch compute for an input that is data.</summary>
    public double Flops
    {
        get
        {
            int gates = Cell switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };
            double recurrent = 2.0 * gates * Hidden * (Input + Hidden) * Batch * Steps;
            double inputGradient = 2.0 * gates * Hidden * Input * Batch * Steps;
            double head = 2.0 * Hidden * Input * Batch * Steps;
            return 3 * (recurrent + head) - inputGradient;
        }
    }

    /// <summary>One step; returns the loss tensor (not read back, so a device queue need not stall).</summary>
    public Tensor Step()
    {
        _adam.ZeroGrad();
        var result = _layer.Forward(_x);
        var prediction = _head.Forward(result.Output);
        var loss = _loss.Forward(prediction, _target);
        var dPrediction = _loss.Backward();
        var dOutput = _head.Backward(dPrediction);
        _layer.Backward(dOutput, inputGradient: false); // x is data, as in PyTorch's step (no requires_grad)
        _adam.Step();
        return loss;
    }

    /// <summary>
    /// MillisecondsPerStep: the median of steps each waited for (the loss read back). PipelinedMilliseconds: steps queued
    /// back to back with one wait at the end, as training runs them (LossMeter), per step; CpuMilliseconds: the process's
    /// CPU time per step over that run (every thread, PoCL's included). LaunchesPerStep: device commands per step, and
    /// HostWaitsPerStep: times a step waited for the device (0 is the design), both on OpenCL only.
    /// </summary>
    public readonly record struct Timing(double MillisecondsPerStep, double Gflops, long AllocatedBytesPerStep, int Steps, double Loss,
        double PipelinedMilliseconds, double CpuMilliseconds, double? LaunchesPerStep, double? HostWaitsPerStep);

    /// <summary>Median of timed batches after a warm-up that also brings the JIT to its final tier, then a pipelined run of as many steps.</summary>
    public Timing Measure(double seconds = 2)
    {
        var warm = Stopwatch.StartNew();
        int warmSteps = 0;
        // 30 steps and a second bring the JIT to its final tier; a step that takes seconds (a big size on PoCL) gets 3.
        while (!(warmSteps >= 30 && warm.Elapsed.TotalSeconds >= Math.Min(1, seconds / 2))
               && !(warmSteps >= 3 && warm.Elapsed.TotalSeconds >= Math.Max(2, seconds)))
        {
            Step().Item();
            warmSteps++;
        }
        long allocated0 = GC.GetAllocatedBytesForCurrentThread();
        Step().Item();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocated0;

        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        int count = 0;
        double loss = 0;
        while (total.Elapsed.TotalSeconds < seconds / 2 || samples.Count < 3)
        {
            var sw = Stopwatch.StartNew();
            loss = Step().Item();
            samples.Add(sw.Elapsed.TotalMilliseconds);
            count++;
        }
        samples.Sort();
        double median = samples[samples.Count / 2];

        // Pipelined: as many steps again, queued without reading anything back, one wait at the end.
        var device = _x.Device;
        var openCl = device as Recurrent.Tensors.OpenCl.OpenClDevice;
        long launches0 = openCl?.LaunchCount ?? 0, waits0 = openCl?.HostWaits ?? 0;
        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var pipelined = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) Step();
        device.Synchronize();
        double pipelinedMs = pipelined.Elapsed.TotalMilliseconds / count;
        double cpuMs = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / count;
        double? launches = openCl is null ? null : (double)(openCl.LaunchCount - launches0) / count;
        double? waits = openCl is null ? null : (double)(openCl.HostWaits - waits0 - 1) / count; // the final Synchronize is not a step's
        return new Timing(median, Flops / (median * 1e-3) / 1e9, allocated, count, loss, pipelinedMs, cpuMs, launches, waits);
    }
}
