// AddBias: x[r, c] += bias[c], in place (the bias of a layer, after its GEMM).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>x [rows, cols] += bias [cols] broadcast over rows, in place.</summary>
    public static void AddBias<T>(Span<T> x, int rows, int cols, ReadOnlySpan<T> bias, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Length(bias.Length, cols, nameof(bias), "cols");
        SpanChecks.Disjoint<T>(bias, x, nameof(bias), nameof(x));
        for (int r = 0; r < rows; r++)
        {
            Span<T> row = x.Slice(r * cols, cols);
            KernelDriver.Binary<T, AddOp<T>>(row, bias, row, T.Zero, level);
        }
    }
}
