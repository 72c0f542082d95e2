// AddBias: x[r, c] += bias[c], in place (the bias of a layer, after its GEMM).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>Rows narrower than this add the bias through a repeated pattern instead of one call per row.</summary>
    private const int NarrowBias = 64;

    /// <summary>x [rows, cols] += bias [cols] broadcast over rows, in place.</summary>
    public static void AddBias<T>(Span<T> x, int rows, int cols, ReadOnlySpan<T> bias, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Shape(rows, cols);
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.Length(bias.Length, cols, nameof(bias), "cols");
        SpanChecks.Disjoint<T>(bias, x, nameof(bias), nameof(x));
        if (cols < NarrowBias && rows > 1)
        {
            // Narrow rows (a 16-unit layer's [T·B, 16]): a kernel call per row cost more than its 16 additions. The bias
            // is repeated into a pattern of whole rows at least 256 long, added to the flat x a pattern at a time
            // (the same x[r, c] + bias[c] per element).
            int rowsPerChunk = Math.Max(1, 256 / cols), length = rowsPerChunk * cols;
            Span<T> pattern = stackalloc T[length];
            for (int k = 0; k < length; k++) pattern[k] = bias[k % cols];
            int r0 = 0;
            for (; r0 + rowsPerChunk <= rows; r0 += rowsPerChunk)
            {
                Span<T> chunk = x.Slice(r0 * cols, length);
                KernelDriver.Binary<T, AddOp<T>>(chunk, pattern, chunk, T.Zero, level);
            }
            if (r0 < rows)
            {
                Span<T> rest = x.Slice(r0 * cols, (rows - r0) * cols);
                KernelDriver.Binary<T, AddOp<T>>(rest, pattern[..rest.Length], rest, T.Zero, level);
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            Span<T> row = x.Slice(r * cols, cols);
            KernelDriver.Binary<T, AddOp<T>>(row, bias, row, T.Zero, level);
        }
    }
}
