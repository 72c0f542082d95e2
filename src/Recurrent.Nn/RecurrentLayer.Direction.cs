// BPTT through one direction of one layer: the forward time loop and its backward, side by side.
using Recurrent.Tensors;

namespace Recurrent.Nn;

public abstract partial class RecurrentLayer
{
    /// <summary>Runs one direction over time-first input [T, B, in]; lengths masks ended rows when given.</summary>
    /// <returns>The direction's output [T, B, H_out]: without lengths a view of the states H[1..T], with lengths buf.Output
    /// (the states, zero past each sequence's end).</returns>
    private Tensor ForwardDirection(Direction w, DirectionBuffers buf, Tensor input, Tensor? h0, Tensor? c0, Tensor? lengths)
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

        // W_hhᵀ meets a new h at every step: prepared (packed, on the CPU) once for the whole sequence.
        PreparedWeight weightHh = buf.HhForward = Device.Prepare(w.WeightHh.Value, transpose: true, buf.HhForward);

        // An LSTM without lengths or projection, on a device that runs whole sequences (the CPU: each thread takes its batch
        // rows through every step, projecting each step's input as it goes): the time loop in one call.
        if (Cell == CellKind.Lstm && buf.M is null && lengths is null && Device.RunsWholeSequences)
        {
            PreparedWeight weightIh = buf.IhForward = Device.Prepare(w.WeightIh.Value, transpose: true, buf.IhForward);
            if (w.BiasIh is not null) Device.Add(w.BiasIh.Value, w.BiasHh!.Value, buf.BiasSum);
            Device.LstmForwardSequence(weightHh, buf.Gates.All, buf.H.All, buf.C!.All, input, weightIh, w.BiasIh is null ? null : buf.BiasSum);
            return buf.States;
        }

        // The input projection of every step at once: [T·B, in] · W_ihᵀ → [T·B, G·H], biases added once.
        Sequence projected = buf.Projected ?? buf.Gates;
        Device.Gemm(input.Reshape(-1, input.Dim(2)), false, w.WeightIh.Value, true, projected.Flat);
        if (w.BiasIh is not null)
        {
            if (Cell == CellKind.Gru) Device.AddBias(projected.Flat, w.BiasIh.Value); // GRU keeps b_hn inside r⊙(…)
            else
            {
                // b_ih + b_hh once ([G·H]), then one pass over [T·B, G·H] instead of two.
                Device.Add(w.BiasIh.Value, w.BiasHh!.Value, buf.BiasSum);
                Device.AddBias(projected.Flat, buf.BiasSum);
            }
        }
        Activation rnnAct = Options.Nonlinearity == Nonlinearity.Relu ? Activation.Relu : Activation.Tanh;
        for (int t = 0; t < steps; t++)
        {
            Tensor hPrev = buf.H.Step[t], hNext = buf.H.Step[t + 1];
            switch (Cell)
            {
                // With lengths, the …Masked steps also keep an ended sequence's state (h, c = their previous values).
                case CellKind.Rnn when lengths is null:
                    Device.RnnStepForward(rnnAct, hPrev, weightHh, buf.Gates.Step[t], hNext);      // product and activation in one call
                    break;
                case CellKind.Rnn:
                    Device.Gemm(hPrev, weightHh, buf.Gates.Step[t], beta: 1);                      // [B, H]
                    Device.RnnCellForwardMasked(rnnAct, buf.Gates.Step[t], hPrev, hNext, lengths, t);
                    break;
                case CellKind.Lstm when buf.M is null && lengths is null:
                    Device.LstmStepForward(hPrev, weightHh, buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], hNext); // product and cell in one call
                    break;
                case CellKind.Lstm:
                    Device.Gemm(hPrev, weightHh, buf.Gates.Step[t], beta: 1);                      // [B, 4H]
                    if (buf.M is not null)
                    {
                        Device.LstmCellForward(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], buf.M.Step[t]);
                        Device.Gemm(buf.M.Step[t], false, w.WeightHr!.Value, true, hNext);       // h = m · W_hrᵀ
                        if (lengths is not null)
                        {
                            Device.MaskEndedRows(lengths, t, buf.C.Step[t + 1], buf.C.Step[t]);
                            Device.MaskEndedRows(lengths, t, hNext, hPrev);
                        }
                    }
                    else if (lengths is null) Device.LstmCellForward(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], hNext);
                    else Device.LstmCellForwardMasked(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], hPrev, hNext, lengths, t);
                    break;
                default:
                    Device.Gemm(hPrev, weightHh, buf.Hg!);                                         // [B, 3H]
                    if (lengths is null) Device.GruCellForward(projected.Step[t], buf.Hg!, w.BiasHh?.Value, hPrev, buf.Gates.Step[t], hNext);
                    else Device.GruCellForwardMasked(projected.Step[t], buf.Hg!, w.BiasHh?.Value, hPrev, buf.Gates.Step[t], hNext, lengths, t);
                    break;
            }
        }

        // Outputs: the states of steps 1…T, zero past each sequence's end.
        if (lengths is null) return buf.States;
        Device.Copy(buf.States, buf.Output.All);
        Device.MaskSequences(lengths, buf.Output.All);
        return buf.Output.All;
    }

    /// <summary>BPTT through one direction from buf.DY: writes the dh0/dc0 rows, accumulates parameter gradients, and writes
    /// dX into <paramref name="dInput"/> ([T·B, in], overwritten) unless it is null.</summary>
    /// <param name="dyIsZero">buf.DY holds zeros (the loss read only the final states): the step loop need not add it.</param>
    private void BackwardDirection(Direction w, DirectionBuffers buf, Tensor? dhN, Tensor? dcN, Tensor dh0, Tensor? dc0, Tensor? lengths,
        Tensor? dInput, bool dyIsZero = false)
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
        PreparedWeight weightHh = buf.HhBackward = Device.Prepare(w.WeightHh.Value, transpose: false, buf.HhBackward);
        NormBuffers? norms = Instruments.RecordGradientNorms ? buf.Norms(this) : null;

        // Padding outputs were constants: their gradient goes nowhere.
        if (lengths is not null) Device.MaskSequences(lengths, buf.DY.All);

        // An LSTM without lengths, projection or the gradient-norm instrument, on a device that runs whole sequences: the
        // time loop in one call.
        bool wholeSequence = Cell == CellKind.Lstm && buf.Dm is null && lengths is null && norms is null && Device.RunsWholeSequences;
        if (wholeSequence) Device.LstmBackwardSequence(buf.Gates.All, buf.C!.All, buf.DY.All, weightHh, buf.DGates.All, dh, dc!, dhPrev, dcPrev!);
        // With lengths, the …Masked steps zero an ended row's gate gradients and pass its dh (and dc) straight back:
        // they set dhPrev to dh on those rows and 0 elsewhere, and the GEMM then adds into it (β = 1).
        else for (int t = steps - 1; t >= 0; t--)
        {
            if (!dyIsZero) Device.Add(dh, buf.DY.Step[t], dh);                                   // dh_t += dY_t
            if (norms is not null) Device.RowL2Norms(dh, norms.HStep[t]);             // ‖dL/dh_t‖ per row
            Tensor dG = buf.DGates.Step[t];
            switch (Cell)
            {
                case CellKind.Rnn when lengths is null:
                    Device.RnnStepBackward(rnnAct, buf.H.Step[t + 1], dh, dG, weightHh, dhPrev);
                    break;
                case CellKind.Rnn:
                    Device.RnnCellBackwardMasked(rnnAct, buf.H.Step[t + 1], dh, dG, dhPrev, lengths, t);
                    Device.Gemm(dG, weightHh, dhPrev, beta: 1);
                    break;
                case CellKind.Lstm when buf.Dm is null && lengths is null:
                    Device.LstmStepBackward(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], dh, dc!, dG, dcPrev!, norms?.DcTotal, weightHh, dhPrev);
                    if (norms is not null) Device.RowL2Norms(norms.DcTotal!, norms.CStep![t]); // ‖dL/dc_t‖ per row
                    (dc, dcPrev) = (dcPrev, dc);
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
                    bool fused = lengths is not null && buf.Dm is null;                          // with a projection, dh is not the cell's
                    if (fused) Device.LstmCellBackwardMasked(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], dh, dc!, dG, dcPrev!, norms?.DcTotal, dhPrev, lengths!, t);
                    else Device.LstmCellBackward(buf.Gates.Step[t], buf.C!.Step[t], buf.C.Step[t + 1], dIntoCell, dc!, dG, dcPrev!, norms?.DcTotal);
                    if (norms is not null) Device.RowL2Norms(norms.DcTotal!, norms.CStep![t]); // ‖dL/dc_t‖ per row
                    if (lengths is not null && !fused)
                    {
                        Device.MaskEndedRows(lengths, t, dG);
                        Device.MaskEndedRows(lengths, t, dcPrev!, dc);                           // an ended row passes dc straight back
                    }
                    Device.Gemm(dG, weightHh, dhPrev, beta: fused ? 1 : 0);
                    if (lengths is not null && !fused) Device.MaskEndedRows(lengths, t, dhPrev, dh); // an ended row passes dh straight back
                    (dc, dcPrev) = (dcPrev, dc);
                    break;
                }
                default:
                {
                    Tensor dHg = buf.DHg!.Step[t];
                    if (lengths is null) Device.GruCellBackward(buf.Gates.Step[t], buf.H.Step[t], dh, dG, dHg, dhPrev);
                    else Device.GruCellBackwardMasked(buf.Gates.Step[t], buf.H.Step[t], dh, dG, dHg, dhPrev, lengths, t);
                    Device.Gemm(dHg, weightHh, dhPrev, beta: 1);
                    break;
                }
            }
            (dh, dhPrev) = (dhPrev, dh);
        }
        Device.Copy(dh, dh0);
        if (dc0 is not null) Device.Copy(dc!, dc0);

        // Weight gradients and dX for all steps at once.
        Tensor inputs = buf.Input!.Reshape(-1, buf.Input.Dim(2));
        Tensor dIn = buf.DGates.Flat, dHid = (buf.DHg ?? buf.DGates).Flat;
        if (ReferenceEquals(dIn, dHid)) // RNN, LSTM: dGᵀ, the largest operand, prepared once for both
            Device.GemmSharedA(dIn, true, inputs, w.WeightIh.Grad, buf.H.FlatHead(steps), w.WeightHh.Grad, beta: 1); // [G·H, in], [G·H, H_out]
        else
        {
            Device.Gemm(dIn, true, inputs, false, w.WeightIh.Grad, beta: 1);                // [G·H, in]
            Device.Gemm(dHid, true, buf.H.FlatHead(steps), false, w.WeightHh.Grad, beta: 1); // [G·H, H_out]
        }
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
        if (dInput is not null) Device.Gemm(dIn, false, w.WeightIh.Value, false, dInput);
    }
}
