// SafeHandle wrappers for every OpenCL object this library creates, so each is released exactly once, from any thread.
using System.Runtime.InteropServices;

namespace Recurrent.Tensors.OpenCl.Native;

// clRelease* is thread-safe (OpenCL ≥ 1.1: every call but clSetKernelArg on a shared kernel), and the runtime keeps an
// object alive while queued commands still use it, so ReleaseHandle may run on the finalizer thread while the queue is
// busy. Release failures are not thrown (a finalizer must not throw); ReleaseHandle reports them as false.

internal sealed class ClContextHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle() => ClApi.clReleaseContext(handle) == 0;
}

internal sealed class ClQueueHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle() => ClApi.clReleaseCommandQueue(handle) == 0;
}

internal sealed class ClMemHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle() => ClApi.clReleaseMemObject(handle) == 0;
}

internal sealed class ClProgramHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle() => ClApi.clReleaseProgram(handle) == 0;
}

internal sealed class ClKernelHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
    protected override bool ReleaseHandle() => ClApi.clReleaseKernel(handle) == 0;
}
