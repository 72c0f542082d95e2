// Binary cross-entropy on logits, as torch.nn.BCEWithLogitsLoss, in the overflow-free form, with a per-row mask.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>
/// ℓ = max(x, 0) − x·y + log(1 + e^−|x|) = BCE(sigmoid(x), y) without overflow; ∂ℓ/∂x = sigmoid(x) − y.
/// target y must lie in [0, 1] (PyTorch does not check; outside it the loss has no minimum).
/// </summary>
public sealed class BceWithLogitsLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    protected override void CheckTarget(Tensor input, Tensor target)
    {
        CheckLikeInput(input, target);
        CheckProbabilities(target, nameof(target), allowNaN: false);
    }

    protected override void ForwardCore(Tensor input, Tensor target, Tensor? mask, Tensor loss) =>
        input.Device.ElementwiseLoss(ElementwiseLossKind.BceWithLogits, input, target, mask, Reduction, loss);

    protected override void BackwardCore(Tensor input, Tensor target, Tensor? mask, Tensor? gradOutput, Tensor dInput) =>
        input.Device.ElementwiseLossBackward(ElementwiseLossKind.BceWithLogits, input, target, mask, Reduction, gradOutput, dInput);
}
