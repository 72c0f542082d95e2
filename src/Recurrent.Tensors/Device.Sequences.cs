// A whole LSTM time loop as one call: batch rows are independent through time, so a device may give each thread its rows for every step.
namespace Recurrent.Tensors;

public abstract partial class Device
{
    /// <summary>
    /// The forward time loop of one LSTM direction without lengths or projection: for t = 0 … T−1,
    /// gates[t] += h[t]·op(W_hh), then the cell from c[t] to c[t+1] and h[t+1] (<see cref="LstmStepForward"/>).
    /// h and c: [T+1, B, H] with h0 and c0 in step 0; gates: [T, B, 4H] holding the input projections (and biases),
    /// overwritten with the activations. The default is that loop of steps; the CPU device runs each thread's batch rows
    /// through all T steps without meeting the other threads (rows never mix in an LSTM), one hand-off per sequence.
    /// </summary>
    /// <remarks>With <paramref name="x"/> [T, B, I] and <paramref name="weightIh"/> (W_ih [4H, I] prepared transposed), gates
    /// is output only: each step first computes gates[t] = x[t]·W_ihᵀ (+ <paramref name="bias"/> [4H]), which the CPU device
    /// does per thread and per step, while the rows are in its cache, instead of as one GEMM over all steps beforehand.</remarks>
    public void LstmForwardSequence(PreparedWeight weightHh, Tensor gates, Tensor h, Tensor c, Tensor? x = null, PreparedWeight? weightIh = null, Tensor? bias = null)
    {
        int steps = CheckLstmSequence(weightHh, transposedWeight: true, gates, h, nameof(h), extraStateSteps: 1, c);
        if (x is not null)
        {
            ArgumentNullException.ThrowIfNull(weightIh);
            CheckSame(gates, x, nameof(x));
            if (x.Rank != 3 || x.Dim(0) != steps || x.Dim(1) != gates.Dim(1))
                throw new ArgumentException($"x must be [{steps}, {gates.Dim(1)}, I]; got {x.ShapeText}", nameof(x));
            CheckPreparedHere(weightIh, nameof(weightIh));
            CheckSame(gates, weightIh.Weight, nameof(weightIh));
            if (weightIh.K != x.Dim(2) || weightIh.N != gates.Dim(2))
                throw new ArgumentException($"weightIh must be prepared as [{x.Dim(2)}, {gates.Dim(2)}] (W_ih transposed); got [{weightIh.K}, {weightIh.N}]", nameof(weightIh));
            if (bias is not null)
            {
                CheckSame(gates, bias, nameof(bias));
                if (bias.Rank != 1 || bias.Dim(0) != gates.Dim(2))
                    throw new ArgumentException($"bias must be [{gates.Dim(2)}]; got {bias.ShapeText}", nameof(bias));
            }
        }
        else if (weightIh is not null || bias is not null)
            throw new ArgumentException("weightIh and bias project an input x: pass x with them", nameof(x));
        LstmForwardSequenceCore(weightHh, gates, h, c, steps, x, weightIh, bias);
    }

    /// <summary>
    /// The backward time loop of one LSTM direction without lengths or projection: for t = T−1 … 0, dh += dy[t], then
    /// <see cref="LstmStepBackward"/> into dGates[t], carrying dh and dc back a step. dh and dc [B, H] hold dL/dh_T and
    /// dL/dc_T on entry and dL/dh_0 and dL/dc_0 on return; dhScratch and dcScratch [B, H] are workspace. gates: [T, B, 4H]
    /// activations; c: [T+1, B, H]; dy: [T, B, H]; dGates: [T, B, 4H]. The default is that loop; the CPU device runs
    /// each thread's rows through all steps, as forward.
    /// </summary>
    public void LstmBackwardSequence(Tensor gates, Tensor c, Tensor dy, PreparedWeight weightHh, Tensor dGates,
        Tensor dh, Tensor dc, Tensor dhScratch, Tensor dcScratch)
    {
        int steps = CheckLstmSequence(weightHh, transposedWeight: false, gates, dy, nameof(dy), extraStateSteps: 0, c);
        CheckSameShape(gates, dGates, nameof(dGates));
        int[] state = [gates.Dim(1), c.Dim(2)];
        CheckState(dh, nameof(dh));
        CheckState(dc, nameof(dc));
        CheckState(dhScratch, nameof(dhScratch));
        CheckState(dcScratch, nameof(dcScratch));
        LstmBackwardSequenceCore(gates, c, dy, weightHh, dGates, dh, dc, dhScratch, dcScratch, steps);

        void CheckState(Tensor t, string name)
        {
            CheckSame(gates, t, name);
            if (!t.Shape.SequenceEqual(state)) throw new ArgumentException($"{name} must be {Tensor.ShapeString(state)}; got {t.ShapeText}", name);
        }
    }

    /// <summary>
    /// gates [T, B, 4H]; states [T + extraStateSteps, B, H] (h, or dy); c [T+1, B, H]; the weight prepared from W_hh [4H, H]
    /// (transposed for forward). Checked by their dimensions, without a view per step. Returns T.
    /// </summary>
    private int CheckLstmSequence(PreparedWeight weightHh, bool transposedWeight, Tensor gates, Tensor states, string statesName, int extraStateSteps, Tensor c)
    {
        CheckPreparedHere(weightHh, nameof(weightHh));
        CheckFloat(gates, nameof(gates));
        CheckSame(gates, weightHh.Weight, nameof(weightHh));
        CheckSame(gates, states, statesName);
        CheckSame(gates, c, nameof(c));
        if (gates.Rank != 3 || gates.Dim(2) % 4 != 0) throw new ArgumentException($"gates must be [T, B, 4H]; got {gates.ShapeText}", nameof(gates));
        int steps = gates.Dim(0), batch = gates.Dim(1), hidden = gates.Dim(2) / 4;
        if (states.Rank != 3 || states.Dim(0) != steps + extraStateSteps || states.Dim(1) != batch || states.Dim(2) != hidden)
            throw new ArgumentException($"{statesName} must be [{steps + extraStateSteps}, {batch}, {hidden}]; got {states.ShapeText}", statesName);
        if (c.Rank != 3 || c.Dim(0) != steps + 1 || c.Dim(1) != batch || c.Dim(2) != hidden)
            throw new ArgumentException($"c must be [{steps + 1}, {batch}, {hidden}]; got {c.ShapeText}", nameof(c));
        var (k, n) = transposedWeight ? (hidden, 4 * hidden) : (4 * hidden, hidden);
        if (weightHh.K != k || weightHh.N != n)
            throw new ArgumentException($"weightHh must be prepared as [{k}, {n}] for H = {hidden}; got [{weightHh.K}, {weightHh.N}]", nameof(weightHh));
        return steps;
    }

    /// <summary>
    /// True when this device runs <see cref="LstmForwardSequence"/> and <see cref="LstmBackwardSequence"/> better than the
    /// caller's own loop of steps over views it keeps (the defaults index a view per step, which allocates).
    /// </summary>
    public virtual bool RunsWholeSequences => false;

    protected virtual void LstmForwardSequenceCore(PreparedWeight weightHh, Tensor gates, Tensor h, Tensor c, int steps,
        Tensor? x, PreparedWeight? weightIh, Tensor? bias)
    {
        int batch = gates.Dim(1), hidden = c.Dim(2);
        if (x is not null && steps > 0)
        {
            Tensor flat = gates.Reshape(steps * batch, 4 * hidden);
            GemmPreparedCore(x.Reshape(steps * batch, x.Dim(2)), weightIh!, flat, steps * batch, 1, 0);
            if (bias is not null) AddBiasCore(flat, steps * batch, 4 * hidden, bias);
        }
        for (int t = 0; t < steps; t++) LstmStepForwardCore(h[t], weightHh, gates[t], c[t], c[t + 1], h[t + 1], batch, hidden);
    }

    protected virtual void LstmBackwardSequenceCore(Tensor gates, Tensor c, Tensor dy, PreparedWeight weightHh, Tensor dGates,
        Tensor dh, Tensor dc, Tensor dhScratch, Tensor dcScratch, int steps)
    {
        int batch = gates.Dim(1), hidden = c.Dim(2);
        Tensor dhNow = dh, dhNext = dhScratch, dcNow = dc, dcNext = dcScratch;
        for (int t = steps - 1; t >= 0; t--)
        {
            BinaryCore(BinaryOp.Add, dhNow, dy[t], dhNow);
            LstmStepBackwardCore(gates[t], c[t], c[t + 1], dhNow, dcNow, dGates[t], dcNext, null, weightHh, dhNext, batch, hidden);
            (dhNow, dhNext) = (dhNext, dhNow);
            (dcNow, dcNext) = (dcNext, dcNow);
        }
        if (!ReferenceEquals(dhNow, dh))
        {
            CopyCore(dhNow, dh);
            CopyCore(dcNow, dc);
        }
    }
}
