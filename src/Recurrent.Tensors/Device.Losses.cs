// The loss primitives: MSE, BCE, BCE-with-logits and softmax cross-entropy, forward and backward, with a per-row mask.
namespace Recurrent.Tensors;

/// <summary>How a loss folds its per-element (or per-row) terms into one number. PyTorch's 'none' is not offered.</summary>
public enum Reduction
{
    /// <summary>The weighted mean: Σ(mask·ℓ) / (Σ mask × C) for elementwise losses, Σ(mask·ℓ) / Σ mask over non-ignored rows for cross-entropy.</summary>
    Mean,
    /// <summary>Σ(mask·ℓ).</summary>
    Sum,
}

/// <summary>The elementwise losses: one term per element of input and target.</summary>
public enum ElementwiseLossKind
{
    /// <summary>(x − y)².</summary>
    Mse,
    /// <summary>−(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)) on probabilities x ∈ [0, 1], as PyTorch's binary_cross_entropy.</summary>
    Bce,
    /// <summary>max(x, 0) − x·y + log(1 + e^−|x|) on logits x: BCE of sigmoid(x) without its overflow.</summary>
    BceWithLogits,
}

public abstract partial class Device
{
    // Shapes: input and target [..., C] are read as [N, C] (N = product of the leading dims, 1 for a rank-1 input);
    // mask, when given, is input.Shape[..^1] — one weight per row, so a [B, T, F] prediction takes a [B, T] mask.
    // Rows with mask weight exactly 0 are skipped (a NaN or ∞ there does not leak), as if PyTorch had been given
    // only the selected rows. A mean over no rows at all is NaN, as PyTorch's; its gradient is then zero.

    /// <summary>
    /// loss (one element) = the <paramref name="reduction"/> of the <paramref name="kind"/> loss of input against
    /// target (same shape), each row weighted by mask[row] (1 without a mask).
    /// </summary>
    public void ElementwiseLoss(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, Reduction reduction, Tensor loss)
    {
        var (rows, cols) = CheckElementwiseLoss(kind, input, target, mask, reduction);
        CheckSame(input, loss, nameof(loss));
        CheckLength(loss, 1, nameof(loss), "one element");
        ElementwiseLossCore(kind, input, target, mask, rows, cols, reduction, loss);
    }

    /// <summary>
    /// dInput = gradOutput · ∂loss/∂input for the loss <see cref="ElementwiseLoss"/> computes (gradOutput: one
    /// element, 1 when null). Masked-out rows get 0. BCE's derivative is PyTorch's: (x − y) / max(x(1 − x), 1e-12f).
    /// </summary>
    public void ElementwiseLossBackward(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, Reduction reduction, Tensor? gradOutput, Tensor dInput)
    {
        var (rows, cols) = CheckElementwiseLoss(kind, input, target, mask, reduction);
        CheckGradOutput(input, gradOutput);
        CheckSameShape(input, dInput, nameof(dInput));
        ElementwiseLossBackwardCore(kind, input, target, mask, rows, cols, reduction, gradOutput, dInput);
    }

    /// <summary>
    /// Softmax cross-entropy: logits [..., C] (read as [N, C]), targets int32 [...] (class indices in [0, C), or
    /// <paramref name="ignoreIndex"/> for a row that does not count), mask [...] or null. loss (one element) =
    /// Σ mask·(logsumexp(row) − row[target]), divided by Σ mask over the non-ignored rows for the mean.
    /// An index outside [0, C) that is not ignoreIndex throws <see cref="ArgumentOutOfRangeException"/> naming its position.
    /// </summary>
    public void CrossEntropyLoss(Tensor logits, Tensor targets, Tensor? mask, Reduction reduction, int ignoreIndex, Tensor loss)
    {
        var (rows, cols) = CheckCrossEntropy(logits, targets, mask, reduction);
        CheckSame(logits, loss, nameof(loss));
        CheckLength(loss, 1, nameof(loss), "one element");
        CrossEntropyLossCore(logits, targets, mask, rows, cols, reduction, ignoreIndex, loss);
    }

    /// <summary>dLogits = gradOutput · ∂loss/∂logits = gradOutput · w · (softmax(row) − onehot(target)) / denominator; ignored and masked-out rows get 0.</summary>
    public void CrossEntropyLossBackward(Tensor logits, Tensor targets, Tensor? mask, Reduction reduction, int ignoreIndex, Tensor? gradOutput, Tensor dLogits)
    {
        var (rows, cols) = CheckCrossEntropy(logits, targets, mask, reduction);
        CheckGradOutput(logits, gradOutput);
        CheckSameShape(logits, dLogits, nameof(dLogits));
        if (ReferenceEquals(logits.Storage, dLogits.Storage) && logits.Offset != dLogits.Offset)
            throw new ArgumentException("dLogits must be logits itself or not share its storage", nameof(dLogits));
        CrossEntropyLossBackwardCore(logits, targets, mask, rows, cols, reduction, ignoreIndex, gradOutput, dLogits);
    }

    protected abstract void ElementwiseLossCore(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor loss);
    protected abstract void ElementwiseLossBackwardCore(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor? gradOutput, Tensor dInput);
    protected abstract void CrossEntropyLossCore(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor loss);
    protected abstract void CrossEntropyLossBackwardCore(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor? gradOutput, Tensor dLogits);

    private (int Rows, int Cols) CheckElementwiseLoss(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, Reduction reduction)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown loss");
        if (!Enum.IsDefined(reduction)) throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "reduction must be Mean or Sum");
        CheckFloat(input, nameof(input));
        CheckSameShape(input, target, nameof(target));
        var (rows, cols) = LossRows(input, nameof(input));
        CheckRowMask(input, mask, rows, input.ShapeText);
        return (rows, cols);
    }

    private (int Rows, int Cols) CheckCrossEntropy(Tensor logits, Tensor targets, Tensor? mask, Reduction reduction)
    {
        if (!Enum.IsDefined(reduction)) throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "reduction must be Mean or Sum");
        CheckFloat(logits, nameof(logits));
        var (rows, cols) = LossRows(logits, nameof(logits));
        CheckOwn(targets, nameof(targets));
        if (targets.DType != DType.Int32 || !targets.Shape.SequenceEqual(logits.Shape[..^1]))
            throw new ArgumentException($"targets must be int32 {Tensor.ShapeString(logits.Shape[..^1])} (one class index per row of logits {logits.ShapeText}); got {targets.DType.Name()} {targets.ShapeText}", nameof(targets));
        CheckRowMask(logits, mask, rows, logits.ShapeText);
        return (rows, cols);
    }

    private void CheckRowMask(Tensor input, Tensor? mask, int rows, string inputShape)
    {
        if (mask is null) return;
        CheckSame(input, mask, nameof(mask));
        if (!mask.Shape.SequenceEqual(input.Shape[..^1]))
            throw new ArgumentException($"mask must have shape {Tensor.ShapeString(input.Shape[..^1])} (one weight per row of {inputShape}); got {mask.ShapeText}", nameof(mask));
    }

    private void CheckGradOutput(Tensor input, Tensor? gradOutput)
    {
        if (gradOutput is null) return;
        CheckSame(input, gradOutput, nameof(gradOutput));
        CheckLength(gradOutput, 1, nameof(gradOutput), "one element");
    }

    private static (int Rows, int Cols) LossRows(Tensor t, string argument)
    {
        if (t.Rank < 1)
            throw new ArgumentException($"{argument} must be [..., C] (rank ≥ 1); got a rank-0 tensor", argument);
        int cols = t.Dim(-1);
        long rows = 1;
        for (int i = 0; i < t.Rank - 1; i++) rows *= t.Dim(i);
        return (checked((int)rows), cols);
    }
}
