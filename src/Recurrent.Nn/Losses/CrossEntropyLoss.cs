// Softmax cross-entropy over class indices, as torch.nn.CrossEntropyLoss (ignore_index), with a per-row mask.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>
/// input: logits [..., C] (classes on the LAST dimension — PyTorch wants [N, C, d…] for extra dims; here [B, T, C]
/// works as is); target: int32 [...] = input.Shape[..^1], each in [0, C) or <see cref="IgnoreIndex"/>.
/// ℓ_row = logsumexp(row) − row[target]; Mean = Σ(mask·ℓ) / Σ mask over the rows not ignored (NaN if none, like PyTorch).
/// </summary>
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean, int ignoreIndex = -100) : Loss(reduction)
{
    public int IgnoreIndex { get; } = ignoreIndex;

    protected override void CheckTarget(Tensor input, Tensor target)
    {
        if (!input.Device.SharesMemoryWith(target.Device) || target.DType != DType.Int32 || !target.Shape.SequenceEqual(input.Shape[..^1]))
            throw new ArgumentException($"target must be int32 class indices of shape {Tensor.ShapeString(input.Shape[..^1])} on {input.Device.Name} " +
                $"(one per row of input {input.ShapeText}); got {target.DType.Name()} {target.ShapeText} on {target.Device.Name}", nameof(target));
        if (!HostCanCheck(target)) return; // the device's kernels check the indices (see Loss.HostCanCheck)
        int classes = input.Dim(-1);
        ReadOnlySpan<int> indices = HostValues<int>(target);
        for (int i = 0; i < indices.Length; i++)
        {
            int t = indices[i];
            if (t != IgnoreIndex && (uint)t >= (uint)classes)
                throw new ArgumentException($"target{Position(target.Shape, i)} = {t} is not a class index in [0, {classes}) " +
                    $"nor the ignore index {IgnoreIndex}", nameof(target));
        }
    }

    protected override void ForwardCore(Tensor input, Tensor target, Tensor? mask, Tensor loss) =>
        input.Device.CrossEntropyLoss(input, target, mask, Reduction, IgnoreIndex, loss);

    protected override void BackwardCore(Tensor input, Tensor target, Tensor? mask, Tensor? gradOutput, Tensor dInput) =>
        input.Device.CrossEntropyLossBackward(input, target, mask, Reduction, IgnoreIndex, gradOutput, dInput);
}
