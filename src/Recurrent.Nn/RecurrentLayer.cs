// Rnn, Lstm and Gru: stacked, optionally bidirectional recurrent layers with backprop-through-time written out.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>
/// A multi-layer recurrent network in PyTorch's shapes and names. Forward keeps every step's gates and
/// states; Backward walks the steps in reverse and accumulates into the parameter gradients.
/// The structure follows the performance model: the input projection of all steps is one GEMM, only the
/// recurrent product h·W_hhᵀ stays in the time loop, and dW_ih, dW_hh and dX are one GEMM each after it.
/// </summary>
public abstract class RecurrentLayer : Module
{
    private readonly Direction[][] _layers; // [layer][direction]
    private Rng _dropoutRng;

    protected RecurrentLayer(CellKind cell, int inputSize, int hiddenSize, RecurrentOptions? options, Rng? rng, Device? device, DType dtype)
        : base(device ?? Device.Cpu, dtype)
    {
        options ??= new RecurrentOptions();
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "inputSize must be positive");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "hiddenSize must be positive");
        if (options.NumLayers <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.NumLayers, "NumLayers must be positive");
        if (options.Dropout is < 0 or >= 1 || double.IsNaN(options.Dropout))
            throw new ArgumentOutOfRangeException(nameof(options), options.Dropout, "Dropout must be in [0, 1)");
        if (options.ProjSize < 0 || (options.ProjSize > 0 && cell != CellKind.Lstm) || options.ProjSize >= hiddenSize && options.ProjSize > 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.ProjSize, "ProjSize is for LSTM only and must be in [0, hiddenSize)");
        if (options.Nonlinearity != Nonlinearity.Tanh && cell != CellKind.Rnn)
            throw new ArgumentException("Nonlinearity applies to Rnn only", nameof(options));

        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Options = options;
        _dropoutRng = (rng ?? new Rng(0)).Fork(0xD50);

        int gates = GateCount * hiddenSize;
        _layers = new Direction[options.NumLayers][];
        for (int l = 0; l < options.NumLayers; l++)
        {
            int layerInput = l == 0 ? inputSize : Directions * OutputHiddenSize;
            _layers[l] = new Direction[Directions];
            for (int d = 0; d < Directions; d++)
            {
                var w = new Direction
                {
                    Suffix = $"_l{l}{(d == 1 ? "_reverse" : "")}",
                    Reverse = d == 1,
                    WeightIh = NewParameter(gates, layerInput),
                    WeightHh = NewParameter(gates, OutputHiddenSize),
                    BiasIh = options.Bias ? NewParameter(gates) : null,
                    BiasHh = options.Bias ? NewParameter(gates) : null,
                    WeightHr = options.ProjSize > 0 ? NewParameter(options.ProjSize, hiddenSize) : null,
                };
                _layers[l][d] = w;
            }
        }
        // PyTorch's reset_parameters: every weight U(-1/√H, 1/√H), in state_dict order.
        if (rng is not null)
            InitUniform(rng, 1 / Math.Sqrt(hiddenSize), Parameters().ToArray());
    }

    public CellKind Cell { get; }

    /// <summary>Gradient norms per step, gate statistics, hidden traces: off until switched on.</summary>
    public RecurrentInstruments Instruments { get; } = new();
    public int InputSize { get; }
    public int HiddenSize { get; }
    public RecurrentOptions Options { get; }
    public int NumLayers => Options.NumLayers;
    public int Directions => Options.Bidirectional ? 2 : 1;

    /// <summary>Size of h: ProjSize when projecting, else HiddenSize.</summary>
    public int OutputHiddenSize => Options.ProjSize > 0 ? Options.ProjSize : HiddenSize;

    private int GateCount => Cell switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };

    /// <summary>Restarts the dropout masks' random stream (gradient checks need the same mask on every forward).</summary>
    public void ReseedDropout(ulong seed) => _dropoutRng = new Rng(seed);

    /// <summary>The generator of the dropout masks; a training checkpoint saves and restores it so a resumed run is bit-identical.</summary>
    public Rng DropoutRng
    {
        get => _dropoutRng;
        set => _dropoutRng = value ?? throw new ArgumentNullException(nameof(value));
    }

    private Parameter NewParameter(params int[] shape) => new(Tensor.Zeros(shape, DType, Device));

    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var layer in _layers)
        {
            foreach (var w in layer)
            {
                yield return ($"weight_ih{w.Suffix}", w.WeightIh);
                yield return ($"weight_hh{w.Suffix}", w.WeightHh);
                if (w.BiasIh is not null) yield return ($"bias_ih{w.Suffix}", w.BiasIh);
                if (w.BiasHh is not null) yield return ($"bias_hh{w.Suffix}", w.BiasHh);
                if (w.WeightHr is not null) yield return ($"weight_hr{w.Suffix}", w.WeightHr);
            }
        }
    }

    // ---- forward ----------------------------------------------------------------------------------

    /// <summary>
    /// x: [T, B, I] ([B, T, I] batch-first). h0: [L·D, B, H_out] and c0 (LSTM): [L·D, B, H], zeros when null.
    /// lengths: one per batch element, each in [1, T]; steps past a sequence's length are padding (PyTorch's packed semantics).
    /// The returned tensors belong to the layer and are overwritten by the next Forward (Clone() to keep them): steady
    /// training then allocates nothing. The buffers backward needs are kept and reused while T and B stay the same.
    /// </summary>
    public RecurrentResult Forward(Tensor x, Tensor? h0 = null, Tensor? c0 = null, int[]? lengths = null)
    {
        CheckInput(x, nameof(x));
        if (x.Rank != 3 || x.Dim(2) != InputSize)
            throw new ArgumentException($"x must be {(Options.BatchFirst ? "[B, T, " : "[T, B, ")}{InputSize}] (input size {InputSize}); got {x.ShapeText}", nameof(x));
        int steps = Options.BatchFirst ? x.Dim(1) : x.Dim(0);
        int batch = Options.BatchFirst ? x.Dim(0) : x.Dim(1);
        if (steps == 0 || batch == 0) throw new ArgumentException($"x must have at least one step and one batch element; got {x.ShapeText}", nameof(x));
        int stateRows = NumLayers * Directions;
        CheckState(h0, nameof(h0), stateRows, batch, OutputHiddenSize);
        if (c0 is not null && Cell != CellKind.Lstm) throw new ArgumentException("c0 is for LSTM only", nameof(c0));
        CheckState(c0, nameof(c0), stateRows, batch, HiddenSize);
        Workspace ws = WorkspaceFor(steps, batch);
        ws.SetLengths(lengths, Device);

        // Time-first input: [T, B, I].
        Tensor input = x;
        if (Options.BatchFirst)
        {
            Device.SwapLeadingDims(x, ws.Input!);
            input = ws.Input!;
        }

        Tensor output = ws.Output, hN = ws.HN;
        Tensor? cN = ws.CN;

        Tensor layerInput = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerBuffers lb = ws.Layers[l];
            Tensor layerOut = l == _layers.Length - 1 ? output : lb.Output!;
            for (int d = 0; d < Directions; d++)
            {
                Direction w = _layers[l][d];
                DirectionBuffers buf = lb.Directions[d];
                int row = l * Directions + d;
                Tensor dirInput = layerInput;
                if (w.Reverse)
                {
                    Device.ReverseSequences(layerInput, ws.ReverseLengths!, buf.Reversed!.All);
                    dirInput = buf.Reversed.All;
                }
                ForwardDirection(w, buf, dirInput, h0?[row], c0?[row], ws.Lengths);
                Tensor y = buf.Output.All;
                if (w.Reverse)
                {
                    Device.ReverseSequences(y, ws.ReverseLengths!, buf.OutputInTime!);
                    y = buf.OutputInTime!;
                }
                if (Directions == 1) Device.Copy(y, layerOut);
                else Device.CopyToColumns(y, layerOut, d * OutputHiddenSize);
                Device.Copy(buf.H.Step[steps], hN[row]);
                if (cN is not null) Device.Copy(buf.C!.Step[steps], cN[row]);
            }
            lb.DropoutActive = Training && Options.Dropout > 0 && l < _layers.Length - 1;
            if (lb.DropoutActive)
            {
                // Inverted dropout: keep with probability 1−p and scale by 1/(1−p), so eval needs no change.
                _dropoutRng.FillBernoulli(lb.DropMask!, 1 - Options.Dropout);
                Device.Scale(1 / (1 - Options.Dropout), lb.DropMask!, lb.DropMask!);
                Device.Mul(layerOut, lb.DropMask!, layerOut);
            }
            layerInput = layerOut;
        }
        ws.ForwardDone = true;
        if (Instruments.RecordGateStatistics || Instruments.TraceBatchElement is not null) RecordForwardInstruments(ws);

        if (Options.BatchFirst)
        {
            Device.SwapLeadingDims(output, ws.OutputBatchFirst!);
            output = ws.OutputBatchFirst!;
        }
        return new RecurrentResult(output, hN, cN);
    }

    // ---- backward ---------------------------------------------------------------------------------

    /// <summary>
    /// Backprop through time from dOutput (shaped like Output) and optionally dhN, dcN (shaped like HN, CN).
    /// Accumulates into every parameter's Grad and returns the gradients of x, h0 and c0 (the layer's buffers, overwritten
    /// by the next Backward).
    /// </summary>
    public RecurrentGradients Backward(Tensor dOutput, Tensor? dhN = null, Tensor? dcN = null)
    {
        Workspace ws = _workspace is { ForwardDone: true } ? _workspace : throw new InvalidOperationException("Backward needs a Forward first");
        int steps = ws.Steps, batch = ws.Batch, stateRows = NumLayers * Directions;
        CheckInput(dOutput, nameof(dOutput));
        int[] expected = Options.BatchFirst ? [batch, steps, Directions * OutputHiddenSize] : [steps, batch, Directions * OutputHiddenSize];
        if (!dOutput.Shape.SequenceEqual(expected))
            throw new ArgumentException($"dOutput must have the output's shape {Tensor.ShapeString(expected)}; got {dOutput.ShapeText}", nameof(dOutput));
        CheckState(dhN, nameof(dhN), stateRows, batch, OutputHiddenSize);
        if (dcN is not null && Cell != CellKind.Lstm) throw new ArgumentException("dcN is for LSTM only", nameof(dcN));
        CheckState(dcN, nameof(dcN), stateRows, batch, HiddenSize);

        // dLayerOut: the gradient reaching the current layer's output, in a buffer we may overwrite.
        Tensor dLayerOut = ws.Layers[^1].DOutput;
        if (Options.BatchFirst) Device.SwapLeadingDims(dOutput, dLayerOut);
        else Device.Copy(dOutput, dLayerOut);
        Tensor dh0 = ws.DH0;
        Tensor? dc0 = ws.DC0;

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            LayerBuffers lb = ws.Layers[l];
            if (lb.DropoutActive) Device.Mul(dLayerOut, lb.DropMask!, dLayerOut);
            Tensor dLayerIn = l == 0 ? ws.DInput : ws.Layers[l - 1].DOutput;
            Device.Fill(dLayerIn, 0);
            for (int d = 0; d < Directions; d++)
            {
                Direction w = _layers[l][d];
                DirectionBuffers buf = lb.Directions[d];
                int row = l * Directions + d;
                // This direction's share of dLayerOut, in its own time order.
                if (w.Reverse)
                {
                    Tensor dyInTime = buf.OutputInTime!; // free again after forward: reuse it for the column block
                    Device.CopyFromColumns(dLayerOut, d * OutputHiddenSize, dyInTime);
                    Device.ReverseSequences(dyInTime, ws.ReverseLengths!, buf.DY.All);
                }
                else if (Directions == 2) Device.CopyFromColumns(dLayerOut, 0, buf.DY.All);
                else Device.Copy(dLayerOut, buf.DY.All);

                BackwardDirection(w, buf, dhN?[row], dcN?[row], dh0[row], dc0?[row], ws.Lengths);
                if (w.Reverse)
                {
                    Device.ReverseSequences(buf.DX.All, ws.ReverseLengths!, buf.Reversed!.All); // the reversed input is not needed any more
                    Device.Add(dLayerIn, buf.Reversed.All, dLayerIn);
                }
                else Device.Add(dLayerIn, buf.DX.All, dLayerIn);
            }
            dLayerOut = dLayerIn;
        }

        ws.ForwardDone = false; // the saved inputs were overwritten above: a second Backward needs a new Forward
        Instruments.GradientNorms = Instruments.RecordGradientNorms ? CollectGradientNorms(ws) : [];
        Tensor dInput = ws.DInput;
        if (Options.BatchFirst)
        {
            Device.SwapLeadingDims(ws.DInput, ws.DInputBatchFirst!);
            dInput = ws.DInputBatchFirst!;
        }
        return new RecurrentGradients(dInput, dh0, dc0);
    }

    // ---- one direction of one layer: forward and backward side by side -----------------------------

    /// <summary>Runs one direction over time-first input [T, B, in]; lengths masks ended rows when given.</summary>
    private void ForwardDirection(Direction w, DirectionBuffers buf, Tensor input, Tensor? h0, Tensor? c0, Tensor? lengths)
    {
        int steps = buf.Steps;
        buf.Input = input;
        if (h0 is not null) Device.Copy(h0, buf.H.Step[0]);
        else Device.Fill(buf.H.Step[0], 0);
        if (buf.C is not null)
        {
            if (c0 is not null) Device.Copy(c0, buf.C.Step[0]);
            else Device.Fill(buf.C.Step[0], 0);
        }

        // The input projection of every step at once: [T·B, in] · W_ihᵀ → [T·B, G·H], biases added once.
        Sequence projected = buf.Projected ?? buf.Gates;
        Device.Gemm(input.Reshape(-1, input.Dim(2)), false, w.WeightIh.Value, true, projected.Flat);
        if (w.BiasIh is not null)
        {
            Device.AddBias(projected.Flat, w.BiasIh.Value);
            if (Cell != CellKind.Gru) Device.AddBias(projected.Flat, w.BiasHh!.Value); // GRU keeps b_hn inside r⊙(…)
        }
        Activation rnnAct = Options.Nonlinearity == Nonlinearity.Relu ? Activation.Relu : Activation.Tanh;
        Tensor weightHh = w.WeightHh.Value;

        for (int t = 0; t < steps; t++)
        {
            Tensor hPrev = buf.H.Step[t], hNext = buf.H.Step[t + 1];
            switch (Cell)
            {
                case CellKind.Rnn:
                    Device.Gemm(hPrev, false, weightHh, true, buf.Gates.Step[t], beta: 1);        // [B, H]
                    Device.Activate(rnnAct, buf.Gates.Step[t], hNext);
                    break;
                case CellKind.Lstm:
                    Device.Gemm(hPrev, false, weightHh, true, buf.Gates.Step[t], beta: 1);        // [B, 4H]
                    if (buf.M is null) Device.LstmCellForward(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], hNext);
                    else
                    {
                        Device.LstmCellForward(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], buf.M.Step[t]);
                        Device.Gemm(buf.M.Step[t], false, w.WeightHr!.Value, true, hNext);       // h = m · W_hrᵀ
                    }
                    if (lengths is not null) Device.MaskEndedRows(lengths, t, buf.C.Step[t + 1], buf.C.Step[t]);
                    break;
                default:
                    Device.Gemm(hPrev, false, weightHh, true, buf.Hg!);                           // [B, 3H]
                    Device.GruCellForward(projected.Step[t], buf.Hg!, w.BiasHh?.Value, hPrev, buf.Gates.Step[t], hNext);
                    break;
            }
            if (lengths is not null) Device.MaskEndedRows(lengths, t, hNext, hPrev); // an ended sequence keeps its state
        }

        // Outputs: the states of steps 1…T, zero past each sequence's end.
        Device.Copy(buf.H.All.Narrow(1, steps), buf.Output.All);
        if (lengths is not null)
            for (int t = 0; t < steps; t++) Device.MaskEndedRows(lengths, t, buf.Output.Step[t]);
    }

    /// <summary>BPTT through one direction from buf.DY: writes the dh0/dc0 rows, accumulates parameter gradients, leaves dX in buf.DX.</summary>
    private void BackwardDirection(Direction w, DirectionBuffers buf, Tensor? dhN, Tensor? dcN, Tensor dh0, Tensor? dc0, Tensor? lengths)
    {
        int steps = buf.Steps;
        Tensor dh = buf.Dh, dhPrev = buf.DhPrev;                   // gradient reaching h_t, and h_{t−1}
        if (dhN is not null) Device.Copy(dhN, dh);
        else Device.Fill(dh, 0);
        Tensor? dc = buf.Dc, dcPrev = buf.DcPrev;
        if (dc is not null)
        {
            if (dcN is not null) Device.Copy(dcN, dc);
            else Device.Fill(dc, 0);
        }
        Activation rnnAct = Options.Nonlinearity == Nonlinearity.Relu ? Activation.Relu : Activation.Tanh;
        Tensor weightHh = w.WeightHh.Value;
        NormBuffers? norms = Instruments.RecordGradientNorms ? buf.Norms(this) : null;

        for (int t = steps - 1; t >= 0; t--)
        {
            // dh_t += dY_t, but padding outputs were constants: their gradient goes nowhere.
            if (lengths is not null) Device.MaskEndedRows(lengths, t, buf.DY.Step[t]);
            Device.Add(dh, buf.DY.Step[t], dh);
            if (norms is not null) Device.RowL2Norms(dh, norms.HStep[t]);             // ‖dL/dh_t‖ per row
            Tensor dG = buf.DGates.Step[t];
            switch (Cell)
            {
                case CellKind.Rnn:
                    Device.ActivateBackward(rnnAct, buf.H.Step[t + 1], dh, dG);
                    if (lengths is not null) Device.MaskEndedRows(lengths, t, dG);
                    Device.Gemm(dG, false, weightHh, false, dhPrev);
                    break;
                case CellKind.Lstm:
                {
                    Tensor dIntoCell = dh;
                    if (buf.Dm is not null)
                    {
                        Device.Copy(dh, buf.DHStep!.Step[t]);
                        if (lengths is not null) Device.MaskEndedRows(lengths, t, buf.DHStep.Step[t]);
                        Device.Gemm(dh, false, w.WeightHr!.Value, false, buf.Dm);             // dm = dh · W_hr
                        dIntoCell = buf.Dm;
                    }
                    Device.LstmCellBackward(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], dIntoCell, dc!, dG, dcPrev!, norms?.DcTotal);
                    if (norms is not null) Device.RowL2Norms(norms.DcTotal!, norms.CStep![t]); // ‖dL/dc_t‖ per row
                    if (lengths is not null)
                    {
                        Device.MaskEndedRows(lengths, t, dG);
                        Device.MaskEndedRows(lengths, t, dcPrev!, dc);                           // an ended row passes dc straight back
                    }
                    Device.Gemm(dG, false, weightHh, false, dhPrev);
                    (dc, dcPrev) = (dcPrev, dc);
                    break;
                }
                default:
                {
                    Tensor dHg = buf.DHg!.Step[t];
                    Device.GruCellBackward(buf.Gates.Step[t], buf.H.Step[t], dh, dG, dHg, dhPrev);
                    if (lengths is not null)
                    {
                        Device.MaskEndedRows(lengths, t, dG);
                        Device.MaskEndedRows(lengths, t, dHg);
                    }
                    Device.Gemm(dHg, false, weightHh, false, dhPrev, beta: 1);
                    break;
                }
            }
            if (lengths is not null) Device.MaskEndedRows(lengths, t, dhPrev, dh);              // an ended row passes dh straight back
            (dh, dhPrev) = (dhPrev, dh);
        }
        Device.Copy(dh, dh0);
        if (dc0 is not null) Device.Copy(dc!, dc0);

        // Weight gradients and dX for all steps at once.
        Tensor inputs = buf.Input!.Reshape(-1, buf.Input.Dim(2));
        Tensor dIn = buf.DGates.Flat, dHid = (buf.DHg ?? buf.DGates).Flat;
        Device.Gemm(dIn, true, inputs, false, w.WeightIh.Grad, beta: 1);                // [G·H, in]
        Device.Gemm(dHid, true, buf.H.FlatHead(steps), false, w.WeightHh.Grad, beta: 1); // [G·H, H_out]
        if (w.BiasIh is not null)
        {
            if (ReferenceEquals(dIn, dHid))
            {
                // RNN and LSTM: b_ih and b_hh enter the same sum, so their gradients are equal: one pass over [T·B, G·H].
                Device.SumOverRows(dIn, buf.BiasGrad, accumulate: false);
                Device.Add(w.BiasIh.Grad, buf.BiasGrad, w.BiasIh.Grad);
                Device.Add(w.BiasHh!.Grad, buf.BiasGrad, w.BiasHh.Grad);
            }
            else
            {
                Device.SumOverRows(dIn, w.BiasIh.Grad, accumulate: true);
                Device.SumOverRows(dHid, w.BiasHh!.Grad, accumulate: true);
            }
        }
        if (buf.DHStep is not null) Device.Gemm(buf.DHStep.Flat, true, buf.M!.Flat, false, w.WeightHr!.Grad, beta: 1);
        Device.Gemm(dIn, false, w.WeightIh.Value, false, buf.DX.Flat);
    }

    // ---- instruments (host side; they run only when switched on) ------------------------------------

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

    // ---- helpers ------------------------------------------------------------------------------------

    private Workspace? _workspace;

    /// <summary>The buffers for (T, B), reused while they stay the same so that steady training allocates only its results.</summary>
    private Workspace WorkspaceFor(int steps, int batch)
    {
        if (_workspace is { } w && w.Steps == steps && w.Batch == batch)
        {
            w.ForwardDone = false;
            return w;
        }
        _workspace = new Workspace(this, steps, batch);
        return _workspace;
    }

    private void CheckState(Tensor? state, string name, int rows, int batch, int width)
    {
        if (state is null) return;
        CheckInput(state, name);
        if (state.Rank != 3 || state.Dim(0) != rows || state.Dim(1) != batch || state.Dim(2) != width)
            throw new ArgumentException($"{name} must have shape [{rows}, {batch}, {width}] (layers·directions, batch, hidden); got {state.ShapeText}", name);
    }

    private sealed class Direction
    {
        public required string Suffix { get; init; }
        public required bool Reverse { get; init; }
        public required Parameter WeightIh { get; init; }   // [G·H, in]
        public required Parameter WeightHh { get; init; }   // [G·H, H_out]
        public Parameter? BiasIh { get; init; }             // [G·H]
        public Parameter? BiasHh { get; init; }             // [G·H]
        public Parameter? WeightHr { get; init; }           // [P, H]
    }

    /// <summary>Everything one direction of one layer keeps from forward for backward, and backward's scratch.</summary>
    private sealed class DirectionBuffers
    {
        public DirectionBuffers(RecurrentLayer layer, bool reverse, int steps, int batch, int inputWidth)
        {
            DType dt = layer.DType;
            Device dev = layer.Device;
            int hidden = layer.HiddenSize, outH = layer.OutputHiddenSize, gateWidth = layer.GateCount * hidden;
            bool lstm = layer.Cell == CellKind.Lstm, gru = layer.Cell == CellKind.Gru, proj = layer.Options.ProjSize > 0;
            Steps = steps;
            Reversed = reverse ? new Sequence(steps, batch, inputWidth, dt, dev) : null;
            OutputInTime = reverse ? Tensor.Zeros([steps, batch, outH], dt, dev) : null;
            Gates = new Sequence(steps, batch, gru ? 4 * hidden : gateWidth, dt, dev);
            Projected = gru ? new Sequence(steps, batch, gateWidth, dt, dev) : null;
            H = new Sequence(steps + 1, batch, outH, dt, dev);
            C = lstm ? new Sequence(steps + 1, batch, hidden, dt, dev) : null;
            M = proj ? new Sequence(steps, batch, hidden, dt, dev) : null;
            Hg = gru ? Tensor.Zeros([batch, gateWidth], dt, dev) : null;
            Output = new Sequence(steps, batch, outH, dt, dev);

            DY = new Sequence(steps, batch, outH, dt, dev);
            Dh = Tensor.Zeros([batch, outH], dt, dev);
            DhPrev = Tensor.Zeros([batch, outH], dt, dev);
            Dc = lstm ? Tensor.Zeros([batch, hidden], dt, dev) : null;
            DcPrev = lstm ? Tensor.Zeros([batch, hidden], dt, dev) : null;
            Dm = proj ? Tensor.Zeros([batch, hidden], dt, dev) : null;
            DHStep = proj ? new Sequence(steps, batch, outH, dt, dev) : null;
            DGates = new Sequence(steps, batch, gateWidth, dt, dev);
            DHg = gru ? new Sequence(steps, batch, gateWidth, dt, dev) : null;
            DX = new Sequence(steps, batch, inputWidth, dt, dev);
            BiasGrad = Tensor.Zeros([gateWidth], dt, dev);
        }

        public int Steps { get; }
        public Tensor? Input { get; set; }      // [T, B, in] this direction read (time order of the direction)
        public Sequence? Reversed { get; }      // reverse direction: its input reversed per sequence; backward: dX put back in time
        public Tensor? OutputInTime { get; }    // reverse direction: output put back in time; backward: this direction's dY block
        public Sequence Gates { get; }          // [T, B, G·H] activations (RNN: pre-activations; GRU: [T, B, 4H] r, z, n, hn)
        public Sequence? Projected { get; }     // GRU: x·W_ihᵀ + b_ih, [T, B, 3H]
        public Sequence H { get; }              // [T+1, B, H_out]; H[0] = h0
        public Sequence? C { get; }             // [T+1, B, H] (LSTM)
        public Sequence? M { get; }             // [T, B, H] o⊙tanh(c) before the projection
        public Tensor? Hg { get; }              // GRU: h·W_hhᵀ of the current step, [B, 3H]
        public Sequence Output { get; }         // [T, B, H_out], zero past each length

        public Sequence DY { get; }             // gradient reaching this direction's outputs
        public Tensor Dh { get; }
        public Tensor DhPrev { get; }
        public Tensor? Dc { get; }
        public Tensor? DcPrev { get; }
        public Tensor? Dm { get; }
        public Sequence? DHStep { get; }        // dh_t of every step, for dW_hr
        public Sequence DGates { get; }         // input-side pre-activation gradients
        public Sequence? DHg { get; }           // GRU: hidden-side pre-activation gradients
        public Sequence DX { get; }
        public Tensor BiasGrad { get; }         // [G·H] this backward's bias gradient, added to both biases

        private NormBuffers? _norms;

        /// <summary>The gradient-norm instrument's buffers, made the first time it is switched on.</summary>
        public NormBuffers Norms(RecurrentLayer layer) => _norms ??= new NormBuffers(layer, Steps, DY.All.Dim(1));

        public NormBuffers? RecordedNorms => _norms;
    }

    /// <summary>Per-row norms of every step, [T, B], on the device until Backward ends.</summary>
    private sealed class NormBuffers
    {
        public NormBuffers(RecurrentLayer layer, int steps, int batch)
        {
            H = Tensor.Zeros([steps, batch], layer.DType, layer.Device);
            HStep = Enumerable.Range(0, steps).Select(t => H[t]).ToArray();
            if (layer.Cell == CellKind.Lstm)
            {
                C = Tensor.Zeros([steps, batch], layer.DType, layer.Device);
                CStep = Enumerable.Range(0, steps).Select(t => C[t]).ToArray();
                DcTotal = Tensor.Zeros([batch, layer.HiddenSize], layer.DType, layer.Device);
            }
        }

        public Tensor H { get; }
        public Tensor[] HStep { get; }
        public Tensor? C { get; }
        public Tensor[]? CStep { get; }
        public Tensor? DcTotal { get; }
    }

    private sealed class LayerBuffers(DirectionBuffers[] directions, Tensor? output, Tensor? dropMask, Tensor dOutput)
    {
        public DirectionBuffers[] Directions { get; } = directions;
        public Tensor? Output { get; } = output;     // [T, B, D·H_out], null for the last layer (its output is returned)
        public Tensor? DropMask { get; } = dropMask;
        public bool DropoutActive { get; set; }
        public Tensor DOutput { get; } = dOutput;   // gradient reaching this layer's output
    }

    private sealed class Workspace
    {
        public Workspace(RecurrentLayer layer, int steps, int batch)
        {
            Steps = steps;
            Batch = batch;
            DType dt = layer.DType;
            Device dev = layer.Device;
            int width = layer.Directions * layer.OutputHiddenSize;
            bool batchFirst = layer.Options.BatchFirst, lstm = layer.Cell == CellKind.Lstm;
            int stateRows = layer.NumLayers * layer.Directions;
            Input = batchFirst ? Tensor.Zeros([steps, batch, layer.InputSize], dt, dev) : null;
            DInput = Tensor.Zeros([steps, batch, layer.InputSize], dt, dev);
            DInputBatchFirst = batchFirst ? Tensor.Zeros([batch, steps, layer.InputSize], dt, dev) : null;
            Output = Tensor.Zeros([steps, batch, width], dt, dev);
            OutputBatchFirst = batchFirst ? Tensor.Zeros([batch, steps, width], dt, dev) : null;
            HN = Tensor.Zeros([stateRows, batch, layer.OutputHiddenSize], dt, dev);
            CN = lstm ? Tensor.Zeros([stateRows, batch, layer.HiddenSize], dt, dev) : null;
            DH0 = Tensor.Zeros([stateRows, batch, layer.OutputHiddenSize], dt, dev);
            DC0 = lstm ? Tensor.Zeros([stateRows, batch, layer.HiddenSize], dt, dev) : null;
            Layers = new LayerBuffers[layer.NumLayers];
            for (int l = 0; l < layer.NumLayers; l++)
            {
                int inputWidth = l == 0 ? layer.InputSize : width;
                var dirs = new DirectionBuffers[layer.Directions];
                for (int d = 0; d < dirs.Length; d++) dirs[d] = new DirectionBuffers(layer, d == 1, steps, batch, inputWidth);
                bool last = l == layer.NumLayers - 1;
                Layers[l] = new LayerBuffers(dirs,
                    last ? null : Tensor.Zeros([steps, batch, width], dt, dev),
                    !last && layer.Options.Dropout > 0 ? Tensor.Zeros([steps, batch, width], dt, dev) : null,
                    Tensor.Zeros([steps, batch, width], dt, dev));
            }
            _full = Tensor.From<int>(Enumerable.Repeat(steps, batch).ToArray(), [batch], dev);
            _given = Tensor.Zeros([batch], DType.Int32, dev);
        }

        private readonly Tensor _full, _given;

        public int Steps { get; }
        public int Batch { get; }
        public bool ForwardDone { get; set; }
        public Tensor? Input { get; }           // time-first copy of a batch-first input
        public Tensor DInput { get; }
        public LayerBuffers[] Layers { get; }

        // What Forward and Backward return, reused call after call.
        public Tensor Output { get; }             // [T, B, D·H_out], the last layer's output
        public Tensor? OutputBatchFirst { get; }
        public Tensor HN { get; }
        public Tensor? CN { get; }
        public Tensor? DInputBatchFirst { get; }
        public Tensor DH0 { get; }
        public Tensor? DC0 { get; }

        /// <summary>The lengths of the current call, or null when every sequence is full.</summary>
        public Tensor? Lengths { get; private set; }

        /// <summary>What ReverseSequences reverses within: the given lengths, or T for every row.</summary>
        public Tensor? ReverseLengths => Lengths ?? _full;

        /// <summary>Each row's length on the host (T for every row without lengths), for the instruments' time mapping.</summary>
        public int[] HostLengths { get; private set; } = [];

        public void SetLengths(int[]? lengths, Device device)
        {
            if (lengths is null)
            {
                Lengths = null;
                if (HostLengths.Length != Batch || HostLengths.Any(l => l != Steps)) HostLengths = Enumerable.Repeat(Steps, Batch).ToArray();
                return;
            }
            if (lengths.Length != Batch)
                throw new ArgumentException($"lengths must have one entry per batch element ({Batch}); got {lengths.Length}", nameof(lengths));
            for (int b = 0; b < Batch; b++)
                if (lengths[b] < 1 || lengths[b] > Steps)
                    throw new ArgumentException($"lengths[{b}] = {lengths[b]} must be in [1, {Steps}] (the sequence length T)", nameof(lengths));
            _given.CopyFrom<int>(lengths);
            Lengths = _given;
            HostLengths = (int[])lengths.Clone();
        }
    }
}

/// <summary>Elman RNN: h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) (or relu).</summary>
public sealed class Rnn(int inputSize, int hiddenSize, RecurrentOptions? options = null, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
    : RecurrentLayer(CellKind.Rnn, inputSize, hiddenSize, options, rng, device, dtype);

/// <summary>LSTM with PyTorch's gate order (i, f, g, o) and optional projection (ProjSize).</summary>
public sealed class Lstm(int inputSize, int hiddenSize, RecurrentOptions? options = null, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
    : RecurrentLayer(CellKind.Lstm, inputSize, hiddenSize, options, rng, device, dtype);

/// <summary>GRU with PyTorch's gate order (r, z, n) and the reset gate applied to W_hn·h + b_hn.</summary>
public sealed class Gru(int inputSize, int hiddenSize, RecurrentOptions? options = null, Rng? rng = null, Device? device = null, DType dtype = DType.Float32)
    : RecurrentLayer(CellKind.Gru, inputSize, hiddenSize, options, rng, device, dtype);
