// The BPTT instruments of a recurrent layer: per-step gradient norms, gate statistics, hidden-state traces.
namespace Recurrent.Nn;

/// <summary>
/// Switches and results of a layer's instruments. Every switch is off by default and costs nothing while off.
/// Results describe the most recent Forward (gates, traces) and Backward (gradient norms), in the input's time order.
/// </summary>
public sealed class RecurrentInstruments
{
    /// <summary>During Backward, record ‖dL/dh_t‖ (and ‖dL/dc_t‖ for LSTM) per step, averaged over the batch.</summary>
    public bool RecordGradientNorms { get; set; }

    /// <summary>After Forward, the mean of each gate and the fraction saturated (see <see cref="GateStatistic"/>).</summary>
    public bool RecordGateStatistics { get; set; }

    /// <summary>After Forward, every h_t (and c_t) of this batch element; null records none.</summary>
    public int? TraceBatchElement { get; set; }

    public IReadOnlyList<GradientNormSeries> GradientNorms { get; internal set; } = [];
    public IReadOnlyList<GateStatistic> GateStatistics { get; internal set; } = [];
    public IReadOnlyList<HiddenTrace> Traces { get; internal set; } = [];
}

/// <param name="HiddenNorms">[T]: mean over the batch elements still inside their sequence at t of ‖dL/dh_t‖₂ (the total
/// gradient reaching h_t: from the output at t and from step t+1). NaN at a t no sequence reaches.</param>
/// <param name="CellNorms">[T]: the same for ‖dL/dc_t‖₂ (LSTM); null for other cells.</param>
public sealed record GradientNormSeries(int Layer, int Direction, double[] HiddenNorms, double[]? CellNorms);

/// <param name="Gate">LSTM: i, f, g, o; GRU: r, z, n; RNN: h (its output is the only nonlinearity).</param>
/// <param name="Mean">Mean activation over valid steps, batch elements and units.</param>
/// <param name="SaturatedFraction">Sigmoid gates: below 0.05 or above 0.95. Tanh gates: |x| above 0.9 — the same
/// thing, since tanh(x) = 2σ(2x) − 1. ReLU: exactly 0 (a dead unit passes no gradient).</param>
public sealed record GateStatistic(int Layer, int Direction, string Gate, double Mean, double SaturatedFraction);

/// <param name="H">[len, H_out]: h_t of the element for each of its valid steps, in input time order.</param>
/// <param name="C">[len, H] for LSTM, else null.</param>
public sealed record HiddenTrace(int Layer, int Direction, int BatchElement, double[,] H, double[,]? C);
