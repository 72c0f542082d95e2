// The CPU device's whole LSTM and RNN time steps: batch rows split over threads, each thread running the product and the cell on its own rows.
namespace Recurrent.Tensors.Cpu;

public sealed partial class CpuDevice
{
    // Why rows: split separately, the product of a step splits C by column panels and the cell by batch rows, so every
    // step each core read half of its cell's gates from the other core's cache, and paid two pool hand-offs. One job per
    // step over row blocks keeps a row's gates, c and h on one core for the whole sequence. SmallGemm computes each
    // element of C by the same fused multiply-add chain whatever the rows around it, and cell rows are independent, so
    // the numbers are the unsplit ones, bit for bit.

    protected override void LstmStepForwardCore(Tensor hPrev, PreparedWeight weightHh, Tensor gates, Tensor cPrev, Tensor c, Tensor h, int batch, int hidden)
    {
        int parts = StepParts(gates.DType, weightHh, batch);
        if (parts <= 1)
        {
            base.LstmStepForwardCore(hPrev, weightHh, gates, cPrev, c, h, batch, hidden);
            return;
        }
        var packed = (PackedWeight)weightHh;
        unsafe
        {
            fixed (float* hp = hPrev.AsSpan<float>(), w = packed.Floats, g = gates.AsSpan<float>(), cp = cPrev.AsSpan<float>(), cn = c.AsSpan<float>(), hn = h.AsSpan<float>())
            {
                var job = new LstmForwardStepRows
                {
                    HPrev = hp, Packed = w, PackedLength = packed.Floats!.Length, Gates = g, CPrev = cp, C = cn, H = hn,
                    Batch = batch, Hidden = hidden, K = packed.K, Parts = parts, Level = Simd, CellLevel = SimdCellKernels.Effective<float>(Simd),
                };
                RunParts(ref job, parts);
            }
        }
    }

    protected override void LstmStepBackwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal,
        PreparedWeight weightHh, Tensor dhPrev, int batch, int hidden)
    {
        int parts = StepParts(gates.DType, weightHh, batch);
        if (parts <= 1)
        {
            base.LstmStepBackwardCore(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, weightHh, dhPrev, batch, hidden);
            return;
        }
        var packed = (PackedWeight)weightHh;
        unsafe
        {
            fixed (float* g = gates.AsSpan<float>(), cp = cPrev.AsSpan<float>(), cn = c.AsSpan<float>(), dhp = dh.AsSpan<float>(), dcn = dcNext.AsSpan<float>(),
                   dg = dGates.AsSpan<float>(), dcp = dcPrev.AsSpan<float>(), dct = dcTotal is null ? default : dcTotal.AsSpan<float>(),
                   w = packed.Floats, dhPrevP = dhPrev.AsSpan<float>())
            {
                var job = new LstmBackwardStepRows
                {
                    Gates = g, CPrev = cp, C = cn, Dh = dhp, DcNext = dcn, DGates = dg, DcPrev = dcp, DcTotal = dcTotal is null ? null : dct,
                    Packed = w, PackedLength = packed.Floats!.Length, DhPrev = dhPrevP,
                    Batch = batch, Hidden = hidden, N = packed.N, Parts = parts, Level = Simd, CellLevel = SimdCellKernels.Effective<float>(Simd),
                };
                RunParts(ref job, parts);
            }
        }
    }

    protected override void RnnStepForwardCore(Activation f, Tensor hPrev, PreparedWeight weightHh, Tensor gates, Tensor h, int batch)
    {
        // Float tanh takes the cells' function (one row at a time, so any split gives the same bits); other cases, and
        // weights the CPU did not pack, run the default.
        SimdLevel cellLevel = SimdCellKernels.Effective<float>(Simd);
        if (gates.DType != DType.Float32 || weightHh is not PackedWeight { Floats: not null } packed || f is not (Activation.Tanh or Activation.Relu))
        {
            base.RnnStepForwardCore(f, hPrev, weightHh, gates, h, batch);
            return;
        }
        int parts = Math.Max(1, StepParts(gates.DType, weightHh, batch));
        unsafe
        {
            fixed (float* hp = hPrev.AsSpan<float>(), w = packed.Floats, g = gates.AsSpan<float>(), hn = h.AsSpan<float>())
            {
                var job = new RnnForwardStepRows
                {
                    HPrev = hp, Packed = w, PackedLength = packed.Floats!.Length, Gates = g, H = hn, Batch = batch, Hidden = packed.N, K = packed.K,
                    Parts = parts, Relu = f == Activation.Relu, Level = Simd, CellLevel = cellLevel,
                };
                RunParts(ref job, parts);
            }
        }
    }

    /// <summary>The variable-length RNN step computes its float tanh with the same function as <see cref="RnnStepForwardCore"/>,
    /// so a batch whose sequences all run to T gives the bits it gives without lengths.</summary>
    protected override void RnnCellForwardMaskedCore(Activation f, Tensor pre, Tensor hPrev, Tensor h, Tensor lengths, int t)
    {
        if (f != Activation.Tanh || pre.DType != DType.Float32)
        {
            base.RnnCellForwardMaskedCore(f, pre, hPrev, h, lengths, t);
            return;
        }
        SimdCellKernels.RnnTanh<float>(pre.AsSpan<float>(), h.AsSpan<float>(), pre.Dim(0), pre.Dim(1), SimdCellKernels.Effective<float>(Simd));
        MaskEndedRows(lengths, t, h, hPrev);
    }

    protected override void RnnStepBackwardCore(Activation f, Tensor h, Tensor dh, Tensor dGates, PreparedWeight weightHh, Tensor dhPrev, int batch)
    {
        if (h.DType != DType.Float32 || weightHh is not PackedWeight { Floats: not null } packed || f is not (Activation.Tanh or Activation.Relu))
        {
            base.RnnStepBackwardCore(f, h, dh, dGates, weightHh, dhPrev, batch);
            return;
        }
        // One part runs the same job on this thread: the activation's gradient and the product per row block, as the split does.
        int parts = Math.Max(1, StepParts(h.DType, weightHh, batch));
        unsafe
        {
            fixed (float* hn = h.AsSpan<float>(), dhp = dh.AsSpan<float>(), dg = dGates.AsSpan<float>(), w = packed.Floats, dhPrevP = dhPrev.AsSpan<float>())
            {
                var job = new RnnBackwardStepRows
                {
                    H = hn, Dh = dhp, DGates = dg, Packed = w, PackedLength = packed.Floats!.Length, DhPrev = dhPrevP,
                    Batch = batch, Hidden = packed.K, N = packed.N, Parts = parts, Relu = f == Activation.Relu, Level = Simd,
                };
                RunParts(ref job, parts);
            }
        }
    }

    // Whole sequences: each thread takes its rows through every step, so there is one hand-off per sequence instead of one
    // per step, and a row's gates, states and gradients never leave its core. Same kernels on the same rows as the steps
    // above: the same bits.

    public override bool RunsWholeSequences => true;

    protected override void LstmForwardSequenceCore(PreparedWeight weightHh, Tensor gates, Tensor h, Tensor c, int steps,
        Tensor? x, PreparedWeight? weightIh, Tensor? bias)
    {
        int batch = gates.Dim(1), hidden = c.Dim(2);
        int parts = Math.Max(1, StepParts(gates.DType, weightHh, batch)); // one part: the same job on this thread, no view per step
        if (gates.DType != DType.Float32 || weightHh is not PackedWeight { Floats: not null } || steps == 0
            || (x is not null && weightIh is not PackedWeight { Floats: not null }))
        {
            base.LstmForwardSequenceCore(weightHh, gates, h, c, steps, x, weightIh, bias);
            return;
        }
        var packed = (PackedWeight)weightHh;
        var packedIh = weightIh as PackedWeight;
        unsafe
        {
            fixed (float* g = gates.AsSpan<float>(), hp = h.AsSpan<float>(), cp = c.AsSpan<float>(), w = packed.Floats,
                   xp = x is null ? default : x.AsSpan<float>(), wi = packedIh is null ? null : packedIh.Floats, bp = bias is null ? default : bias.AsSpan<float>())
            {
                var job = new LstmForwardSequenceRows
                {
                    Gates = g, H = hp, C = cp, Packed = w, PackedLength = packed.Floats!.Length, Steps = steps, Batch = batch, Hidden = hidden,
                    Parts = parts, Level = Simd, CellLevel = SimdCellKernels.Effective<float>(Simd),
                    X = x is null ? null : xp, Inputs = x is null ? 0 : x.Dim(2), PackedIh = wi, PackedIhLength = packedIh?.Floats!.Length ?? 0,
                    Bias = bias is null ? null : bp,
                };
                RunParts(ref job, parts);
            }
        }
    }

    protected override void LstmBackwardSequenceCore(Tensor gates, Tensor c, Tensor dy, PreparedWeight weightHh, Tensor dGates,
        Tensor dh, Tensor dc, Tensor dhScratch, Tensor dcScratch, int steps)
    {
        int batch = gates.Dim(1), hidden = c.Dim(2);
        int parts = Math.Max(1, StepParts(gates.DType, weightHh, batch));
        if (gates.DType != DType.Float32 || weightHh is not PackedWeight { Floats: not null } || steps == 0)
        {
            base.LstmBackwardSequenceCore(gates, c, dy, weightHh, dGates, dh, dc, dhScratch, dcScratch, steps);
            return;
        }
        var packed = (PackedWeight)weightHh;
        unsafe
        {
            fixed (float* g = gates.AsSpan<float>(), cp = c.AsSpan<float>(), dyp = dy.AsSpan<float>(), w = packed.Floats, dg = dGates.AsSpan<float>(),
                   dhp = dh.AsSpan<float>(), dcp = dc.AsSpan<float>(), dhs = dhScratch.AsSpan<float>(), dcs = dcScratch.AsSpan<float>())
            {
                var job = new LstmBackwardSequenceRows
                {
                    Gates = g, C = cp, Dy = dyp, Packed = w, PackedLength = packed.Floats!.Length, DGates = dg, Dh = dhp, Dc = dcp, DhScratch = dhs, DcScratch = dcs,
                    Steps = steps, Batch = batch, Hidden = hidden, Parts = parts, Level = Simd, CellLevel = SimdCellKernels.Effective<float>(Simd),
                };
                RunParts(ref job, parts);
            }
        }
    }

    /// <summary>Rows [b0, b1) through every forward step: gates[t] += h[t]·W_hhᵀ, then the cell to c[t+1], h[t+1].</summary>
    private unsafe struct LstmForwardSequenceRows : IParallelWork
    {
        public float* Gates, H, C, Packed, X, PackedIh, Bias;
        public int PackedLength, PackedIhLength, Steps, Batch, Hidden, Inputs, Parts;
        public SimdLevel Level, CellLevel;

        public readonly void Execute(int part)
        {
            if (!RowBlock(Batch, part, Parts, out int b0, out int rows)) return;
            int g4 = 4 * Hidden;
            var packed = new ReadOnlySpan<float>(Packed, PackedLength);
            for (int t = 0; t < Steps; t++)
            {
                nint state = ((nint)t * Batch + b0) * Hidden, next = state + (nint)Batch * Hidden;
                var gates = new Span<float>(Gates + ((nint)t * Batch + b0) * g4, rows * g4);
                if (X != null)
                {
                    // This step's input projection for these rows, while they are in this core's cache.
                    SmallGemm.Run(rows, g4, Inputs, 1f, new ReadOnlySpan<float>(X + ((nint)t * Batch + b0) * Inputs, rows * Inputs), Inputs,
                        new ReadOnlySpan<float>(PackedIh, PackedIhLength), 0f, gates, g4, Level);
                    if (Bias != null) CpuKernels.AddBias<float>(gates, rows, g4, new ReadOnlySpan<float>(Bias, g4), Level);
                }
                ForwardRows(H + state, Gates + 4 * state, C + state, C + next, H + next, packed, rows, Hidden, Level, CellLevel);
            }
        }
    }

    /// <summary>Rows [b0, b1) through every backward step, t = T−1 … 0: dh += dy[t], the cell, dh = dGates[t]·W_hh.</summary>
    private unsafe struct LstmBackwardSequenceRows : IParallelWork
    {
        public float* Gates, C, Dy, Packed, DGates, Dh, Dc, DhScratch, DcScratch;
        public int PackedLength, Steps, Batch, Hidden, Parts;
        public SimdLevel Level, CellLevel;

        public readonly void Execute(int part)
        {
            if (!RowBlock(Batch, part, Parts, out int b0, out int rows)) return;
            int n = rows * Hidden;
            var packed = new ReadOnlySpan<float>(Packed, PackedLength);
            float* dhNow = Dh + (nint)b0 * Hidden, dhNext = DhScratch + (nint)b0 * Hidden, dcNow = Dc + (nint)b0 * Hidden, dcNext = DcScratch + (nint)b0 * Hidden;
            for (int t = Steps - 1; t >= 0; t--)
            {
                nint state = ((nint)t * Batch + b0) * Hidden, next = state + (nint)Batch * Hidden;
                var dh = new Span<float>(dhNow, n);
                CpuKernels.Add<float>(dh, new ReadOnlySpan<float>(Dy + state, n), dh, Level);
                BackwardRows(Gates + 4 * state, C + state, C + next, dhNow, dcNow, DGates + 4 * state, dcNext, null, packed, dhNext, rows, Hidden, Level, CellLevel);
                float* swap = dhNow; dhNow = dhNext; dhNext = swap;   // pointers cannot go through a tuple swap
                swap = dcNow; dcNow = dcNext; dcNext = swap;
            }
            if (dhNow != Dh + (nint)b0 * Hidden)
            {
                new Span<float>(dhNow, n).CopyTo(new Span<float>(Dh + (nint)b0 * Hidden, n));
                new Span<float>(dcNow, n).CopyTo(new Span<float>(Dc + (nint)b0 * Hidden, n));
            }
        }
    }

    /// <summary>One LSTM forward step for <paramref name="rows"/> batch rows (pointers at their first row): gates += hPrev·W_hhᵀ
    /// (packed, K = H), then the cell. The body of every forward job here, per step or per sequence.</summary>
    private static unsafe void ForwardRows(float* hPrev, float* gates, float* cPrev, float* c, float* h, ReadOnlySpan<float> packed,
        int rows, int hidden, SimdLevel level, SimdLevel cellLevel)
    {
        int g4 = 4 * hidden, n = rows * hidden;
        var g = new Span<float>(gates, rows * g4);
        SmallGemm.Run(rows, g4, hidden, 1f, new ReadOnlySpan<float>(hPrev, n), hidden, packed, 1f, g, g4, level);
        SimdCellKernels.LstmForward<float>(g, new ReadOnlySpan<float>(cPrev, n), new Span<float>(c, n), new Span<float>(h, n), rows, hidden, cellLevel);
    }

    /// <summary>One LSTM backward step for <paramref name="rows"/> batch rows: the cell (dcTotal may be null), then
    /// dhPrev = dGates·W_hh (packed untransposed). The body of every backward job here.</summary>
    private static unsafe void BackwardRows(float* gates, float* cPrev, float* c, float* dh, float* dcNext, float* dGates, float* dcPrev,
        float* dcTotal, ReadOnlySpan<float> packed, float* dhPrev, int rows, int hidden, SimdLevel level, SimdLevel cellLevel)
    {
        int g4 = 4 * hidden, n = rows * hidden;
        var dg = new Span<float>(dGates, rows * g4);
        SimdCellKernels.LstmBackward<float>(new ReadOnlySpan<float>(gates, rows * g4), new ReadOnlySpan<float>(cPrev, n), new ReadOnlySpan<float>(c, n),
            new ReadOnlySpan<float>(dh, n), new ReadOnlySpan<float>(dcNext, n), dg, new Span<float>(dcPrev, n),
            dcTotal == null ? default : new Span<float>(dcTotal, n), rows, hidden, cellLevel);
        SmallGemm.Run(rows, hidden, g4, 1f, dg, g4, packed, 0f, new Span<float>(dhPrev, n), hidden, level);
    }

    /// <summary>Part p's batch rows [b0, b0 + rows) of <paramref name="parts"/> near-equal blocks; false when it has none.</summary>
    private static bool RowBlock(int batch, int part, int parts, out int b0, out int rows)
    {
        b0 = batch * part / parts;
        rows = batch * (part + 1) / parts - b0;
        return rows > 0;
    }

    /// <summary>Row blocks for a step: one per thread once the step's product is worth splitting (as the product alone would
    /// be); 1 means the unsplit default, as for double (gradient checks) and weights prepared elsewhere.</summary>
    private int StepParts(DType dtype, PreparedWeight weightHh, int batch)
    {
        if (Threads <= 1 || dtype != DType.Float32 || weightHh is not PackedWeight { Floats: not null }) return 1;
        if ((long)batch * weightHh.K * weightHh.N < Recurrent.Tensors.Cpu.Gemm.ParallelThreshold) return 1;
        return Math.Min(Threads, batch / 4); // at least one 4-row group of the product's kernel per thread
    }

    /// <summary>Rows [b0, b1) of one forward step: gates += hPrev·W_hhᵀ, then the cell.</summary>
    private unsafe struct LstmForwardStepRows : IParallelWork
    {
        public float* HPrev, Packed, Gates, CPrev, C, H;
        public int PackedLength, Batch, Hidden, K, Parts;
        public SimdLevel Level, CellLevel;

        public readonly void Execute(int part)
        {
            if (!RowBlock(Batch, part, Parts, out int b0, out int rows)) return;
            nint s = (nint)b0 * Hidden;
            ForwardRows(HPrev + s, Gates + 4 * s, CPrev + s, C + s, H + s, new ReadOnlySpan<float>(Packed, PackedLength), rows, Hidden, Level, CellLevel);
        }
    }

    /// <summary>Rows [b0, b1) of one backward step: the cell, then dhPrev = dGates·W_hh.</summary>
    private unsafe struct LstmBackwardStepRows : IParallelWork
    {
        public float* Gates, CPrev, C, Dh, DcNext, DGates, DcPrev, DcTotal, Packed, DhPrev;
        public int PackedLength, Batch, Hidden, N, Parts;
        public SimdLevel Level, CellLevel;

        public readonly void Execute(int part)
        {
            if (!RowBlock(Batch, part, Parts, out int b0, out int rows)) return;
            nint s = (nint)b0 * Hidden;
            BackwardRows(Gates + 4 * s, CPrev + s, C + s, Dh + s, DcNext + s, DGates + 4 * s, DcPrev + s, DcTotal == null ? null : DcTotal + s,
                new ReadOnlySpan<float>(Packed, PackedLength), DhPrev + s, rows, Hidden, Level, CellLevel);
        }
    }

    /// <summary>Rows [b0, b1) of one RNN forward step: gates += hPrev·W_hhᵀ, then h = tanh or relu of them.</summary>
    private unsafe struct RnnForwardStepRows : IParallelWork
    {
        public float* HPrev, Packed, Gates, H;
        public int PackedLength, Batch, Hidden, K, Parts;
        public bool Relu;
        public SimdLevel Level, CellLevel;

        public readonly void Execute(int part)
        {
            if (!RowBlock(Batch, part, Parts, out int b0, out int rows)) return;
            int n = rows * Hidden;
            var gates = new Span<float>(Gates + (nint)b0 * Hidden, n);
            SmallGemm.Run(rows, Hidden, K, 1f, new ReadOnlySpan<float>(HPrev + (nint)b0 * K, rows * K), K,
                new ReadOnlySpan<float>(Packed, PackedLength), 1f, gates, Hidden, Level);
            var h = new Span<float>(H + (nint)b0 * Hidden, n);
            if (Relu) CpuKernels.Relu<float>(gates, h, Level);
            else SimdCellKernels.RnnTanh<float>(gates, h, rows, Hidden, CellLevel);
        }
    }

    /// <summary>Rows [b0, b1) of one RNN backward step: dGates = dh ⊙ f′(h), then dhPrev = dGates·W_hh.</summary>
    private unsafe struct RnnBackwardStepRows : IParallelWork
    {
        public float* H, Dh, DGates, Packed, DhPrev;
        public int PackedLength, Batch, Hidden, N, Parts;
        public bool Relu;
        public SimdLevel Level;

        public readonly void Execute(int part)
        {
            if (!RowBlock(Batch, part, Parts, out int b0, out int rows)) return;
            int n = rows * Hidden;
            var h = new ReadOnlySpan<float>(H + (nint)b0 * Hidden, n);
            var dh = new ReadOnlySpan<float>(Dh + (nint)b0 * Hidden, n);
            var dGates = new Span<float>(DGates + (nint)b0 * Hidden, n);
            if (Relu) CpuKernels.ReluBackward<float>(h, dh, dGates, Level);
            else CpuKernels.TanhBackward<float>(h, dh, dGates, Level);
            SmallGemm.Run(rows, N, Hidden, 1f, dGates, Hidden, new ReadOnlySpan<float>(Packed, PackedLength), 0f,
                new Span<float>(DhPrev + (nint)b0 * N, rows * N), N, Level);
        }
    }
}
