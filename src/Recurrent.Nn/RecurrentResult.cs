// What a recurrent layer's forward returns: every step's output and the final states.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <param name="Output">[T, B, D·H_out] (or [B, T, D·H_out] batch-first); zero past each sequence's length.</param>
/// <param name="HN">[L·D, B, H_out]: each sequence's state at its last valid step.</param>
/// <param name="CN">[L·D, B, H] for LSTM, null otherwise.</param>
public sealed record RecurrentResult(Tensor Output, Tensor HN, Tensor? CN);

/// <param name="DInput">Gradient of the input, shaped like it; null when Backward was asked for no input gradient.</param>
/// <param name="DH0">Gradient of h0, [L·D, B, H_out].</param>
/// <param name="DC0">Gradient of c0 for LSTM, [L·D, B, H]; null otherwise.</param>
public sealed record RecurrentGradients(Tensor? DInput, Tensor DH0, Tensor? DC0);
