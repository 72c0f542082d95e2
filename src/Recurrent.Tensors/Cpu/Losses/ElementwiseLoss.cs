// The elementwise losses' entry points: MSE, BCE and BCE-with-logits, forward (reduced) and backward, with a row mask.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>
    /// The reduced loss of input against target, both [rows, cols]; mask: one weight per row, or empty for none.
    /// Sum = Σ_r mask[r]·Σ_c ℓ(x, y); Mean divides by Σ mask × cols (rows × cols without a mask). Rows whose
    /// weight is exactly 0 are skipped. Blocks of ≤ 4096 elements are summed in T across vector lanes; blocks and rows in double.
    /// </summary>
    public static T ElementwiseLoss<T>(ElementwiseLossKind kind, ReadOnlySpan<T> input, ReadOnlySpan<T> target, ReadOnlySpan<T> mask,
        int rows, int cols, Reduction reduction, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T> => kind switch
    {
        ElementwiseLossKind.Mse => LossDriver.Forward<T, MseValueOp<T>>(input, target, mask, rows, cols, reduction, level),
        ElementwiseLossKind.Bce => LossDriver.Forward<T, BceValueOp<T>>(input, target, mask, rows, cols, reduction, level),
        ElementwiseLossKind.BceWithLogits => LossDriver.Forward<T, BceWithLogitsValueOp<T>>(input, target, mask, rows, cols, reduction, level),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown loss"),
    };

    /// <summary>dInput = gradOutput · ∂(the loss <see cref="ElementwiseLoss{T}"/> returns)/∂input; 0 on rows with weight 0. dInput may be input.</summary>
    public static void ElementwiseLossBackward<T>(ElementwiseLossKind kind, ReadOnlySpan<T> input, ReadOnlySpan<T> target, ReadOnlySpan<T> mask,
        int rows, int cols, Reduction reduction, T gradOutput, Span<T> dInput, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case ElementwiseLossKind.Mse: LossDriver.Backward<T, MseGradOp<T>>(input, target, mask, rows, cols, reduction, gradOutput, dInput, level); break;
            case ElementwiseLossKind.Bce: LossDriver.Backward<T, BceGradOp<T>>(input, target, mask, rows, cols, reduction, gradOutput, dInput, level); break;
            case ElementwiseLossKind.BceWithLogits: LossDriver.Backward<T, BceWithLogitsGradOp<T>>(input, target, mask, rows, cols, reduction, gradOutput, dInput, level); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown loss");
        }
    }
}
