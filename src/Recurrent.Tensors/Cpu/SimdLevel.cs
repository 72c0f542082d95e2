// Which vector width a CPU kernel may use; kernels take it as an argument so tests can drive every path.
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>The widest vector a CPU kernel is allowed to use. Scalar is the plain loop (the reference's shape).</summary>
public enum SimdLevel
{
    Scalar = 0,
    /// <summary>The portable fallback: Vector128 runs on every x64 and Arm64 CPU .NET supports.</summary>
    Vector128 = 1,
    Vector256 = 2,
    Vector512 = 3,
}

public static class SimdCaps
{
    /// <summary>The widest level this CPU accelerates (respects DOTNET_EnableAVX512F=0 and friends).</summary>
    public static SimdLevel Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdLevel.Vector512
        : Vector256.IsHardwareAccelerated ? SimdLevel.Vector256
        : Vector128.IsHardwareAccelerated ? SimdLevel.Vector128
        : SimdLevel.Scalar;

    /// <summary>True when a kernel asked for <paramref name="level"/> can actually run it here.</summary>
    public static bool IsSupported(SimdLevel level) => level <= Best;

    /// <summary>The level a kernel should run: the one asked for, capped at what the hardware accelerates.</summary>
    public static SimdLevel Clamp(SimdLevel requested) => requested <= Best ? requested : Best;

    /// <summary>Vector lanes of <typeparamref name="T"/> at a level (1 for Scalar).</summary>
    public static int Lanes<T>(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => Vector512<T>.Count,
        SimdLevel.Vector256 => Vector256<T>.Count,
        SimdLevel.Vector128 => Vector128<T>.Count,
        _ => 1,
    };
}
