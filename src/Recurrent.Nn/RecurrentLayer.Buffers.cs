// What a recurrent layer keeps between forward and backward: weights per direction and reusable per-(T, B) buffers.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public abstract partial class RecurrentLayer
{
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
            States = H.All.Narrow(1, steps);
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
            DX = layer.Directions == 2 ? new Sequence(steps, batch, inputWidth, dt, dev) : null; // one direction writes dX in place
            BiasGrad = Tensor.Zeros([gateWidth], dt, dev);
            BiasSum = Tensor.Zeros([gateWidth], dt, dev);
        }

        public int Steps { get; }
        public Tensor? Input { get; set; }      // [T, B, in] this direction read (time order of the direction)
        public Sequence? Reversed { get; }      // reverse direction: its input reversed per sequence; backward: dX put back in time
        public Tensor? OutputInTime { get; }    // reverse direction: output put back in time; backward: this direction's dY block
        public Sequence Gates { get; }          // [T, B, G·H] activations (RNN: pre-activations; GRU: [T, B, 4H] r, z, n, hn)
        public Sequence? Projected { get; }     // GRU: x·W_ihᵀ + b_ih, [T, B, 3H]
        public Sequence H { get; }              // [T+1, B, H_out]; H[0] = h0
        public Tensor States { get; }           // [T, B, H_out] view of H[1..T]: the output when no sequence ends early
        public Sequence? C { get; }             // [T+1, B, H] (LSTM)
        public Sequence? M { get; }             // [T, B, H] o⊙tanh(c) before the projection
        public Tensor? Hg { get; }              // GRU: h·W_hhᵀ of the current step, [B, 3H]
        public Sequence Output { get; }         // [T, B, H_out], the states zeroed past each length (with lengths only)

        public Sequence DY { get; }             // gradient reaching this direction's outputs
        public Tensor Dh { get; }
        public Tensor DhPrev { get; }
        public Tensor? Dc { get; }
        public Tensor? DcPrev { get; }
        public Tensor? Dm { get; }
        public Sequence? DHStep { get; }        // dh_t of every step, for dW_hr
        public Sequence DGates { get; }         // input-side pre-activation gradients
        public Sequence? DHg { get; }           // GRU: hidden-side pre-activation gradients
        public Sequence? DX { get; }           // two directions: this one's dX, before the two are summed
        public Tensor BiasGrad { get; }         // [G·H] this backward's bias gradient, added to both biases
        public Tensor BiasSum { get; }          // [G·H] b_ih + b_hh of this forward (RNN, LSTM)
        public PreparedWeight? HhForward { get; set; }  // W_hhᵀ prepared for the forward time loop (refreshed every Forward)
        public PreparedWeight? IhForward { get; set; }  // W_ihᵀ prepared when the device projects the input inside its time loop
        public PreparedWeight? HhBackward { get; set; } // W_hh prepared for the backward time loop (refreshed every Backward)

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

    private sealed class LayerBuffers(DirectionBuffers[] directions, Tensor? output, Tensor? dropMask, Tensor? dOutput)
    {
        public DirectionBuffers[] Directions { get; } = directions;
        public Tensor? Output { get; } = output;     // [T, B, D·H_out], null for the last layer (its output is returned)
        public Tensor? DropMask { get; } = dropMask;
        public bool DropoutActive { get; set; }
        public Tensor? DOutput { get; } = dOutput;  // two directions: the gradient reaching this layer's output
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
            DInputFlat = DInput.Reshape(steps * batch, layer.InputSize);
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
                    layer.Directions == 2 ? Tensor.Zeros([steps, batch, width], dt, dev) : null);
            }
            MakeOutput = () => layer.MaterializeOutput(this);
            _full = Tensor.From<int>(Enumerable.Repeat(steps, batch).ToArray(), [batch], dev);
            _given = Tensor.Zeros([batch], DType.Int32, dev);
        }

        private readonly Tensor _full, _given;

        public int Steps { get; }
        public int Batch { get; }
        public bool ForwardDone { get; set; }
        public Tensor? Input { get; }           // time-first copy of a batch-first input
        public Tensor DInput { get; }
        public Tensor DInputFlat { get; }       // [T·B, I] view of DInput
        public LayerBuffers[] Layers { get; }

        /// <summary>The last layer's output of the latest Forward, [T, B, D·H_out]: Output (two directions), or a one-direction
        /// layer's states or masked output.</summary>
        public Tensor? OutputSource { get; set; }

        /// <summary>Writes and returns the result's Output from <see cref="OutputSource"/>: made once, so a Forward allocates no delegate.</summary>
        public Func<Tensor> MakeOutput { get; }

        // What Forward and Backward return, reused call after call.
        public Tensor Output { get; }             // [T, B, D·H_out], the last layer's output (time-first)
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
