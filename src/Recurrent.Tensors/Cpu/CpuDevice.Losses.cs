// The CPU device's loss primitives: dtype dispatch onto the span kernels in Cpu/Losses.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public sealed partial class CpuDevice
{
    protected override void ElementwiseLossCore(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor loss)
    {
        if (input.DType == DType.Float32) ElementwiseLoss<float>(kind, input, target, mask, rows, cols, reduction, loss);
        else ElementwiseLoss<double>(kind, input, target, mask, rows, cols, reduction, loss);
    }

    private void ElementwiseLoss<T>(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor loss)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        loss.AsSpan<T>()[0] = kind == ElementwiseLossKind.Mse && mask is null && PassParts((long)rows * cols) > 1
            ? ParallelMseForward<T>(input.AsSpan<T>(), target.AsSpan<T>(), rows, cols, reduction)
            : CpuKernels.ElementwiseLoss<T>(kind, input.AsSpan<T>(), target.AsSpan<T>(), MaskSpan<T>(mask), rows, cols, reduction, Simd);

    protected override void ElementwiseLossBackwardCore(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor? gradOutput, Tensor dInput)
    {
        if (input.DType == DType.Float32) ElementwiseLossBackward<float>(kind, input, target, mask, rows, cols, reduction, gradOutput, dInput);
        else ElementwiseLossBackward<double>(kind, input, target, mask, rows, cols, reduction, gradOutput, dInput);
    }

    private void ElementwiseLossBackward<T>(ElementwiseLossKind kind, Tensor input, Tensor target, Tensor? mask, int rows, int cols, Reduction reduction, Tensor? gradOutput, Tensor dInput)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (kind == ElementwiseLossKind.Mse && mask is null && PassParts((long)rows * cols) > 1)
        {
            // LossDriver.Backward's unmasked branch, split over threads: the same scale, the same op per element.
            double g = gradOutput is null ? 1 : double.CreateTruncating(gradOutput.AsSpan<T>()[0]);
            ParallelMseBackward(input.AsSpan<T>(), target.AsSpan<T>(), dInput.AsSpan<T>()[..(rows * cols)],
                T.CreateTruncating(LossDriver.UnmaskedScale(reduction, g, rows, cols)));
            return;
        }
        CpuKernels.ElementwiseLossBackward<T>(kind, input.AsSpan<T>(), target.AsSpan<T>(), MaskSpan<T>(mask), rows, cols, reduction,
            gradOutput is null ? T.One : gradOutput.AsSpan<T>()[0], dInput.AsSpan<T>(), Simd);
    }

    protected override void CrossEntropyLossCore(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor loss)
    {
        if (logits.DType == DType.Float32) CrossEntropy<float>(logits, targets, mask, rows, cols, reduction, ignoreIndex, loss);
        else CrossEntropy<double>(logits, targets, mask, rows, cols, reduction, ignoreIndex, loss);
    }

    private void CrossEntropy<T>(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor loss)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        loss.AsSpan<T>()[0] = CpuKernels.CrossEntropyLoss<T>(logits.AsSpan<T>(), targets.AsSpan<int>(), MaskSpan<T>(mask), rows, cols, reduction, ignoreIndex, Simd);

    protected override void CrossEntropyLossBackwardCore(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor? gradOutput, Tensor dLogits)
    {
        if (logits.DType == DType.Float32) CrossEntropyBackward<float>(logits, targets, mask, rows, cols, reduction, ignoreIndex, gradOutput, dLogits);
        else CrossEntropyBackward<double>(logits, targets, mask, rows, cols, reduction, ignoreIndex, gradOutput, dLogits);
    }

    private void CrossEntropyBackward<T>(Tensor logits, Tensor targets, Tensor? mask, int rows, int cols, Reduction reduction, int ignoreIndex, Tensor? gradOutput, Tensor dLogits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        CpuKernels.CrossEntropyLossBackward<T>(logits.AsSpan<T>(), targets.AsSpan<int>(), MaskSpan<T>(mask), rows, cols, reduction, ignoreIndex,
            gradOutput is null ? T.One : gradOutput.AsSpan<T>()[0], dLogits.AsSpan<T>(), Simd);

    // An empty span means "no mask" to the kernels; a mask over zero rows is empty either way and means the same.
    private static ReadOnlySpan<T> MaskSpan<T>(Tensor? mask) where T : unmanaged => mask is null ? default : mask.AsSpan<T>();
}
