// Mean squared error, as torch.nn.MSELoss, with a per-row mask.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>ℓ = (input − target)²; target has input's shape. Mean = Σ(mask·ℓ) / (Σ mask × C).</summary>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    protected override void CheckTarget(Tensor input, Tensor target) => CheckLikeInput(input, target);

    protected override void ForwardCore(Tensor input, Tensor target, Tensor? mask, Tensor loss) =>
        input.Device.ElementwiseLoss(ElementwiseLossKind.Mse, input, target, mask, Reduction, loss);

    protected override void BackwardCore(Tensor input, Tensor target, Tensor? mask, Tensor? gradOutput, Tensor dInput) =>
        input.Device.ElementwiseLossBackward(ElementwiseLossKind.Mse, input, target, mask, Reduction, gradOutput, dInput);
}
