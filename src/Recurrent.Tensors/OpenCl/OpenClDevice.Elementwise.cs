// The OpenCL device's GEMM, fill/copy and elementwise primitives (arithmetic, activations, clamp).
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    protected override void GemmCore(bool transA, bool transB, int m, int n, int k, double alpha, Tensor a, Tensor b, double beta, Tensor c)
    {
        Disjoint(a, c, nameof(a), nameof(c));
        Disjoint(b, c, nameof(b), nameof(c));
        if (m == 0 || n == 0) return;
        int group = GemmTile / 4; // GEMM_WPT = 4: each item computes a 4×4 block of C
        Launch(a.DType, "gemm", (nuint)((n + GemmTile - 1) / GemmTile * group), (nuint)((m + GemmTile - 1) / GemmTile * group), (nuint)group, (nuint)group,
            [transA, transB, m, n, k, Arg.R(alpha), a, a.Dim(1), b, b.Dim(1), Arg.R(beta), c, c.Dim(1)]);
    }

    protected override unsafe void FillCore(Tensor y, double value)
    {
        if (y.Length == 0) return;
        nuint offset = (nuint)y.ByteOffset, size = (nuint)(y.Length * y.DType.SizeInBytes());
        int status;
        switch (y.DType)
        {
            case DType.Float32:
            {
                float v = (float)value;
                status = ClApi.clEnqueueFillBuffer(Queue, Mem(y), &v, sizeof(float), offset, size, 0, null, null);
                break;
            }
            case DType.Float64:
                status = ClApi.clEnqueueFillBuffer(Queue, Mem(y), &value, sizeof(double), offset, size, 0, null, null);
                break;
            default:
            {
                int v = checked((int)value);
                status = ClApi.clEnqueueFillBuffer(Queue, Mem(y), &v, sizeof(int), offset, size, 0, null, null);
                break;
            }
        }
        ClStatus.Check(status, "clEnqueueFillBuffer");
        Interlocked.Increment(ref _launches);
    }

    protected override unsafe void CopyCore(Tensor source, Tensor destination)
    {
        if (source.Length == 0 || (ReferenceEquals(source.Storage, destination.Storage) && source.Offset == destination.Offset)) return;
        InPlaceOrDisjoint(source, destination, nameof(source), nameof(destination)); // clEnqueueCopyBuffer refuses overlap
        ClStatus.Check(ClApi.clEnqueueCopyBuffer(Queue, Mem(source), Mem(destination), (nuint)source.ByteOffset, (nuint)destination.ByteOffset,
            (nuint)(source.Length * source.DType.SizeInBytes()), 0, null, null), "clEnqueueCopyBuffer");
        Interlocked.Increment(ref _launches);
    }

    protected override void BinaryCore(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        InPlaceOrDisjoint(a, y, nameof(a), nameof(y));
        InPlaceOrDisjoint(b, y, nameof(b), nameof(y));
        Elementwise(a.DType, "binary", a.Length, [(int)a.Length, op == BinaryOp.Add ? 0 : 1, a, b, y]);
    }

    protected override void AxpyCore(double alpha, Tensor x, Tensor y)
    {
        InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        Elementwise(x.DType, "axpy", x.Length, [(int)x.Length, Arg.R(alpha), x, y]);
    }

    protected override void ScaleCore(double alpha, Tensor x, Tensor y)
    {
        InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        Elementwise(x.DType, "scale", x.Length, [(int)x.Length, Arg.R(alpha), x, y]);
    }

    protected override void ActivateCore(Activation f, Tensor x, Tensor y)
    {
        if (!Enum.IsDefined(f)) throw new ArgumentOutOfRangeException(nameof(f), f, "unknown activation");
        InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        Elementwise(x.DType, "activate", x.Length, [(int)x.Length, (int)f, x, y]);
    }

    protected override void ActivateBackwardCore(Activation f, Tensor y, Tensor dy, Tensor dx)
    {
        if (!Enum.IsDefined(f)) throw new ArgumentOutOfRangeException(nameof(f), f, "unknown activation");
        InPlaceOrDisjoint(y, dx, nameof(y), nameof(dx));
        InPlaceOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        Elementwise(y.DType, "activate_backward", y.Length, [(int)y.Length, (int)f, y, dy, dx]);
    }

    protected override void ClampCore(Tensor x, double min, double max, Tensor y)
    {
        InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        Elementwise(x.DType, "clamp_values", x.Length, [(int)x.Length, Arg.R(min), Arg.R(max), x, y]);
    }

    // ---- overlap rules, the CPU kernels' (SpanChecks) on (storage, offset, length) ----

    private static bool Overlap(Tensor a, Tensor b) =>
        ReferenceEquals(a.Storage, b.Storage) && a.Length > 0 && b.Length > 0 && a.Offset < b.Offset + b.Length && b.Offset < a.Offset + a.Length;

    /// <summary><paramref name="output"/> is exactly <paramref name="input"/> (in place) or shares none of its elements.</summary>
    private static void InPlaceOrDisjoint(Tensor input, Tensor output, string inputName, string outputName)
    {
        if (Overlap(input, output) && input.Offset != output.Offset)
            throw new ArgumentException(
                $"{outputName} overlaps {inputName} shifted by {output.Offset - input.Offset} elements; it must be exactly {inputName} (in place) or not overlap it.", outputName);
    }

    private static void Disjoint(Tensor input, Tensor output, string inputName, string outputName)
    {
        if (Overlap(input, output)) throw new ArgumentException($"{outputName} must not overlap {inputName}.", outputName);
    }
}
