// Scalar reference of the losses: MSE, BCE, BCE-with-logits and softmax cross-entropy, forward and backward, plain loops.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    /// <summary>The per-element loss ℓ(x, y), written straight from its definition.</summary>
    public static T LossTerm<T>(ElementwiseLossKind kind, T x, T y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T floor = T.CreateTruncating(-100.0);
        return kind switch
        {
            ElementwiseLossKind.Mse => (x - y) * (x - y),
            ElementwiseLossKind.Bce => -(y * T.Max(T.Log(x), floor) + (T.One - y) * T.Max(T.Log(T.One - x), floor)),
            _ => T.Max(x, T.Zero) - x * y + T.LogP1(T.Exp(-T.Abs(x))),
        };
    }

    /// <summary>∂ℓ/∂x (BCE: PyTorch's (x − y) / max(x(1 − x), (float)1e-12)).</summary>
    public static T LossTermGrad<T>(ElementwiseLossKind kind, T x, T y) where T : unmanaged, IBinaryFloatingPointIeee754<T> => kind switch
    {
        ElementwiseLossKind.Mse => (x + x) - (y + y),
        ElementwiseLossKind.Bce => (x - y) / T.Max((T.One - x) * x, T.CreateTruncating((double)1e-12f)),
        _ => T.One / (T.One + T.Exp(-x)) - y,
    };

    /// <summary>Σ_r w_r Σ_c ℓ(x[r, c], y[r, c]), rows with w_r = 0 skipped; Mean divides by Σ w × cols.</summary>
    public static T ElementwiseLoss<T>(ElementwiseLossKind kind, ReadOnlySpan<T> input, ReadOnlySpan<T> target, ReadOnlySpan<T> mask,
        int rows, int cols, Reduction reduction) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        LossDriver.CheckShapes(input, target, mask, rows, cols, nameof(input), nameof(target));
        double total = 0, weight = 0;
        for (int r = 0; r < rows; r++)
        {
            double w = mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
            if (w == 0) continue;
            double rowSum = 0;
            for (int c = 0; c < cols; c++)
                rowSum += double.CreateTruncating(LossTerm(kind, input[r * cols + c], target[r * cols + c]));
            total += w * rowSum;
            weight += w;
        }
        return T.CreateTruncating(reduction == Reduction.Mean ? total / (weight * cols) : total);
    }

    public static void ElementwiseLossBackward<T>(ElementwiseLossKind kind, ReadOnlySpan<T> input, ReadOnlySpan<T> target, ReadOnlySpan<T> mask,
        int rows, int cols, Reduction reduction, T gradOutput, Span<T> dInput) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        LossDriver.CheckShapes(input, target, mask, rows, cols, nameof(input), nameof(target));
        SpanChecks.MatrixDestination(dInput.Length, rows, cols, nameof(dInput));
        double weight = 0;
        for (int r = 0; r < rows; r++) weight += mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
        double perWeight = double.CreateTruncating(gradOutput) / (reduction == Reduction.Mean ? weight * cols : 1);
        for (int r = 0; r < rows; r++)
        {
            double w = mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
            T s = T.CreateTruncating(perWeight * w);
            for (int c = 0; c < cols; c++)
            {
                int i = r * cols + c;
                dInput[i] = w == 0 ? T.Zero : s * LossTermGrad(kind, input[i], target[i]);
            }
        }
    }

    /// <summary>Σ_r w_r·(log Σ_c exp(x[r, c] − max) + max − x[r, t_r]) over counted rows; Mean divides by their Σ w.</summary>
    public static T CrossEntropyLoss<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> mask, int rows, int cols,
        Reduction reduction, int ignoreIndex = -100) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CpuKernels.CheckCrossEntropy(logits, targets, mask, rows, cols, ignoreIndex);
        double total = 0, weight = 0;
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            double w = mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
            if (t == ignoreIndex || w == 0) continue;
            T max = T.NegativeInfinity;
            for (int c = 0; c < cols; c++) max = T.Max(max, logits[r * cols + c]);
            T sum = T.Zero;
            for (int c = 0; c < cols; c++) sum += T.Exp(logits[r * cols + c] - max);
            total += w * double.CreateTruncating(max + T.Log(sum) - logits[r * cols + t]);
            weight += w;
        }
        return T.CreateTruncating(reduction == Reduction.Mean ? total / weight : total);
    }

    public static void CrossEntropyLossBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> mask, int rows, int cols,
        Reduction reduction, int ignoreIndex, T gradOutput, Span<T> dLogits) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CpuKernels.CheckCrossEntropy(logits, targets, mask, rows, cols, ignoreIndex);
        SpanChecks.MatrixDestination(dLogits.Length, rows, cols, nameof(dLogits));
        SpanChecks.Disjoint(logits, dLogits, nameof(logits), nameof(dLogits));
        double weight = 0;
        for (int r = 0; r < rows; r++)
            if (targets[r] != ignoreIndex) weight += mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
        double perWeight = double.CreateTruncating(gradOutput) / (reduction == Reduction.Mean ? weight : 1);
        for (int r = 0; r < rows; r++)
        {
            int t = targets[r];
            double w = mask.IsEmpty ? 1 : double.CreateTruncating(mask[r]);
            bool skip = t == ignoreIndex || w == 0;
            T s = T.CreateTruncating(perWeight * w);
            T max = T.NegativeInfinity;
            for (int c = 0; c < cols; c++) max = T.Max(max, logits[r * cols + c]);
            T sum = T.Zero;
            for (int c = 0; c < cols; c++) sum += T.Exp(logits[r * cols + c] - max);
            for (int c = 0; c < cols; c++)
            {
                T p = T.Exp(logits[r * cols + c] - max) / sum;
                dLogits[r * cols + c] = skip ? T.Zero : s * (c == t ? p - T.One : p);
            }
        }
    }
}
