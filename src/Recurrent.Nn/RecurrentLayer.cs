// Rnn, Lstm and Gru: stacked, optionally bidirectional recurrent layers with backprop-through-time written out.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>
/// A multi-layer recurrent network in PyTorch's shapes and names. Forward keeps every step's gates and
/// states; Backward walks the steps in reverse and accumulates into the parameter gradients.
/// The structure follows the performance model: the input projection of all steps is one GEMM, only the
/// recurrent product h·W_hhᵀ stays in the time loop, and dW_ih, dW_hh and dX are one GEMM each after it.
/// </summary>
public abstract partial class RecurrentLayer : Module
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

        Tensor hN = ws.HN;
        Tensor? cN = ws.CN;

        Tensor layerInput = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerBuffers lb = ws.Layers[l];
            bool last = l == _layers.Length - 1;
            lb.DropoutActive = Training && Options.Dropout > 0 && !last;
            // Two directions meet in layerOut's column blocks; one direction's output is used where it lies (its states
            // H[1..T], or its masked output): the next layer reads it without a copy.
            Tensor layerOut = last ? ws.Output : lb.Output!;
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
                Tensor y = ForwardDirection(w, buf, dirInput, h0?[row], c0?[row], ws.Lengths);
                if (w.Reverse)
                {
                    Device.ReverseSequences(y, ws.ReverseLengths!, buf.OutputInTime!);
                    y = buf.OutputInTime!;
                }
                if (Directions == 1) layerOut = y;
                else Device.CopyToColumns(y, layerOut, d * OutputHiddenSize);
                Device.Copy(buf.H.Step[steps], hN[row]);
                if (cN is not null) Device.Copy(buf.C!.Step[steps], cN[row]);
            }
            if (lb.DropoutActive)
            {
                // Inverted dropout: keep with probability 1−p and scale by 1/(1−p), so eval needs no change.
                _dropoutRng.FillBernoulli(lb.DropMask!, 1 - Options.Dropout);
                Device.Scale(1 / (1 - Options.Dropout), lb.DropMask!, lb.DropMask!);
                Device.Mul(layerOut, lb.DropMask!, lb.Output!);
                layerOut = lb.Output!;
            }
            layerInput = layerOut;
        }
        ws.OutputSource = layerInput;
        ws.ForwardDone = true;
        if (Instruments.RecordGateStatistics || Instruments.TraceBatchElement is not null) RecordForwardInstruments(ws);
        return new RecurrentResult(ws.MakeOutput, hN, cN);
    }

    /// <summary>
    /// The result's Output, written when it is first read: the batch-first copy of the last layer's output, or, time-first,
    /// a one-direction layer's states copied into a buffer of their own (the caller may write into what it is handed; backward
    /// reads the states).
    /// </summary>
    private Tensor MaterializeOutput(Workspace ws)
    {
        Tensor source = ws.OutputSource ?? throw new InvalidOperationException("the layer's output is read before its Forward");
        if (Options.BatchFirst)
        {
            Device.SwapLeadingDims(source, ws.OutputBatchFirst!);
            return ws.OutputBatchFirst!;
        }
        if (!ReferenceEquals(source, ws.Output)) Device.Copy(source, ws.Output);
        return ws.Output;
    }

    // ---- backward ---------------------------------------------------------------------------------

    /// <summary>
    /// Backprop through time from dOutput (shaped like Output) and optionally dhN, dcN (shaped like HN, CN).
    /// Accumulates into every parameter's Grad and returns the gradients of x, h0 and c0 (the layer's buffers, overwritten
    /// by the next Backward).
    /// </summary>
    /// <param name="dOutput">The gradient of every step's output, or null when the loss read only the final states (PyTorch:
    /// an output that took no part in the loss gets a zero gradient).</param>
    /// <param name="inputGradient">
    /// False when x is data that needs no gradient (PyTorch: an input without requires_grad): the first layer then skips
    /// dX = dG·W_ih, a GEMM as large as the input projection, and the result's DInput is null.
    /// </param>
    public RecurrentGradients Backward(Tensor? dOutput, Tensor? dhN = null, Tensor? dcN = null, bool inputGradient = true)
    {
        Workspace ws = _workspace is { ForwardDone: true } ? _workspace : throw new InvalidOperationException("Backward needs a Forward first");
        int steps = ws.Steps, batch = ws.Batch, stateRows = NumLayers * Directions;
        if (dOutput is not null)
        {
            CheckInput(dOutput, nameof(dOutput));
            int[] expected = Options.BatchFirst ? [batch, steps, Directions * OutputHiddenSize] : [steps, batch, Directions * OutputHiddenSize];
            if (!dOutput.Shape.SequenceEqual(expected))
                throw new ArgumentException($"dOutput must have the output's shape {Tensor.ShapeString(expected)}; got {dOutput.ShapeText}", nameof(dOutput));
        }
        CheckState(dhN, nameof(dhN), stateRows, batch, OutputHiddenSize);
        if (dcN is not null && Cell != CellKind.Lstm) throw new ArgumentException("dcN is for LSTM only", nameof(dcN));
        CheckState(dcN, nameof(dcN), stateRows, batch, HiddenSize);

        Tensor dh0 = ws.DH0;
        Tensor? dc0 = ws.DC0;
        if (Directions == 1)
        {
            // One direction: the gradient reaching a layer's output is put straight into that layer's DY, and each layer's
            // dX is written straight into the DY of the layer below (or DInput): no block copies, fills or sums.
            Tensor dyTop = ws.Layers[^1].Directions[0].DY.All;
            if (dOutput is null) Device.Fill(dyTop, 0);
            else if (Options.BatchFirst) Device.SwapLeadingDims(dOutput, dyTop);
            else Device.Copy(dOutput, dyTop);
            for (int l = _layers.Length - 1; l >= 0; l--)
            {
                LayerBuffers lb = ws.Layers[l];
                DirectionBuffers buf = lb.Directions[0];
                if (lb.DropoutActive) Device.Mul(buf.DY.All, lb.DropMask!, buf.DY.All);
                Tensor? dLayerIn = l > 0 ? ws.Layers[l - 1].Directions[0].DY.Flat : inputGradient ? ws.DInputFlat : null;
                BackwardDirection(_layers[l][0], buf, dhN?[l], dcN?[l], dh0[l], dc0?[l], ws.Lengths, dLayerIn,
                    dyIsZero: dOutput is null && l == _layers.Length - 1);
            }
        }
        else BackwardBothDirections(ws, dOutput, dhN, dcN, inputGradient);

        ws.ForwardDone = false; // the saved inputs were overwritten above: a second Backward needs a new Forward
        Instruments.GradientNorms = Instruments.RecordGradientNorms ? CollectGradientNorms(ws) : [];
        if (!inputGradient) return new RecurrentGradients(null, dh0, dc0);
        Tensor dInput = ws.DInput;
        if (Options.BatchFirst)
        {
            Device.SwapLeadingDims(ws.DInput, ws.DInputBatchFirst!);
            dInput = ws.DInputBatchFirst!;
        }
        return new RecurrentGradients(dInput, dh0, dc0);
    }

    /// <summary>Backward of a bidirectional layer stack: each layer's output gradient is split into the directions' column
    /// blocks (the reverse one put back in its own time order), and their dX are summed into the layer below.</summary>
    private void BackwardBothDirections(Workspace ws, Tensor? dOutput, Tensor? dhN, Tensor? dcN, bool inputGradient)
    {
        // dLayerOut: the gradient reaching the current layer's output, in a buffer we may overwrite.
        Tensor dLayerOut = ws.Layers[^1].DOutput!;
        if (dOutput is null) Device.Fill(dLayerOut, 0);
        else if (Options.BatchFirst) Device.SwapLeadingDims(dOutput, dLayerOut);
        else Device.Copy(dOutput, dLayerOut);
        Tensor dh0 = ws.DH0;
        Tensor? dc0 = ws.DC0;

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            LayerBuffers lb = ws.Layers[l];
            if (lb.DropoutActive) Device.Mul(dLayerOut, lb.DropMask!, dLayerOut);
            Tensor? dLayerIn = l > 0 ? ws.Layers[l - 1].DOutput : inputGradient ? ws.DInput : null;
            if (dLayerIn is not null) Device.Fill(dLayerIn, 0);
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
                else Device.CopyFromColumns(dLayerOut, 0, buf.DY.All);

                BackwardDirection(w, buf, dhN?[row], dcN?[row], dh0[row], dc0?[row], ws.Lengths, dLayerIn is null ? null : buf.DX!.Flat);
                if (dLayerIn is null) continue;
                if (w.Reverse)
                {
                    Device.ReverseSequences(buf.DX!.All, ws.ReverseLengths!, buf.Reversed!.All); // the reversed input is not needed any more
                    Device.Add(dLayerIn, buf.Reversed.All, dLayerIn);
                }
                else Device.Add(dLayerIn, buf.DX!.All, dLayerIn);
            }
            if (dLayerIn is not null) dLayerOut = dLayerIn;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private Workspace? _workspace;                     // the last Forward's: what Backward reads
    private readonly List<Workspace> _recent = [];     // most recently used first, at most KeptShapes

    // A training epoch meets up to four (T, B) shapes — full batches, a partial last batch, a whole validation set and
    // a whole test set — and re-allocating every buffer at each change cost ~12% of a short experiment's CPU.
    private const int KeptShapes = 4;

    /// <summary>
    /// The buffers for (T, B), kept for the last <see cref="KeptShapes"/> shapes so that steady training, and an epoch
    /// that alternates between batch shapes, allocates only its results.
    /// </summary>
    private Workspace WorkspaceFor(int steps, int batch)
    {
        int found = _recent.FindIndex(w => w.Steps == steps && w.Batch == batch);
        Workspace ws;
        if (found >= 0)
        {
            ws = _recent[found];
            _recent.RemoveAt(found);
            ws.ForwardDone = false;
        }
        else
        {
            ws = new Workspace(this, steps, batch);
            if (_recent.Count == KeptShapes) _recent.RemoveAt(KeptShapes - 1); // left to the finalizer: a caller may still hold its results
        }
        _recent.Insert(0, ws);
        _workspace = ws;
        return ws;
    }

    private void CheckState(Tensor? state, string name, int rows, int batch, int width)
    {
        if (state is null) return;
        CheckInput(state, name);
        if (state.Rank != 3 || state.Dim(0) != rows || state.Dim(1) != batch || state.Dim(2) != width)
            throw new ArgumentException($"{name} must have shape [{rows}, {batch}, {width}] (layers·directions, batch, hidden); got {state.ShapeText}", name);
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
