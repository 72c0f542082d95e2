// Host ↔ device copies of the OpenCL device: uploads staged and queued without waiting, reads that wait and report kernel errors.
using System.Runtime.InteropServices;
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    // Uploads in flight: each owns a native copy of the caller's bytes (the caller's span is only borrowed for the call)
    // and the event that says when the device has taken it.
    private readonly List<(nint Event, nint Memory, long Bytes)> _staged = [];
    private long _stagedBytes;

    /// <summary>Staged bytes beyond which an upload first waits for the oldest ones (a bound on host memory, not a cadence).</summary>
    private const long StagingLimit = 256L << 20;

    /// <summary>
    /// Copies the bytes into a staging block and queues the write without waiting: a training step that uploads its
    /// batch does not stall the queue. The block is freed once the device has taken it (polled, never waited for,
    /// unless more than <see cref="StagingLimit"/> bytes are in flight).
    /// </summary>
    protected override unsafe void WriteCore(Tensor destination, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty) return;
        lock (_staged)
        {
            ReleaseTakenUploads(waitBeyond: StagingLimit - source.Length);
            nint memory = (nint)NativeMemory.Alloc((nuint)source.Length);
            source.CopyTo(new Span<byte>((void*)memory, source.Length));
            nint evt = 0;
            int status = ClApi.clEnqueueWriteBuffer(Queue, Mem(destination), ClApi.CL_FALSE, (nuint)destination.ByteOffset, (nuint)source.Length,
                (void*)memory, 0, null, &evt);
            if (status != 0) NativeMemory.Free((void*)memory);
            ClStatus.Check(status, "clEnqueueWriteBuffer");
            _staged.Add((evt, memory, source.Length));
            _stagedBytes += source.Length;
        }
    }

    /// <summary>
    /// Reads after everything queued before it (one wait). The error words ride along in the same queue, so bad input
    /// a kernel met since the last read is thrown here, at no extra wait.
    /// </summary>
    protected override unsafe void ReadCore(Tensor source, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        int* errors = stackalloc int[ErrorWords];
        ClStatus.Check(ClApi.clEnqueueReadBuffer(Queue, _errors, ClApi.CL_FALSE, 0, ErrorWords * sizeof(int), errors, 0, null, null), "clEnqueueReadBuffer(errors)");
        int status;
        fixed (byte* p = destination)
            status = ClApi.clEnqueueReadBuffer(Queue, Mem(source), ClApi.CL_TRUE, (nuint)source.ByteOffset, (nuint)destination.Length, p, 0, null, null);
        if (status != 0) ClApi.clFinish(Queue); // the errors read must not land in this frame after it is gone
        ClStatus.Check(status, "clEnqueueReadBuffer");
        Interlocked.Increment(ref _hostWaits);
        AfterWait(errors); // in-order queue: the errors read (queued first) has finished too
    }

    /// <summary>Waits until every enqueued command has finished (clFinish), then reports bad input any kernel met.</summary>
    public override unsafe void Synchronize()
    {
        int* errors = stackalloc int[ErrorWords];
        ClStatus.Check(ClApi.clEnqueueReadBuffer(Queue, _errors, ClApi.CL_FALSE, 0, ErrorWords * sizeof(int), errors, 0, null, null), "clEnqueueReadBuffer(errors)");
        ClStatus.Check(ClApi.clFinish(Queue), "clFinish");
        Interlocked.Increment(ref _hostWaits);
        AfterWait(errors);
    }

    private unsafe void AfterWait(int* errors)
    {
        lock (_staged) ReleaseTakenUploads(waitBeyond: long.MaxValue);
        if (errors[0] != 0) ThrowKernelError(new ReadOnlySpan<int>(errors, ErrorWords));
    }

    /// <summary>Frees every staged upload the device has taken; while more than <paramref name="waitBeyond"/> bytes stay staged, waits for the oldest.</summary>
    private unsafe void ReleaseTakenUploads(long waitBeyond)
    {
        int kept = 0;
        for (int i = 0; i < _staged.Count; i++)
        {
            var (evt, memory, bytes) = _staged[i];
            int state = ClApi.CL_COMPLETE;
            if (evt != 0)
            {
                ClStatus.Check(ClApi.clGetEventInfo(evt, ClApi.CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(int), &state, null), "clGetEventInfo");
                if (state > ClApi.CL_COMPLETE && _stagedBytes > waitBeyond)
                {
                    ClStatus.Check(ClApi.clWaitForEvents(1, &evt), "clWaitForEvents");
                    Interlocked.Increment(ref _hostWaits);
                    state = ClApi.CL_COMPLETE;
                }
            }
            if (state > ClApi.CL_COMPLETE) // queued, submitted or running: keep (a negative state is a failed write: free it too)
            {
                _staged[kept++] = _staged[i];
                continue;
            }
            if (evt != 0) ClApi.clReleaseEvent(evt);
            NativeMemory.Free((void*)memory);
            _stagedBytes -= bytes;
        }
        _staged.RemoveRange(kept, _staged.Count - kept);
    }
}
