// Scalar reference of the reductions: sum, max, sum of squares, L2 norm — left-to-right loops.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T s = T.Zero;
        for (int i = 0; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>NaN if any element is NaN (T.Max propagates it); −∞ for an empty span.</summary>
    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T m = T.NegativeInfinity;
        for (int i = 0; i < x.Length; i++) m = T.Max(m, x[i]);
        return m;
    }

    public static T SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T s = T.Zero;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return s;
    }

    public static T L2Norm<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Sqrt(SumOfSquares(x));
}
