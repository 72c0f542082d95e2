// The fused cell pointwise kernels alone (LSTM, GRU, RNN tanh), forward then backward, timed at one batch and hidden size.
using System.Diagnostics;
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Cli.Commands;

/// <summary>
/// One time step's pointwise work, without the GEMMs around it: LSTM <see cref="Device.LstmCellForward"/> +
/// <see cref="Device.LstmCellBackward"/> on gates [B, 4H]; GRU <see cref="Device.GruCellForward"/> +
/// <see cref="Device.GruCellBackward"/> on [B, 3H]; RNN tanh <see cref="Device.Activate"/> +
/// <see cref="Device.ActivateBackward"/> on [B, H]. What the GEMM benchmark does not show: whether the per-step
/// elementwise pass is memory-bound, and (on a GPU) what a launch costs.
/// <para>
/// FLOPs are nominal, per hidden unit and batch row, forward + backward, a sigmoid, tanh or exp counting as one:
/// LSTM 32, GRU 34, RNN 4 — comparable between devices and sizes, not between cell kinds. Bytes are the floats each
/// kernel must read and write once (LSTM 24, GRU 25, RNN 5 per unit), for a memory-bandwidth view.
/// </para>
/// The LSTM forward overwrites its gates with their activations, so repeated steps apply the activations again to values
/// already in range: the work per step is the same, and nothing drifts towards denormals or NaN.
/// </summary>
public sealed class CellBench : IDisposable
{
    private readonly Device _device;
    private readonly List<Tensor> _tensors = [];
    private readonly Action _step;

    public CellBench(CellKind cell, int batch, int hidden, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        (Cell, Batch, Hidden, _device) = (cell, batch, hidden, device);
        var rng = new Rng(1);
        switch (cell)
        {
            case CellKind.Lstm:
            {
                Tensor gates = New(rng, batch, 4 * hidden), cPrev = New(rng, batch, hidden), c = New(rng, batch, hidden), h = New(rng, batch, hidden);
                Tensor dh = New(rng, batch, hidden), dcNext = New(rng, batch, hidden), dGates = New(rng, batch, 4 * hidden), dcPrev = New(rng, batch, hidden);
                _step = () =>
                {
                    device.LstmCellForward(gates, cPrev, c, h);
                    device.LstmCellBackward(gates, cPrev, c, dh, dcNext, dGates, dcPrev);
                };
                break;
            }
            case CellKind.Gru:
            {
                Tensor xg = New(rng, batch, 3 * hidden), hg = New(rng, batch, 3 * hidden), bhh = New(rng, 3 * hidden), hPrev = New(rng, batch, hidden);
                Tensor saved = New(rng, batch, 4 * hidden), h = New(rng, batch, hidden), dh = New(rng, batch, hidden);
                Tensor dxg = New(rng, batch, 3 * hidden), dhg = New(rng, batch, 3 * hidden), dhPrev = New(rng, batch, hidden);
                _step = () =>
                {
                    device.GruCellForward(xg, hg, bhh, hPrev, saved, h);
                    device.GruCellBackward(saved, hPrev, dh, dxg, dhg, dhPrev);
                };
                break;
            }
            default:
            {
                Tensor pre = New(rng, batch, hidden), h = New(rng, batch, hidden), dh = New(rng, batch, hidden), dPre = New(rng, batch, hidden);
                _step = () =>
                {
                    device.Activate(Activation.Tanh, pre, h);
                    device.ActivateBackward(Activation.Tanh, h, dh, dPre);
                };
                break;
            }
        }
    }

    public CellKind Cell { get; }
    public int Batch { get; }
    public int Hidden { get; }

    /// <summary>Nominal FLOPs of one forward + backward (see the class summary).</summary>
    public double Flops => (double)Batch * Hidden * Cell switch { CellKind.Lstm => 32, CellKind.Gru => 34, _ => 4 };

    /// <summary>Bytes read and written once by one forward + backward.</summary>
    public double Bytes => 4.0 * Batch * Hidden * Cell switch { CellKind.Lstm => 24, CellKind.Gru => 25, _ => 5 };

    public readonly record struct Timing(double Microseconds, double Gflops, double GigabytesPerSecond, int Samples, int StepsPerSample);

    /// <summary>
    /// Median over samples of about a millisecond each (a sample repeats the step enough times that the clock's
    /// resolution does not matter), after a warm-up that brings the JIT to its final tier; about <paramref name="seconds"/> in all.
    /// </summary>
    public Timing Measure(double seconds = 1)
    {
        var warm = Stopwatch.StartNew();
        int warmSteps = 0;
        while (warmSteps < 50 || warm.Elapsed.TotalSeconds < Math.Min(0.5, seconds / 2))
        {
            _step();
            warmSteps++;
        }
        _device.Synchronize();
        double perStep = warm.Elapsed.TotalSeconds / warmSteps;
        int reps = (int)Math.Clamp(1e-3 / Math.Max(perStep, 1e-9), 1, 1_000_000);

        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || samples.Count < 5)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++) _step();
            _device.Synchronize();
            samples.Add(sw.Elapsed.TotalSeconds / reps);
        }
        samples.Sort();
        double median = samples[samples.Count / 2];
        return new Timing(median * 1e6, Flops / median / 1e9, Bytes / median / 1e9, samples.Count, reps);
    }

    private Tensor New(Rng rng, params int[] shape)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.Uniform(-1, 1);
        var t = Tensor.From<float>(values, shape, _device);
        _tensors.Add(t);
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _tensors) t.Dispose();
        _tensors.Clear();
    }
}
