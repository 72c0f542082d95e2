// The cell steps of variable-length sequences, each one call: the cell and the masks of the rows whose sequence has ended.
namespace Recurrent.Tensors;

/// <summary>
/// A time step of a batch whose sequences have different lengths is the cell's pointwise step followed by masks: an ended
/// row keeps its state going forward, and passes its gradient straight back going backward. Each method here is that
/// whole sequence; the default runs it as the separate primitives (what the CPU device keeps: a call costs it nothing),
/// and a device whose launches cost microseconds (OpenCL) overrides it with one fused kernel, so that a step stays at
/// 2 launches forward (the h·W_hhᵀ GEMM and this) and 3 backward (dh += dY_t, this, and a β = 1 GEMM into dhPrev).
/// </summary>
public abstract partial class Device
{
    /// <summary>x: [T, B, W]; zero the rows of every step past each sequence's end (t ≥ lengths[b]). lengths: int32 [B].</summary>
    public void MaskSequences(Tensor lengths, Tensor x)
    {
        CheckFloat(x, nameof(x));
        if (x.Rank != 3) throw new ArgumentException($"x must be [T, B, W]; got {x.ShapeText}", nameof(x));
        CheckLengths(lengths, x.Dim(1), nameof(x));
        MaskSequencesCore(lengths, x, x.Dim(0), x.Dim(1), x.Dim(2));
    }

    protected virtual void MaskSequencesCore(Tensor lengths, Tensor x, int steps, int batch, int width)
    {
        for (int t = 0; t < steps; t++) MaskEndedRows(lengths, t, x[t]);
    }

    /// <summary><see cref="LstmCellForward"/>, then rows ended by step t keep their state: c = cPrev, h = hPrev.</summary>
    public void LstmCellForwardMasked(Tensor gates, Tensor cPrev, Tensor c, Tensor hPrev, Tensor h, Tensor lengths, int t)
    {
        int hidden = CheckLstmForward(gates, cPrev, c, h);
        CheckSameShape(cPrev, hPrev, nameof(hPrev));
        CheckLengths(lengths, cPrev.Dim(0), nameof(cPrev));
        LstmCellForwardMaskedCore(gates, cPrev, c, hPrev, h, lengths, t, cPrev.Dim(0), hidden);
    }

    protected virtual void LstmCellForwardMaskedCore(Tensor gates, Tensor cPrev, Tensor c, Tensor hPrev, Tensor h, Tensor lengths, int t, int batch, int hidden)
    {
        LstmCellForward(gates, cPrev, c, h);
        MaskEndedRows(lengths, t, c, cPrev);
        MaskEndedRows(lengths, t, h, hPrev);
    }

    /// <summary>
    /// <see cref="LstmCellBackward"/>, then for rows ended by step t: dGates = 0 and dcPrev = dcNext (dc passes straight
    /// back); and dhPrev [B, H] = dh for those rows, 0 for the others — ready for dhPrev += dGates·W_hh (β = 1).
    /// </summary>
    public void LstmCellBackwardMasked(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev,
        Tensor? dcTotal, Tensor dhPrev, Tensor lengths, int t)
    {
        int hidden = CheckLstmBackward(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal); // nothing allocated in the time loop
        CheckSameShape(cPrev, dhPrev, nameof(dhPrev));
        CheckLengths(lengths, cPrev.Dim(0), nameof(cPrev));
        LstmCellBackwardMaskedCore(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, dhPrev, lengths, t, cPrev.Dim(0), hidden);
    }

    protected virtual void LstmCellBackwardMaskedCore(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev,
        Tensor? dcTotal, Tensor dhPrev, Tensor lengths, int t, int batch, int hidden)
    {
        LstmCellBackward(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal);
        MaskEndedRows(lengths, t, dGates);
        MaskEndedRows(lengths, t, dcPrev, dcNext);
        PassEndedRows(lengths, t, dh, dhPrev);
    }

    /// <summary><see cref="GruCellForward"/>, then rows ended by step t keep their state: h = hPrev.</summary>
    public void GruCellForwardMasked(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h, Tensor lengths, int t)
    {
        int hidden = CheckGruForward(xg, hg, bhh, hPrev, saved, h);
        CheckLengths(lengths, hPrev.Dim(0), nameof(hPrev));
        GruCellForwardMaskedCore(xg, hg, bhh, hPrev, saved, h, lengths, t, hPrev.Dim(0), hidden);
    }

    protected virtual void GruCellForwardMaskedCore(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h, Tensor lengths, int t, int batch, int hidden)
    {
        GruCellForward(xg, hg, bhh, hPrev, saved, h);
        MaskEndedRows(lengths, t, h, hPrev);
    }

    /// <summary>
    /// <see cref="GruCellBackward"/>, then for rows ended by step t: dxg = dhg = 0 and dhPrev = dh (instead of the direct
    /// term dh⊙z) — ready for dhPrev += dhg·W_hh (β = 1), which adds nothing to those rows.
    /// </summary>
    public void GruCellBackwardMasked(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev, Tensor lengths, int t)
    {
        int hidden = CheckGruBackward(saved, hPrev, dh, dxg, dhg, dhPrev);
        CheckLengths(lengths, hPrev.Dim(0), nameof(hPrev));
        GruCellBackwardMaskedCore(saved, hPrev, dh, dxg, dhg, dhPrev, lengths, t, hPrev.Dim(0), hidden);
    }

    protected virtual void GruCellBackwardMaskedCore(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev, Tensor lengths, int t, int batch, int hidden)
    {
        GruCellBackward(saved, hPrev, dh, dxg, dhg, dhPrev);
        MaskEndedRows(lengths, t, dxg);
        MaskEndedRows(lengths, t, dhg);
        MaskEndedRows(lengths, t, dhPrev, dh);
    }

    /// <summary>The vanilla RNN's step: h = f(pre) [B, H], then rows ended by step t keep their state: h = hPrev.</summary>
    public void RnnCellForwardMasked(Activation f, Tensor pre, Tensor hPrev, Tensor h, Tensor lengths, int t)
    {
        CheckFloat(pre, nameof(pre));
        if (pre.Rank != 2) throw new ArgumentException($"pre must be [B, H]; got {pre.ShapeText}", nameof(pre));
        CheckSameShape(pre, h, nameof(h));
        CheckSameShape(pre, hPrev, nameof(hPrev));
        CheckLengths(lengths, pre.Dim(0), nameof(pre));
        RnnCellForwardMaskedCore(f, pre, hPrev, h, lengths, t);
    }

    protected virtual void RnnCellForwardMaskedCore(Activation f, Tensor pre, Tensor hPrev, Tensor h, Tensor lengths, int t)
    {
        Activate(f, pre, h);
        MaskEndedRows(lengths, t, h, hPrev);
    }

    /// <summary>
    /// The vanilla RNN's step backward: dPre = dh⊙f′ from h [B, H], 0 for rows ended by step t; dhPrev = dh for those rows,
    /// 0 for the others — ready for dhPrev += dPre·W_hh (β = 1).
    /// </summary>
    public void RnnCellBackwardMasked(Activation f, Tensor h, Tensor dh, Tensor dPre, Tensor dhPrev, Tensor lengths, int t)
    {
        CheckFloat(h, nameof(h));
        if (h.Rank != 2) throw new ArgumentException($"h must be [B, H]; got {h.ShapeText}", nameof(h));
        CheckSameShape(h, dh, nameof(dh));
        CheckSameShape(h, dPre, nameof(dPre));
        CheckSameShape(h, dhPrev, nameof(dhPrev));
        CheckLengths(lengths, h.Dim(0), nameof(h));
        RnnCellBackwardMaskedCore(f, h, dh, dPre, dhPrev, lengths, t);
    }

    protected virtual void RnnCellBackwardMaskedCore(Activation f, Tensor h, Tensor dh, Tensor dPre, Tensor dhPrev, Tensor lengths, int t)
    {
        ActivateBackward(f, h, dh, dPre);
        MaskEndedRows(lengths, t, dPre);
        PassEndedRows(lengths, t, dh, dhPrev);
    }

    /// <summary>dhPrev = dh for the rows ended by step t, 0 for the others.</summary>
    private void PassEndedRows(Tensor lengths, int t, Tensor dh, Tensor dhPrev)
    {
        Fill(dhPrev, 0);
        MaskEndedRows(lengths, t, dhPrev, dh);
    }
}
