// The OpenCL device's variable-length cell steps: each one fused kernel (masked_cells.cl) instead of the cell and its masks.
namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    protected override void MaskSequencesCore(Tensor lengths, Tensor x, int steps, int batch, int width) =>
        Elementwise(x.DType, "mask_sequences", (long)steps * batch * width, [steps, batch, width, lengths, x]);

    protected override void LstmCellForwardMaskedCore(Tensor gates, Tensor cPrev, Tensor c, Tensor hPrev, Tensor h, Tensor lengths, int t, int batch, int hidden) =>
        Elementwise(gates.DType, "lstm_forward_masked", (long)batch * hidden, [batch, hidden, t, lengths, gates, cPrev, c, hPrev, h]);

    protected override void LstmCellBackwardMaskedCore(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev,
        Tensor? dcTotal, Tensor dhPrev, Tensor lengths, int t, int batch, int hidden) =>
        Elementwise(gates.DType, "lstm_backward_masked", (long)batch * hidden,
            [batch, hidden, t, lengths, gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, dcTotal is not null, dhPrev]);

    protected override void GruCellForwardMaskedCore(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h, Tensor lengths, int t, int batch, int hidden) =>
        Elementwise(xg.DType, "gru_forward_masked", (long)batch * hidden, [batch, hidden, t, lengths, xg, hg, bhh, bhh is not null, hPrev, saved, h]);

    protected override void GruCellBackwardMaskedCore(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev, Tensor lengths, int t, int batch, int hidden) =>
        Elementwise(saved.DType, "gru_backward_masked", (long)batch * hidden, [batch, hidden, t, lengths, saved, hPrev, dh, dxg, dhg, dhPrev]);

    protected override void RnnCellForwardMaskedCore(Activation f, Tensor pre, Tensor hPrev, Tensor h, Tensor lengths, int t)
    {
        if (!Enum.IsDefined(f)) throw new ArgumentOutOfRangeException(nameof(f), f, "unknown activation");
        Elementwise(pre.DType, "rnn_forward_masked", pre.Length, [pre.Dim(0), pre.Dim(1), t, lengths, (int)f, pre, hPrev, h]);
    }

    protected override void RnnCellBackwardMaskedCore(Activation f, Tensor h, Tensor dh, Tensor dPre, Tensor dhPrev, Tensor lengths, int t)
    {
        if (!Enum.IsDefined(f)) throw new ArgumentOutOfRangeException(nameof(f), f, "unknown activation");
        Elementwise(h.DType, "rnn_backward_masked", h.Length, [h.Dim(0), h.Dim(1), t, lengths, (int)f, h, dh, dPre, dhPrev]);
    }
}
