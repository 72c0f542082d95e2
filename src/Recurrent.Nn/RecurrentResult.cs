// What a recurrent layer's forward returns: every step's output and the final states.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>What <see cref="RecurrentLayer.Forward"/> returns. The tensors belong to the layer and are overwritten by its next
/// Forward (Clone() to keep them).</summary>
public sealed class RecurrentResult
{
    private Tensor? _output;
    private readonly Func<Tensor>? _makeOutput;

    public RecurrentResult(Tensor output, Tensor hN, Tensor? cN)
    {
        _output = output;
        HN = hN;
        CN = cN;
    }

    /// <summary>A result whose Output is written on first read: a model that reads only HN (out[:, −1] of a one-direction
    /// layer without lengths) never pays for the batch-first copy of every step.</summary>
    internal RecurrentResult(Func<Tensor> makeOutput, Tensor hN, Tensor? cN)
    {
        _makeOutput = makeOutput;
        HN = hN;
        CN = cN;
    }

    /// <summary>[T, B, D·H_out] (or [B, T, D·H_out] batch-first); zero past each sequence's length.</summary>
    public Tensor Output => _output ??= _makeOutput!();

    /// <summary>[L·D, B, H_out]: each sequence's state at its last valid step.</summary>
    public Tensor HN { get; }

    /// <summary>[L·D, B, H] for LSTM, null otherwise.</summary>
    public Tensor? CN { get; }
}

/// <param name="DInput">Gradient of the input, shaped like it; null when Backward was asked for no input gradient.</param>
/// <param name="DH0">Gradient of h0, [L·D, B, H_out].</param>
/// <param name="DC0">Gradient of c0 for LSTM, [L·D, B, H]; null otherwise.</param>
public sealed record RecurrentGradients(Tensor? DInput, Tensor DH0, Tensor? DC0);
