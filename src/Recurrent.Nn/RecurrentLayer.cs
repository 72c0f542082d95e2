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
    private ForwardCache? _cache;

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
    /// </summary>
    public RecurrentResult Forward(Tensor x, Tensor? h0 = null, Tensor? c0 = null, int[]? lengths = null)
    {
        CheckInput(x, nameof(x));
        if (x.Rank != 3 || x.Dim(2) != InputSize)
            throw new ArgumentException($"x must be {(Options.BatchFirst ? "[B, T, " : "[T, B, ")}{InputSize}] (input size {InputSize}); got {x.ShapeText}", nameof(x));
        int steps = Options.BatchFirst ? x.Dim(1) : x.Dim(0);
        int batch = Options.BatchFirst ? x.Dim(0) : x.Dim(1);
        int stateRows = NumLayers * Directions;
        CheckState(h0, nameof(h0), stateRows, batch, OutputHiddenSize);
        if (c0 is not null && Cell != CellKind.Lstm) throw new ArgumentException("c0 is for LSTM only", nameof(c0));
        CheckState(c0, nameof(c0), stateRows, batch, HiddenSize);
        Tensor? lengthTensor = LengthsTensor(lengths, steps, batch);

        // Time-first working copy of the input: [T, B, I].
        Tensor input = x;
        if (Options.BatchFirst)
        {
            input = Tensor.Zeros([steps, batch, InputSize], DType, Device);
            Device.SwapLeadingDims(x, input);
        }

        var cache = new ForwardCache(steps, batch, lengthTensor, _layers.Length);
        var hN = Tensor.Zeros([stateRows, batch, OutputHiddenSize], DType, Device);
        Tensor? cN = Cell == CellKind.Lstm ? Tensor.Zeros([stateRows, batch, HiddenSize], DType, Device) : null;
        Tensor? fullLengths = Directions == 2 ? lengthTensor ?? FullLengths(steps, batch) : null;

        Tensor layerInput = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            var layerOut = Tensor.Zeros([steps, batch, Directions * OutputHiddenSize], DType, Device);
            var dirCaches = new DirectionCache[Directions];
            for (int d = 0; d < Directions; d++)
            {
                Direction w = _layers[l][d];
                int row = l * Directions + d;
                Tensor dirInput = layerInput;
                if (w.Reverse)
                {
                    dirInput = Tensor.ZerosLike(layerInput);
                    Device.ReverseSequences(layerInput, fullLengths!, dirInput);
                }
                var dc = RunDirection(w, dirInput, h0?[row], c0?[row], lengthTensor);
                dirCaches[d] = dc;
                Tensor y = dc.Output;
                if (w.Reverse)
                {
                    var back = Tensor.ZerosLike(y);
                    Device.ReverseSequences(y, fullLengths!, back);
                    y = back;
                }
                if (Directions == 1) Device.Copy(y, layerOut);
                else Device.CopyToColumns(y, layerOut, d * OutputHiddenSize);
                Device.Copy(dc.H[steps], hN[row]);
                if (cN is not null) Device.Copy(dc.C![steps], cN[row]);
            }
            Tensor? dropMask = null;
            if (Training && Options.Dropout > 0 && l < _layers.Length - 1)
            {
                // Inverted dropout: keep with probability 1−p and scale by 1/(1−p), so eval needs no change.
                dropMask = Tensor.ZerosLike(layerOut);
                _dropoutRng.FillBernoulli(dropMask, 1 - Options.Dropout);
                Device.Scale(1 / (1 - Options.Dropout), dropMask, dropMask);
                Device.Mul(layerOut, dropMask, layerOut);
            }
            cache.Layers[l] = new LayerCache(dirCaches, dropMask);
            layerInput = layerOut;
        }

        _cache = cache;
        Tensor output = layerInput;
        if (Options.BatchFirst)
        {
            output = Tensor.Zeros([batch, steps, Directions * OutputHiddenSize], DType, Device);
            Device.SwapLeadingDims(layerInput, output);
        }
        return new RecurrentResult(output, hN, cN);
    }

    /// <summary>One direction of one layer over time-first input [T, B, in]; lengths masks ended rows when given.</summary>
    private DirectionCache RunDirection(Direction w, Tensor input, Tensor? h0, Tensor? c0, Tensor? lengths)
    {
        int steps = input.Dim(0), batch = input.Dim(1), hidden = HiddenSize, outH = OutputHiddenSize;
        int gateWidth = GateCount * hidden;
        var dc = new DirectionCache
        {
            Input = input,
            Gates = Tensor.Zeros([steps, batch, Cell == CellKind.Gru ? 4 * hidden : gateWidth], DType, Device),
            H = Tensor.Zeros([steps + 1, batch, outH], DType, Device),
            C = Cell == CellKind.Lstm ? Tensor.Zeros([steps + 1, batch, hidden], DType, Device) : null,
            M = w.WeightHr is not null ? Tensor.Zeros([steps, batch, hidden], DType, Device) : null,
        };
        if (h0 is not null) Device.Copy(h0, dc.H[0]);
        if (c0 is not null) Device.Copy(c0, dc.C![0]);

        // The input projection of every step at once: [T·B, in] · W_ihᵀ → [T·B, G·H].
        Tensor projected = Cell == CellKind.Gru ? Tensor.Zeros([steps, batch, gateWidth], DType, Device) : dc.Gates;
        Tensor projected2 = projected.Reshape(steps * batch, gateWidth);
        Device.Gemm(input.Reshape(steps * batch, input.Dim(2)), false, w.WeightIh.Value, true, projected2);
        if (w.BiasIh is not null)
        {
            Device.AddBias(projected2, w.BiasIh.Value);
            if (Cell != CellKind.Gru) Device.AddBias(projected2, w.BiasHh!.Value); // GRU keeps b_hn inside r⊙(…)
        }
        Tensor? hg = Cell == CellKind.Gru ? Tensor.Zeros([batch, gateWidth], DType, Device) : null;
        Activation rnnAct = Options.Nonlinearity == Nonlinearity.Relu ? Activation.Relu : Activation.Tanh;

        for (int t = 0; t < steps; t++)
        {
            Tensor hPrev = dc.H[t], hNext = dc.H[t + 1];
            switch (Cell)
            {
                case CellKind.Rnn:
                {
                    Tensor g = dc.Gates[t];                                         // [B, H]
                    Device.Gemm(hPrev, false, w.WeightHh.Value, true, g, beta: 1);
                    Device.Activate(rnnAct, g, hNext);
                    break;
                }
                case CellKind.Lstm:
                {
                    Tensor g = dc.Gates[t];                                         // [B, 4H]
                    Device.Gemm(hPrev, false, w.WeightHh.Value, true, g, beta: 1);
                    if (dc.M is null) Device.LstmCellForward(g, dc.C![t], dc.C[t + 1], hNext);
                    else
                    {
                        Device.LstmCellForward(g, dc.C![t], dc.C[t + 1], dc.M[t]);
                        Device.Gemm(dc.M[t], false, w.WeightHr!.Value, true, hNext); // h = m · W_hrᵀ
                    }
                    if (lengths is not null) Device.MaskEndedRows(lengths, t, dc.C[t + 1], dc.C[t]);
                    break;
                }
                default:
                {
                    Device.Gemm(hPrev, false, w.WeightHh.Value, true, hg!);          // [B, 3H]
                    Device.GruCellForward(projected[t], hg!, w.BiasHh?.Value, hPrev, dc.Gates[t], hNext);
                    break;
                }
            }
            if (lengths is not null) Device.MaskEndedRows(lengths, t, hNext, hPrev); // an ended sequence keeps its state
        }

        // Outputs: the states of steps 1…T, zero past each sequence's end.
        dc.Output = dc.H.Narrow(1, steps);
        if (lengths is not null)
        {
            dc.Output = dc.Output.Clone();
            for (int t = 0; t < steps; t++) Device.MaskEndedRows(lengths, t, dc.Output[t]);
        }
        return dc;
    }

    // ---- backward ---------------------------------------------------------------------------------

    /// <summary>
    /// Backprop through time from dOutput (shaped like Output) and optionally dhN, dcN (shaped like HN, CN).
    /// Accumulates into every parameter's Grad and returns the gradients of x, h0 and c0.
    /// </summary>
    public RecurrentGradients Backward(Tensor dOutput, Tensor? dhN = null, Tensor? dcN = null)
    {
        var cache = _cache ?? throw new InvalidOperationException("Backward needs a Forward first");
        int steps = cache.Steps, batch = cache.Batch, stateRows = NumLayers * Directions;
        CheckInput(dOutput, nameof(dOutput));
        int[] expected = Options.BatchFirst ? [batch, steps, Directions * OutputHiddenSize] : [steps, batch, Directions * OutputHiddenSize];
        if (!dOutput.Shape.SequenceEqual(expected))
            throw new ArgumentException($"dOutput must have the output's shape {Tensor.ShapeString(expected)}; got {dOutput.ShapeText}", nameof(dOutput));
        CheckState(dhN, nameof(dhN), stateRows, batch, OutputHiddenSize);
        if (dcN is not null && Cell != CellKind.Lstm) throw new ArgumentException("dcN is for LSTM only", nameof(dcN));
        CheckState(dcN, nameof(dcN), stateRows, batch, HiddenSize);

        Tensor dLayerOut = dOutput;
        if (Options.BatchFirst)
        {
            dLayerOut = Tensor.Zeros([steps, batch, Directions * OutputHiddenSize], DType, Device);
            Device.SwapLeadingDims(dOutput, dLayerOut);
        }
        var dh0 = Tensor.Zeros([stateRows, batch, OutputHiddenSize], DType, Device);
        Tensor? dc0 = Cell == CellKind.Lstm ? Tensor.Zeros([stateRows, batch, HiddenSize], DType, Device) : null;
        Tensor? fullLengths = Directions == 2 ? cache.Lengths ?? FullLengths(steps, batch) : null;

        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = cache.Layers[l]!;
            if (layer.DropMask is not null)
            {
                var masked = Tensor.ZerosLike(dLayerOut);
                Device.Mul(dLayerOut, layer.DropMask, masked);
                dLayerOut = masked;
            }
            int inWidth = l == 0 ? InputSize : Directions * OutputHiddenSize;
            var dLayerIn = Tensor.Zeros([steps, batch, inWidth], DType, Device);
            for (int d = 0; d < Directions; d++)
            {
                Direction w = _layers[l][d];
                int row = l * Directions + d;
                Tensor dY = dLayerOut;
                if (Directions == 2)
                {
                    dY = Tensor.Zeros([steps, batch, OutputHiddenSize], DType, Device);
                    Device.CopyFromColumns(dLayerOut, d * OutputHiddenSize, dY);
                }
                if (w.Reverse)
                {
                    var reversed = Tensor.ZerosLike(dY);
                    Device.ReverseSequences(dY, fullLengths!, reversed);
                    dY = reversed;
                }
                Tensor dX = BackwardDirection(w, layer.Directions[d], dY, dhN?[row], dcN?[row], dh0[row], dc0?[row],
                    cache.Lengths);
                if (w.Reverse)
                {
                    var back = Tensor.ZerosLike(dX);
                    Device.ReverseSequences(dX, fullLengths!, back);
                    dX = back;
                }
                Device.Add(dLayerIn, dX, dLayerIn);
            }
            dLayerOut = dLayerIn;
        }

        Tensor dInput = dLayerOut;
        if (Options.BatchFirst)
        {
            dInput = Tensor.Zeros([batch, steps, InputSize], DType, Device);
            Device.SwapLeadingDims(dLayerOut, dInput);
        }
        return new RecurrentGradients(dInput, dh0, dc0);
    }

    /// <summary>BPTT through one direction: writes dh0/dc0 rows, accumulates parameter gradients, returns dX [T, B, in].</summary>
    private Tensor BackwardDirection(Direction w, DirectionCache saved, Tensor dY, Tensor? dhN, Tensor? dcN, Tensor dh0, Tensor? dc0, Tensor? lengths)
    {
        int steps = saved.Input.Dim(0), batch = saved.Input.Dim(1), hidden = HiddenSize, outH = OutputHiddenSize;
        int gateWidth = GateCount * hidden;
        var dh = Tensor.Zeros([batch, outH], DType, Device);      // gradient reaching h_t
        var dhPrev = Tensor.Zeros([batch, outH], DType, Device);
        var dYStep = lengths is not null ? Tensor.Zeros([batch, outH], DType, Device) : null;
        if (dhN is not null) Device.Copy(dhN, dh);
        Tensor? dc = null, dcPrev = null, dm = null, dHStep = null;
        if (Cell == CellKind.Lstm)
        {
            dc = Tensor.Zeros([batch, hidden], DType, Device);
            dcPrev = Tensor.Zeros([batch, hidden], DType, Device);
            if (dcN is not null) Device.Copy(dcN, dc);
            if (saved.M is not null)
            {
                dm = Tensor.Zeros([batch, hidden], DType, Device);
                dHStep = Tensor.Zeros([steps, batch, outH], DType, Device); // dh_t of each step, for dW_hr
            }
        }
        var dGates = Tensor.Zeros([steps, batch, gateWidth], DType, Device);                          // input-side pre-activation grads
        Tensor? dHg = Cell == CellKind.Gru ? Tensor.Zeros([steps, batch, gateWidth], DType, Device) : null; // GRU: hidden-side
        Activation rnnAct = Options.Nonlinearity == Nonlinearity.Relu ? Activation.Relu : Activation.Tanh;

        for (int t = steps - 1; t >= 0; t--)
        {
            // dh_t += dY_t, but padding outputs were constants: their gradient goes nowhere.
            if (dYStep is null) Device.Add(dh, dY[t], dh);
            else
            {
                Device.Copy(dY[t], dYStep);
                Device.MaskEndedRows(lengths!, t, dYStep);
                Device.Add(dh, dYStep, dh);
            }
            Tensor dG = dGates[t];
            switch (Cell)
            {
                case CellKind.Rnn:
                    Device.ActivateBackward(rnnAct, saved.H[t + 1], dh, dG);
                    if (lengths is not null) Device.MaskEndedRows(lengths, t, dG);
                    Device.Gemm(dG, false, w.WeightHh.Value, false, dhPrev);
                    break;
                case CellKind.Lstm:
                {
                    Tensor dIntoCell = dh;
                    if (dm is not null)
                    {
                        Device.Copy(dh, dHStep![t]);
                        if (lengths is not null) Device.MaskEndedRows(lengths, t, dHStep[t]);
                        Device.Gemm(dh, false, w.WeightHr!.Value, false, dm);     // dm = dh · W_hr
                        dIntoCell = dm;
                    }
                    Device.LstmCellBackward(saved.Gates[t], saved.C![t], saved.C[t + 1], dIntoCell, dc!, dG, dcPrev!);
                    if (lengths is not null)
                    {
                        Device.MaskEndedRows(lengths, t, dG);
                        Device.MaskEndedRows(lengths, t, dcPrev!, dc);               // an ended row passes dc straight back
                    }
                    Device.Gemm(dG, false, w.WeightHh.Value, false, dhPrev);
                    (dc, dcPrev) = (dcPrev, dc);
                    break;
                }
                default:
                {
                    Tensor dHgT = dHg![t];
                    Device.GruCellBackward(saved.Gates[t], saved.H[t], dh, dG, dHgT, dhPrev);
                    if (lengths is not null)
                    {
                        Device.MaskEndedRows(lengths, t, dG);
                        Device.MaskEndedRows(lengths, t, dHgT);
                    }
                    Device.Gemm(dHgT, false, w.WeightHh.Value, false, dhPrev, beta: 1);
                    break;
                }
            }
            if (lengths is not null) Device.MaskEndedRows(lengths, t, dhPrev, dh);  // an ended row passes dh straight back
            (dh, dhPrev) = (dhPrev, dh);
        }
        Device.Copy(dh, dh0);
        if (dc0 is not null) Device.Copy(dc!, dc0);

        // Weight gradients for all steps at once.
        Tensor inputs2 = saved.Input.Reshape(steps * batch, saved.Input.Dim(2));
        Tensor dIn2 = dGates.Reshape(steps * batch, gateWidth);
        Tensor dHid2 = (dHg ?? dGates).Reshape(steps * batch, gateWidth);
        Device.Gemm(dIn2, true, inputs2, false, w.WeightIh.Grad, beta: 1);                                   // [G·H, in]
        Device.Gemm(dHid2, true, saved.H.Narrow(0, steps).Reshape(steps * batch, outH), false, w.WeightHh.Grad, beta: 1); // [G·H, H_out]
        if (w.BiasIh is not null)
        {
            Device.SumOverRows(dIn2, w.BiasIh.Grad, accumulate: true);
            Device.SumOverRows(dHid2, w.BiasHh!.Grad, accumulate: true);
        }
        if (dHStep is not null)
            Device.Gemm(dHStep.Reshape(steps * batch, outH), true, saved.M!.Reshape(steps * batch, hidden), false, w.WeightHr!.Grad, beta: 1);
        var dX = Tensor.Zeros([steps, batch, saved.Input.Dim(2)], DType, Device);
        Device.Gemm(dIn2, false, w.WeightIh.Value, false, dX.Reshape(steps * batch, saved.Input.Dim(2)));
        return dX;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private void CheckState(Tensor? state, string name, int rows, int batch, int width)
    {
        if (state is null) return;
        CheckInput(state, name);
        if (state.Rank != 3 || state.Dim(0) != rows || state.Dim(1) != batch || state.Dim(2) != width)
            throw new ArgumentException($"{name} must have shape [{rows}, {batch}, {width}] (layers·directions, batch, hidden); got {state.ShapeText}", name);
    }

    private Tensor? LengthsTensor(int[]? lengths, int steps, int batch)
    {
        if (lengths is null) return null;
        if (lengths.Length != batch)
            throw new ArgumentException($"lengths must have one entry per batch element ({batch}); got {lengths.Length}", nameof(lengths));
        for (int b = 0; b < batch; b++)
            if (lengths[b] < 1 || lengths[b] > steps)
                throw new ArgumentException($"lengths[{b}] = {lengths[b]} must be in [1, {steps}] (the sequence length T)", nameof(lengths));
        return Tensor.From<int>(lengths, [batch], Device);
    }

    private Tensor FullLengths(int steps, int batch) => Tensor.From<int>(Enumerable.Repeat(steps, batch).ToArray(), [batch], Device);

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

    private sealed class DirectionCache
    {
        public required Tensor Input { get; init; }  // [T, B, in], time order of this direction
        public required Tensor Gates { get; init; }  // [T, B, G·H] activations (RNN: pre-activations; GRU: [T, B, 4H] r, z, n, hn)
        public required Tensor H { get; init; }      // [T+1, B, H_out]; H[0] = h0
        public Tensor? C { get; init; }              // [T+1, B, H] (LSTM)
        public Tensor? M { get; init; }              // [T, B, H] o⊙tanh(c) before the projection
        public Tensor Output { get; set; } = null!;  // [T, B, H_out], zero past each length
    }

    private sealed record LayerCache(DirectionCache[] Directions, Tensor? DropMask);

    private sealed class ForwardCache(int steps, int batch, Tensor? lengths, int layers)
    {
        public int Steps { get; } = steps;
        public int Batch { get; } = batch;
        public Tensor? Lengths { get; } = lengths;
        public LayerCache?[] Layers { get; } = new LayerCache?[layers];
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
