// Host memory for the CPU device: 64-byte aligned (one cache line, one Vector512) and zeroed, by calloc.
using System.Runtime.InteropServices;

namespace Recurrent.Tensors.Cpu;

public sealed unsafe class CpuStorage : Storage
{
    public const int Alignment = 64;
    private static long _live;
    private void* _block; // what calloc returned; Pointer is it rounded up to the alignment

    internal CpuStorage(Device device, DType dtype, long length) : base(device, dtype, length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        // Allocate at least one line so a zero-length tensor still has a valid, aligned pointer.
        nuint bytes = (nuint)Math.Max(Alignment, length * dtype.SizeInBytes());
        // calloc, aligned by hand: a large block comes straight from mmap as zero pages, so it is not cleared twice and a
        // page costs nothing until it is written (a workspace made for evaluation never touches its backward buffers;
        // clearing them faulted in ~15% of a short experiment's CPU time).
        _block = NativeMemory.AllocZeroed(bytes + Alignment);
        Pointer = (void*)(((nuint)_block + (Alignment - 1)) & ~(nuint)(Alignment - 1));
        GC.AddMemoryPressure((long)bytes);
        Interlocked.Increment(ref _live);
    }

    /// <summary>Start of the buffer; valid until the storage is disposed or finalized.</summary>
    public void* Pointer { get; private set; }

    /// <summary>CPU storages alive in this process (for leak tests).</summary>
    public static long LiveCount => Interlocked.Read(ref _live);

    protected override void Release()
    {
        NativeMemory.Free(_block);
        _block = null;
        GC.RemoveMemoryPressure(Math.Max(Alignment, Bytes));
        Pointer = null;
        Interlocked.Decrement(ref _live);
    }
}
