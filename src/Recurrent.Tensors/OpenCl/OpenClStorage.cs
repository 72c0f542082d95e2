// Device memory of the OpenCL device: one cl_mem per storage; tensors address it by element offset (never sub-buffers).
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

/// <summary>
/// A zero-filled cl_mem buffer. Release may run on the finalizer thread: clReleaseMemObject is thread-safe and the
/// runtime frees the memory only once the commands already queued on it have finished, so nothing in flight is lost
/// and no hand-off to the device's thread is needed.
/// </summary>
public sealed class OpenClStorage : Storage
{
    private readonly OpenClDevice _device;

    internal unsafe OpenClStorage(OpenClDevice device, DType dtype, long length) : base(device, dtype, length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _device = device;
        // A zero-length tensor still gets a real buffer (OpenCL has no empty ones); whole 64-byte lines keep the
        // zero fill a multiple of its 4-byte pattern.
        long bytes = Math.Max(64, (length * dtype.SizeInBytes() + 63) / 64 * 64);
        if (bytes > device.Info.MaxAllocationBytes)
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"{length} {dtype.Name()} elements ({bytes} bytes) exceed the largest buffer {device.Name} can allocate ({device.Info.MaxAllocationBytes} bytes)");
        int status;
        Handle = ClApi.clCreateBuffer(device.Context, ClApi.CL_MEM_READ_WRITE, (nuint)bytes, null, &status);
        ClStatus.Check(status, $"clCreateBuffer({bytes} bytes)");
        device.ZeroFill(Handle, bytes);
        device.BufferCreated();
    }

    internal ClMemHandle Handle { get; }

    protected override void Release()
    {
        Handle.Dispose();
        _device.BufferReleased();
    }
}
