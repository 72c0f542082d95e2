// Binary cross-entropy on probabilities, as torch.nn.BCELoss (logs clamped at −100), with a per-row mask.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>
/// ℓ = −(y·log x + (1 − y)·log(1 − x)), each log clamped at −100 as PyTorch does. input x and target y hold
/// probabilities in [0, 1] (a NaN input is let through so that it shows as a NaN loss); anything else throws.
/// </summary>
public sealed class BceLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    protected override void CheckTarget(Tensor input, Tensor target)
    {
        CheckLikeInput(input, target);
        CheckProbabilities(target, nameof(target), allowNaN: false);
        CheckProbabilities(input, nameof(input), allowNaN: true);
    }

    protected override void ForwardCore(Tensor input, Tensor target, Tensor? mask, Tensor loss) =>
        input.Device.ElementwiseLoss(ElementwiseLossKind.Bce, input, target, mask, Reduction, loss);

    protected override void BackwardCore(Tensor input, Tensor target, Tensor? mask, Tensor? gradOutput, Tensor dInput) =>
        input.Device.ElementwiseLossBackward(ElementwiseLossKind.Bce, input, target, mask, Reduction, gradOutput, dInput);
}
