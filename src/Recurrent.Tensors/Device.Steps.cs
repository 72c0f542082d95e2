// A whole LSTM or RNN time step — the recurrent product and the cell — as one call, so a device can keep each batch row on one thread.
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

    /// <summary>
    /// One Elman RNN step forward: gates += hPrev·op(W_hh) (gates [B, H] holds x·W_ihᵀ + biases), then h = f(gates).
    /// The default is exactly <see cref="Gemm(Tensor, PreparedWeight, Tensor, double, double)"/> and
    /// <see cref="Activate"/>; the CPU device splits the batch rows over its threads for both, and computes a float tanh
    /// with the LSTM cells' function (≤ 6 ulp) instead of the accurate one.
    /// </summary>
    public void RnnStepForward(Activation f, Tensor hPrev, PreparedWeight weightHh, Tensor gates, Tensor h)
    {
        CheckPreparedProduct(hPrev, weightHh, gates, nameof(hPrev), nameof(weightHh), nameof(gates));
        CheckSameShape(gates, h, nameof(h));
        CheckSameShape(h, hPrev, nameof(hPrev));
        RnnStepForwardCore(f, hPrev, weightHh, gates, h, h.Dim(0));
    }

    /// <summary>
    /// One Elman RNN step backward: dGates = dh ⊙ f′ (from the step's output h), then dhPrev = dGates·op(W_hh) (W_hh
    /// prepared untransposed). The default is exactly <see cref="ActivateBackward"/> and the product; the CPU device
    /// splits the batch rows over its threads for both.
    /// </summary>
    public void RnnStepBackward(Activation f, Tensor h, Tensor dh, Tensor dGates, PreparedWeight weightHh, Tensor dhPrev)
    {
        CheckFloat(h, nameof(h));
        CheckSameShape(h, dh, nameof(dh));
        CheckSameShape(h, dGates, nameof(dGates));
        CheckPreparedProduct(dGates, weightHh, dhPrev, nameof(dGates), nameof(weightHh), nameof(dhPrev));
        RnnStepBackwardCore(f, h, dh, dGates, weightHh, dhPrev, h.Dim(0));
    }

    protected virtual void RnnStepForwardCore(Activation f, Tensor hPrev, PreparedWeight weightHh, Tensor gates, Tensor h, int batch)
    {
        GemmPreparedCore(hPrev, weightHh, gates, batch, 1, 1);
        ActivateCore(f, gates, h);
    }

    protected virtual void RnnStepBackwardCore(Activation f, Tensor h, Tensor dh, Tensor dGates, PreparedWeight weightHh, Tensor dhPrev, int batch)
    {
        ActivateBackwardCore(f, h, dh, dGates);
        GemmPreparedCore(dGates, weightHh, dhPrev, batch, 1, 0);
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
