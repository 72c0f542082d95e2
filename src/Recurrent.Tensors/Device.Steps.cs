// A whole LSTM time step — the recurrent product and the cell — as one call, so a device can keep each batch row on one thread.
namespace Recurrent.Tensors;

public abstract partial class Device
{
    /// <summary>
    /// One LSTM step forward: gates += hPrev·op(W_hh) (gates [B, 4H] holds x·W_ihᵀ + biases), then
    /// <see cref="LstmCellForward"/>(gates, cPrev, c, h). The default is exactly those two calls; the CPU device splits
    /// the batch rows over its threads for both, so the rows a thread's product writes are the rows its cell reads.
    /// </summary>
    public void LstmStepForward(Tensor hPrev, PreparedWeight weightHh, Tensor gates, Tensor cPrev, Tensor c, Tensor h)
    {
        CheckPreparedProduct(hPrev, weightHh, gates, nameof(hPrev), nameof(weightHh), nameof(gates));
        int hidden = CheckLstmForward(gates, cPrev, c, h);
        CheckSameShape(hPrev, h, nameof(hPrev));
        LstmStepForwardCore(hPrev, weightHh, gates, cPrev, c, h, cPrev.Dim(0), hidden);
    }

    /// <summary>
    /// One LSTM step backward: <see cref="LstmCellBackward"/>, then dhPrev = dGates·op(W_hh) (W_hh prepared untransposed,
    /// [4H, H]). The default is exactly those two calls; the CPU device splits the batch rows over its threads for both.
    /// </summary>
    public void LstmStepBackward(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal,
        PreparedWeight weightHh, Tensor dhPrev)
    {
        int hidden = CheckLstmBackward(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal);
        CheckPreparedProduct(dGates, weightHh, dhPrev, nameof(dGates), nameof(weightHh), nameof(dhPrev));
        LstmStepBackwardCore(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, weightHh, dhPrev, cPrev.Dim(0), hidden);
    }

    protected virtual void LstmStepForwardCore(Tensor hPrev, PreparedWeight weightHh, Tensor gates, Tensor cPrev, Tensor c, Tensor h, int batch, int hidden)
    {
        GemmPreparedCore(hPrev, weightHh, gates, batch, 1, 1);
        LstmCellForwardCore(gates, cPrev, c, h, batch, hidden);
    }

    protected virtual void LstmStepBackwardCore(Tensor gates, Tensor cPrev, Tensor c, Tensor dh, Tensor dcNext, Tensor dGates, Tensor dcPrev, Tensor? dcTotal,
        PreparedWeight weightHh, Tensor dhPrev, int batch, int hidden)
    {
        LstmCellBackwardCore(gates, cPrev, c, dh, dcNext, dGates, dcPrev, dcTotal, batch, hidden);
        GemmPreparedCore(dGates, weightHh, dhPrev, batch, 1, 0);
    }
}
