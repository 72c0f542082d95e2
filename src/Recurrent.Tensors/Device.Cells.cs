// The fused recurrent-cell primitives and the per-row masks that give variable-length sequences their meaning.
namespace Recurrent.Tensors;

public abstract partial class Device
{
    // ---- LSTM (PyTorch gate order i, f, g, o) ----------------------------------------------------

    /// <summary>
    /// One LSTM step's pointwise part. gates: [B, 4H] pre-activations (x·W_ihᵀ + h·W_hhᵀ + biases), overwritten
    /// with the activations (i, f, g, o) that backward needs; c = f⊙cPrev + i⊙g; h = o⊙tanh(c).
    /// </summary>
    public void LstmCellForward(Tensor gates, Tensor cPrev, Tensor c, Tensor h) =>
        LstmCellForwardCore(gates, cPrev, c, h, cPrev.Dim(0), CheckLstmForward(gates, cPrev, c, h));

    /// <summary>The checks of <see cref="LstmCellForward"/>; returns H.</summary>
    private int CheckLstmForward(Tensor gates, Tensor cPrev, Tensor c, Tensor h)
    {
        int hidden = CellHidden(gates, nameof(gates), 4, cPrev, nameof(cPrev));
        CheckSameShape(cPrev, c, nameof(c));
        CheckSameShape(cPrev, h, nameof(h));
        return hidden;
    }

    /// <summary>
    /// One LSTM step backward. gates: [B, 4H] activations from forward; dh: gradient reaching h (or the pre-projection m);
    /// dcNext: gradient reaching c from step t+1. Writes dGates [B, 4H] (pre-activation gradients) and dcPrev [B, H];
    /// with dcTotal [B, H] also the whole dL/dc_t (from t+1 and through h_t), for the gradient-norm instrument.
    /// </summary>
    public void LstmCellBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal = null) =>
        LstmCellBackwardCore(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, cPrev.Dim(0), CheckLstmBackward(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal));

    /// <summary>The checks of <see cref="LstmCellBackward"/>; returns H.</summary>
    private int CheckLstmBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal)
    {
        int hidden = CellHidden(gates, nameof(gates), 4, cPrev, nameof(cPrev));
        CheckSameShape(cPrev, c, nameof(c));
        CheckSameShape(cPrev, dh, nameof(dh));
        CheckSameShape(cPrev, dcNext, nameof(dcNext));
        CheckSameShape(cPrev, dcPrev, nameof(dcPrev));
        CheckSameShape(gates, dGates, nameof(dGates));
        if (dcTotal is not null) CheckSameShape(cPrev, dcTotal, nameof(dcTotal));
        return hidden;
    }

    protected abstract void LstmCellForwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor h, int batch, int hidden);
    protected abstract void LstmCellBackwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal, int batch, int hidden);

    // ---- GRU (PyTorch gate order r, z, n; the reset gate multiplies W_hn·h + b_hn) ------------------

    /// <summary>
    /// One GRU step's pointwise part. xg: [B, 3H] = x·W_ihᵀ + b_ih; hg: [B, 3H] = hPrev·W_hhᵀ (no bias); bhh: [3H] or null.
    /// r = σ(xg_r + hg_r + b_hr), z = σ(…), n = tanh(xg_n + r⊙(hg_n + b_hn)), h = (1−z)⊙n + z⊙hPrev.
    /// saved: [B, 4H] receives (r, z, n, hg_n + b_hn) for backward.
    /// </summary>
    public void GruCellForward(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h) =>
        GruCellForwardCore(xg, hg, bhh, hPrev, saved, h, hPrev.Dim(0), CheckGruForward(xg, hg, bhh, hPrev, saved, h));

    /// <summary>GruCellForward's argument checks (also the masked step's); returns H.</summary>
    private int CheckGruForward(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h)
    {
        int hidden = CellHidden(xg, nameof(xg), 3, hPrev, nameof(hPrev));
        CheckSameShape(xg, hg, nameof(hg));
        if (bhh is not null)
        {
            CheckSame(xg, bhh, nameof(bhh));
            if (bhh.Length != 3L * hidden) throw new ArgumentException($"bhh must have shape [{3 * hidden}]; got {bhh.ShapeText}", nameof(bhh));
        }
        CheckSame(xg, saved, nameof(saved));
        if (saved.Rank != 2 || saved.Dim(0) != hPrev.Dim(0) || saved.Dim(1) != 4 * hidden)
            throw new ArgumentException($"saved must have shape [{hPrev.Dim(0)}, {4 * hidden}]; got {saved.ShapeText}", nameof(saved));
        CheckSameShape(hPrev, h, nameof(h));
        return hidden;
    }

    /// <summary>
    /// One GRU step backward from dh (gradient reaching h). Writes dxg [B, 3H] (gradient of x·W_ihᵀ + b_ih),
    /// dhg [B, 3H] (gradient of hPrev·W_hhᵀ + b_hh) and dhPrev [B, H] = dh⊙z, the direct path (add dhg·W_hh to it).
    /// </summary>
    public void GruCellBackward(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev) =>
        GruCellBackwardCore(saved, hPrev, dh, dxg, dhg, dhPrev, hPrev.Dim(0), CheckGruBackward(saved, hPrev, dh, dxg, dhg, dhPrev));

    /// <summary>GruCellBackward's argument checks (also the masked step's); returns H.</summary>
    private int CheckGruBackward(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev)
    {
        int hidden = CellHidden(dxg, nameof(dxg), 3, hPrev, nameof(hPrev));
        CheckSameShape(dxg, dhg, nameof(dhg));
        CheckSame(dxg, saved, nameof(saved));
        if (saved.Rank != 2 || saved.Dim(0) != hPrev.Dim(0) || saved.Dim(1) != 4 * hidden)
            throw new ArgumentException($"saved must have shape [{hPrev.Dim(0)}, {4 * hidden}]; got {saved.ShapeText}", nameof(saved));
        CheckSameShape(hPrev, dh, nameof(dh));
        CheckSameShape(hPrev, dhPrev, nameof(dhPrev));
        return hidden;
    }

    protected abstract void GruCellForwardCore(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h, int batch, int hidden);
    protected abstract void GruCellBackwardCore(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev, int batch, int hidden);

    // ---- variable lengths ------------------------------------------------------------------------------

    /// <summary>
    /// For every row b whose sequence has ended by step t (t ≥ lengths[b]): x[b, :] = fallback[b, :], or 0 without a
    /// fallback. Rows still running are untouched. x: [B, F] (or [B, …]); lengths: int32 [B].
    /// </summary>
    public void MaskEndedRows(Tensor lengths, int t, Tensor x, Tensor? fallback = null)
    {
        CheckFloat(x, nameof(x));
        int batch = CheckLengths(lengths, x.Rank == 0 ? 0 : x.Dim(0), nameof(x));
        if (fallback is not null) CheckSameShape(x, fallback, nameof(fallback));
        MaskEndedRowsCore(lengths, t, x, fallback, batch, checked((int)(batch == 0 ? 0 : x.Length / batch)));
    }

    /// <summary>
    /// y[t, b] = x[lengths[b]−1−t, b] for t &lt; lengths[b], else 0: each sequence reversed within its own length
    /// (what the reverse direction of a bidirectional layer reads). x, y: [T, B, F]; applying it twice restores x's valid part.
    /// </summary>
    public void ReverseSequences(Tensor x, Tensor lengths, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSameShape(x, y, nameof(y));
        if (x.Rank != 3) throw new ArgumentException($"x must be [T, B, F]; got {x.ShapeText}", nameof(x));
        if (ReferenceEquals(x.Storage, y.Storage)) throw new ArgumentException("y must not share storage with x", nameof(y));
        CheckLengths(lengths, x.Dim(1), nameof(x));
        ReverseSequencesCore(x, lengths, y, x.Dim(0), x.Dim(1), x.Dim(2));
    }

    protected abstract void MaskEndedRowsCore(Tensor lengths, int t, Tensor x, Tensor? fallback, int batch, int width);
    protected abstract void ReverseSequencesCore(Tensor x, Tensor lengths, Tensor y, int steps, int batch, int features);

    /// <summary>y[j, i, :] = x[i, j, :]: batch-first [B, T, F] to time-first [T, B, F] and back.</summary>
    public void SwapLeadingDims(Tensor x, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSame(x, y, nameof(y));
        if (x.Rank != 3) throw new ArgumentException($"x must be rank 3; got {x.ShapeText}", nameof(x));
        if (y.Rank != 3 || y.Dim(0) != x.Dim(1) || y.Dim(1) != x.Dim(0) || y.Dim(2) != x.Dim(2))
            throw new ArgumentException($"y must have shape [{x.Dim(1)}, {x.Dim(0)}, {x.Dim(2)}]; got {y.ShapeText}", nameof(y));
        if (ReferenceEquals(x.Storage, y.Storage)) throw new ArgumentException("y must not share storage with x", nameof(y));
        SwapLeadingDimsCore(x, y, x.Dim(0), x.Dim(1), x.Dim(2));
    }

    protected abstract void SwapLeadingDimsCore(Tensor x, Tensor y, int first, int second, int features);

    /// <summary>y[b] = ‖x[b, :]‖₂ for x: [B, F], y: [B] (the per-row gradient norms the instruments record).</summary>
    public void RowL2Norms(Tensor x, Tensor y)
    {
        CheckFloat(x, nameof(x));
        CheckSame(x, y, nameof(y));
        if (x.Rank != 2) throw new ArgumentException($"x must be [B, F]; got {x.ShapeText}", nameof(x));
        if (y.Length != x.Dim(0)) throw new ArgumentException($"y must have {x.Dim(0)} elements (one per row of x); got {y.ShapeText}", nameof(y));
        RowL2NormsCore(x, y, x.Dim(0), x.Dim(1));
    }

    protected abstract void RowL2NormsCore(Tensor x, Tensor y, int rows, int cols);

    // ---- column blocks (bidirectional outputs side by side) ------------------------------------------------

    /// <summary>dst[r, column + j] = src[r, j] (or += with accumulate). src: [R, w], dst: [R, W] with column + w ≤ W.</summary>
    public void CopyToColumns(Tensor src, Tensor dst, int column, bool accumulate = false)
    {
        var (rows, width, dstWidth) = ColumnBlock(src, dst, column, nameof(src));
        ColumnsCore(src, dst, rows, width, dstWidth, column, toColumns: true, accumulate);
    }

    /// <summary>dst[r, j] = src[r, column + j] (or += with accumulate). src: [R, W], dst: [R, w].</summary>
    public void CopyFromColumns(Tensor src, int column, Tensor dst, bool accumulate = false)
    {
        var (rows, width, srcWidth) = ColumnBlock(dst, src, column, nameof(dst));
        ColumnsCore(src, dst, rows, width, srcWidth, column, toColumns: false, accumulate);
    }

    protected abstract void ColumnsCore(Tensor src, Tensor dst, int rows, int width, int wideWidth, int column, bool toColumns, bool accumulate);

    private (int Rows, int Width, int WideWidth) ColumnBlock(Tensor narrow, Tensor wide, int column, string narrowName)
    {
        CheckFloat(narrow, narrowName);
        CheckSame(narrow, wide, narrowName == "src" ? "dst" : "src");
        if (narrow.Rank < 2 || wide.Rank != narrow.Rank)
            throw new ArgumentException($"{narrowName} and the wide tensor must both be [rows…, cols]; got {narrow.ShapeText} and {wide.ShapeText}", narrowName);
        int width = narrow.Dim(-1), wideWidth = wide.Dim(-1);
        int rows = checked((int)(width == 0 ? 0 : narrow.Length / width));
        if (wideWidth != 0 && wide.Length / wideWidth != rows)
            throw new ArgumentException($"{narrowName} {narrow.ShapeText} and {wide.ShapeText} must have the same leading dimensions", narrowName);
        if (column < 0 || column + width > wideWidth)
            throw new ArgumentOutOfRangeException(nameof(column), column, $"columns [{column}, {column + width}) must lie inside the {wideWidth} columns of {wide.ShapeText}");
        return (rows, width, wideWidth);
    }

    private int CheckLengths(Tensor lengths, int batch, string against)
    {
        CheckOwn(lengths, nameof(lengths));
        if (lengths.DType != DType.Int32 || lengths.Rank != 1 || lengths.Dim(0) != batch)
            throw new ArgumentException($"lengths must be int32 [{batch}] (one per row of {against}); got {lengths.DType.Name()} {lengths.ShapeText}", nameof(lengths));
        return batch;
    }

    /// <summary>Checks a [B, k·H] gate tensor against a [B, H] state and returns H.</summary>
    private int CellHidden(Tensor gates, string gatesName, int k, Tensor state, string stateName)
    {
        CheckFloat(gates, gatesName);
        CheckSame(gates, state, stateName);
        if (state.Rank != 2) throw new ArgumentException($"{stateName} must be [B, H]; got {state.ShapeText}", stateName);
        int batch = state.Dim(0), hidden = state.Dim(1);
        if (gates.Rank != 2 || gates.Dim(0) != batch || gates.Dim(1) != k * hidden)
            throw new ArgumentException($"{gatesName} must have shape [{batch}, {k * hidden}] ({k} gates of the hidden size {hidden}); got {gates.ShapeText}", gatesName);
        return hidden;
    }
}
