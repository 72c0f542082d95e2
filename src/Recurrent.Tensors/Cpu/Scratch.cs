// Per-thread scratch buffers that grow and are kept, so kernels that need a little workspace allocate nothing per call.
using System.Runtime.InteropServices;

namespace Recurrent.Tensors.Cpu;

internal static class Scratch
{
    [ThreadStatic] private static float[]? _float;
    [ThreadStatic] private static double[]? _double;

    /// <summary>A span of <paramref name="length"/> elements, contents unspecified, valid until this thread's next call.</summary>
    public static Span<T> Get<T>(int length) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            if (_float is null || _float.Length < length) _float = GC.AllocateArray<float>(Math.Max(length, 2 * (_float?.Length ?? 0)), pinned: true);
            return MemoryMarshal.Cast<float, T>(_float.AsSpan(0, length));
        }
        if (typeof(T) == typeof(double))
        {
            if (_double is null || _double.Length < length) _double = GC.AllocateArray<double>(Math.Max(length, 2 * (_double?.Length ?? 0)), pinned: true);
            return MemoryMarshal.Cast<double, T>(_double.AsSpan(0, length));
        }
        throw new NotSupportedException($"scratch buffers hold float or double, not {typeof(T).Name}");
    }
}
