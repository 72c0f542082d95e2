// The OpenCL device's loss primitives: forward reductions in one launch, backward after an on-device denominator.
// Class targets (and BCE's probabilities) are checked by the kernels and reported by the next host read (OpenClDevice.Errors.cs).
namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    protected override void ElementwiseLossCore(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor loss) =>
        Groups(input.DType, "elementwise_loss", 1,
            [rows, cols, (int)kind, reduction == Reduction.Mean, input, target, mask, mask is not null, loss, Arg.Errors]);

    protected override void ElementwiseLossBackwardCore(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor? gradOutput, Tensor dInput)
    {
        InPlaceOrDisjoint(input, dInput, nameof(input), nameof(dInput));
        InPlaceOrDisjoint(target, dInput, nameof(target), nameof(dInput));
        lock (_sync) // the denominator lives in the shared scratch buffer until the second kernel has read it
        {
            bool deviceWeight = mask is not null && reduction == Reduction.Mean;
            if (deviceWeight) Groups(input.DType, "row_weight", 1, [rows, mask, true, null, false, 0, null]);
            Elementwise(input.DType, "elementwise_loss_backward", (long)rows * cols,
                [rows, cols, (int)kind, reduction == Reduction.Mean, input, target, mask, mask is not null, gradOutput, gradOutput is not null,
                 null, deviceWeight, Arg.R(rows), dInput]);
        }
    }

    protected override void CrossEntropyLossCore(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor loss)
    {
        Groups(logits.DType, "cross_entropy", 1,
            [rows, cols, reduction == Reduction.Mean, ignoreIndex, logits, targets, mask, mask is not null, loss, Arg.Errors]);
    }

    protected override void CrossEntropyLossBackwardCore(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor? gradOutput, Tensor dLogits)
    {
        lock (_sync)
        {
            if (reduction == Reduction.Mean) Groups(logits.DType, "row_weight", 1, [rows, mask, mask is not null, targets, true, ignoreIndex, null]);
            Groups(logits.DType, "cross_entropy_backward", rows,
                [rows, cols, reduction == Reduction.Mean, ignoreIndex, logits, targets, mask, mask is not null, gradOutput, gradOutput is not null, null, dLogits, Arg.Errors]);
        }
    }
}
