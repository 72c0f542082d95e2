// Host memory for the CPU device: 64-byte aligned (one cache line, one Vector512) and zeroed.
using System.Runtime.InteropServices;

namespace Recurrent.Tensors.Cpu;

public sealed unsafe class CpuStorage : Storage
{
    public const int Alignment = 64;
    private static long _live;

    internal CpuStorage(Device device, DType dtype, long length) : base(device, dtype, length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        // Allocate at least one line so a zero-length tensor still has a valid, aligned pointer.
        nuint bytes = (nuint)Math.Max(Alignment, length * dtype.SizeInBytes());
        Pointer = NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(Pointer, bytes);
        GC.AddMemoryPressure((long)bytes);
        Interlocked.Increment(ref _live);
    }

    /// <summary>Start of the buffer; valid until the storage is disposed or finalized.</summary>
    public void* Pointer { get; private set; }

    /// <summary>CPU storages alive in this process (for leak tests).</summary>
    public static long LiveCount => Interlocked.Read(ref _live);

    protected override void Release()
    {
        NativeMemory.AlignedFree(Pointer);
        GC.RemoveMemoryPressure(Math.Max(Alignment, Bytes));
        Pointer = null;
        Interlocked.Decrement(ref _live);
    }
}
