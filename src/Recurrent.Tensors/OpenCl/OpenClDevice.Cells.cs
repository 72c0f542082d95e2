// The OpenCL device's fused LSTM/GRU cell kernels, the variable-length masks and the layout primitives.
namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    protected override void LstmCellForwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor h, int batch, int hidden) =>
        Elementwise(gates.DType, "lstm_forward", (long)batch * hidden, [batch, hidden, gates, cPrev, c, h]);

    protected override void LstmCellBackwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal, int batch, int hidden) =>
        Elementwise(gates.DType, "lstm_backward", (long)batch * hidden,
            [batch, hidden, gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, dcTotal is not null]);

    protected override void GruCellForwardCore(Tensor xg, Tensor hg, Tensor? bhh, Tensor hPrev, Tensor saved, Tensor h, int batch, int hidden) =>
        Elementwise(xg.DType, "gru_forward", (long)batch * hidden, [batch, hidden, xg, hg, bhh, bhh is not null, hPrev, saved, h]);

    protected override void GruCellBackwardCore(Tensor saved, Tensor hPrev, Tensor dh, Tensor dxg, Tensor dhg, Tensor dhPrev, int batch, int hidden) =>
        Elementwise(saved.DType, "gru_backward", (long)batch * hidden, [batch, hidden, saved, hPrev, dh, dxg, dhg, dhPrev]);

    protected override void MaskEndedRowsCore(Tensor lengths, int t, Tensor x, Tensor? fallback, int batch, int width) =>
        Elementwise(x.DType, "mask_ended_rows", (long)batch * width, [batch, width, t, lengths, x, fallback, fallback is not null]);

    protected override void ReverseSequencesCore(Tensor x, Tensor lengths, Tensor y, int steps, int batch, int features)
    {
        // A length outside [0, steps] is clamped by the kernel and reported by the next host read (no read-back here).
        Elementwise(x.DType, "reverse_sequences", (long)steps * batch * features, [steps, batch, features, x, lengths, y, Arg.Errors]);
    }

    protected override void SwapLeadingDimsCore(Tensor x, Tensor y, int first, int second, int features) =>
        Elementwise(x.DType, "swap_leading_dims", (long)first * second * features, [first, second, features, x, y]);

    protected override void ColumnsCore(Tensor src, Tensor dst, int rows, int width, int wideWidth, int column, bool toColumns, bool accumulate)
    {
        Disjoint(src, dst, nameof(src), nameof(dst));
        Elementwise(src.DType, "columns", (long)rows * width, [rows, width, wideWidth, column, toColumns, accumulate, src, dst]);
    }
}
