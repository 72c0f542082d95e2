// The recurrent layers' instruments, computed on the host from the saved buffers only when switched on.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public abstract partial class RecurrentLayer
{
    /// <summary>Original time of processing step <paramref name="tau"/> of row b: the reverse direction reads each sequence backwards.</summary>
    private static int InputTime(bool reverse, int tau, int length) => reverse ? length - 1 - tau : tau;

    private static double[] HostValues(Tensor t) =>
        t.DType == DType.Float64 ? t.ToArray<double>() : Array.ConvertAll(t.ToArray<float>(), v => (double)v);

    private IReadOnlyList<GradientNormSeries> CollectGradientNorms(Workspace ws)
    {
        var series = new List<GradientNormSeries>();
        for (int l = 0; l < _layers.Length; l++)
            for (int d = 0; d < Directions; d++)
            {
                NormBuffers norms = ws.Layers[l].Directions[d].RecordedNorms!;
                bool reverse = _layers[l][d].Reverse;
                series.Add(new GradientNormSeries(l, d, BatchMean(HostValues(norms.H), ws, reverse),
                    norms.C is null ? null : BatchMean(HostValues(norms.C), ws, reverse)));
            }
        return series;
    }

    /// <summary>[T, B] per-row values in processing order → [T] means in input time over the rows inside their sequence.</summary>
    private static double[] BatchMean(double[] perRow, Workspace ws, bool reverse)
    {
        int steps = ws.Steps, batch = ws.Batch;
        var sum = new double[steps];
        var count = new int[steps];
        for (int tau = 0; tau < steps; tau++)
            for (int b = 0; b < batch; b++)
            {
                int len = ws.HostLengths[b];
                if (tau >= len) continue;
                int t = InputTime(reverse, tau, len);
                sum[t] += perRow[tau * batch + b];
                count[t]++;
            }
        for (int t = 0; t < steps; t++) sum[t] = count[t] == 0 ? double.NaN : sum[t] / count[t];
        return sum;
    }

    private void RecordForwardInstruments(Workspace ws)
    {
        int steps = ws.Steps, batch = ws.Batch;
        int? traced = Instruments.TraceBatchElement;
        if (traced is int tb && (tb < 0 || tb >= batch))
            throw new ArgumentOutOfRangeException(nameof(Instruments), tb, $"Instruments.TraceBatchElement must be in [0, {batch})");
        var stats = new List<GateStatistic>();
        var traces = new List<HiddenTrace>();
        string[] gateNames = Cell switch { CellKind.Lstm => ["i", "f", "g", "o"], CellKind.Gru => ["r", "z", "n"], _ => ["h"] };
        for (int l = 0; l < _layers.Length; l++)
            for (int d = 0; d < Directions; d++)
            {
                DirectionBuffers buf = ws.Layers[l].Directions[d];
                if (Instruments.RecordGateStatistics)
                {
                    // RNN: the activations are the states H[1..T]; LSTM and GRU: the saved gate activations.
                    Tensor source = Cell == CellKind.Rnn ? buf.H.All.Narrow(1, steps) : buf.Gates.All;
                    double[] values = HostValues(source);
                    int width = source.Dim(2), hidden = Cell == CellKind.Rnn ? OutputHiddenSize : HiddenSize;
                    for (int g = 0; g < gateNames.Length; g++)
                    {
                        var kind = GateKind(gateNames[g]);
                        double total = 0;
                        long saturated = 0, n = 0;
                        for (int tau = 0; tau < steps; tau++)
                            for (int b = 0; b < batch; b++)
                            {
                                if (tau >= ws.HostLengths[b]) continue;
                                int start = (tau * batch + b) * width + g * hidden;
                                for (int j = 0; j < hidden; j++)
                                {
                                    double v = values[start + j];
                                    total += v;
                                    if (IsSaturated(kind, v)) saturated++;
                                    n++;
                                }
                            }
                        stats.Add(new GateStatistic(l, d, gateNames[g], total / n, (double)saturated / n));
                    }
                }
                if (traced is int element)
                {
                    int len = ws.HostLengths[element];
                    bool reverse = _layers[l][d].Reverse;
                    var h = new double[len, OutputHiddenSize];
                    double[,]? c = buf.C is null ? null : new double[len, HiddenSize];
                    for (int tau = 0; tau < len; tau++)
                    {
                        int t = InputTime(reverse, tau, len);
                        double[] hRow = HostValues(buf.H.Step[tau + 1][element]);
                        for (int j = 0; j < hRow.Length; j++) h[t, j] = hRow[j];
                        if (c is not null)
                        {
                            double[] cRow = HostValues(buf.C!.Step[tau + 1][element]);
                            for (int j = 0; j < cRow.Length; j++) c[t, j] = cRow[j];
                        }
                    }
                    traces.Add(new HiddenTrace(l, d, element, h, c));
                }
            }
        Instruments.GateStatistics = stats;
        Instruments.Traces = traces;
    }

    private enum Saturation { Sigmoid, Tanh, Relu }

    private Saturation GateKind(string gate) => gate switch
    {
        "g" or "n" => Saturation.Tanh,
        "h" => Options.Nonlinearity == Nonlinearity.Relu ? Saturation.Relu : Saturation.Tanh,
        _ => Saturation.Sigmoid,
    };

    private static bool IsSaturated(Saturation kind, double v) => kind switch
    {
        Saturation.Sigmoid => v < 0.05 || v > 0.95,
        Saturation.Tanh => Math.Abs(v) > 0.9,
        _ => v == 0,
    };

    /// <summary>
    /// After a Backward whose gradients turned non-finite: the first step BPTT reached (it runs from T−1 down) whose gate
    /// gradients hold NaN or ±Inf, as (layer, direction, input time of row 0's sequence), or null. Reads the saved
    /// buffers, so it costs nothing until asked.
    /// </summary>
    public (int Layer, int Direction, int Step)? FindFirstNonFiniteStep()
    {
        if (_workspace is not { } ws) return null;
        // Backward visits the last layer first, and inside a layer every direction from its last step down.
        for (int l = _layers.Length - 1; l >= 0; l--)
            for (int d = 0; d < Directions; d++)
            {
                var buf = ws.Layers[l].Directions[d];
                for (int tau = ws.Steps - 1; tau >= 0; tau--)
                    if (!double.IsFinite(Device.L2Norm(buf.DGates.Step[tau])))
                        return (l, d, InputTime(_layers[l][d].Reverse, tau, ws.Steps));
            }
        return null;
    }
}
