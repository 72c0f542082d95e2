// Scalar reference of the row/column kernels: bias add, bias gradient, row sums, row-wise softmax.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    /// <summary>x [rows, cols] += bias [cols].</summary>
    public static void AddBias<T>(Span<T> x, int rows, int cols, ReadOnlySpan<T> bias) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Length(bias.Length, cols, nameof(bias), "cols");
        SpanChecks.Disjoint<T>(bias, x, nameof(bias), nameof(x));
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                x[r * cols + c] += bias[c];
    }

    /// <summary>y [cols] (+)= Σ_r x [rows, cols].</summary>
    public static void SumOverRows<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Destination(y.Length, cols, nameof(y));
        SpanChecks.Disjoint(x, y, nameof(x), nameof(y));
        for (int c = 0; c < cols; c++)
        {
            T s = accumulate ? y[c] : T.Zero;
            for (int r = 0; r < rows; r++) s += x[r * cols + c];
            y[c] = s;
        }
    }

    /// <summary>y [rows] (+)= Σ_c x [rows, cols].</summary>
    public static void SumOverCols<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y, bool accumulate) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Destination(y.Length, rows, nameof(y));
        SpanChecks.Disjoint(x, y, nameof(x), nameof(y));
        for (int r = 0; r < rows; r++)
        {
            T s = T.Zero;
            for (int c = 0; c < cols; c++) s += x[r * cols + c];
            y[r] = accumulate ? y[r] + s : s;
        }
    }

    /// <summary>Row-wise softmax, max-subtracted: y = exp(x − max) / Σ exp(x − max).</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.MatrixDestination(y.Length, rows, cols, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            T max = T.NegativeInfinity;
            for (int c = 0; c < cols; c++) max = T.Max(max, x[o + c]);
            T sum = T.Zero;
            for (int c = 0; c < cols; c++)
            {
                y[o + c] = T.Exp(x[o + c] - max);
                sum += y[o + c];
            }
            for (int c = 0; c < cols; c++) y[o + c] /= sum;
        }
    }
}
