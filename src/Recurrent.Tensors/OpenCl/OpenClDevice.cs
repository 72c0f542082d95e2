// The OpenCL device: one context and one in-order queue on one OpenCL device, memory transfers and the instrumentation counters.
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

/// <summary>
/// Runs the primitive set as hand-written OpenCL C kernels (OpenCl/Kernels/*.cl) on one device, got from
/// <see cref="OpenClRuntime.Open"/>. Kernels and uploads are enqueued without waiting (one in-order queue keeps them in
/// order); only reads to the host block, until everything before them has run — and bad input a kernel met (an index
/// out of range…) is reported then, by the read (see OpenClDevice.Errors.cs). Safe to call from several threads: setting a
/// kernel's arguments and enqueueing it happen under one lock. float32 always; float64 when the device has cl_khr_fp64.
/// </summary>
public sealed partial class OpenClDevice : Device
{
    private readonly object _sync = new();
    private readonly OpenClProgram?[] _programs = new OpenClProgram?[2]; // by dtype: float32, float64
    private readonly ClMemHandle _scratch;                                // one element per reduction result; also the stand-in for absent optional tensors
    private long _launches, _liveBuffers, _hostWaits;

    internal unsafe OpenClDevice(OpenClDeviceInfo info)
    {
        Info = info;
        nint device = info.DeviceId;
        nint* properties = stackalloc nint[] { ClApi.CL_CONTEXT_PLATFORM, info.PlatformId, 0 };
        int status;
        Context = ClApi.clCreateContext(properties, 1, &device, 0, 0, &status);
        ClStatus.Check(status, $"clCreateContext({info.Name})");
        Queue = ClApi.clCreateCommandQueue(Context, device, 0, &status); // in-order, no profiling
        ClStatus.Check(status, $"clCreateCommandQueue({info.Name})");
        _scratch = ClApi.clCreateBuffer(Context, ClApi.CL_MEM_READ_WRITE, 64, null, &status);
        ClStatus.Check(status, "clCreateBuffer(scratch)");
        ZeroFill(_scratch, 64);
        _errors = ClApi.clCreateBuffer(Context, ClApi.CL_MEM_READ_WRITE, ErrorWords * sizeof(int), null, &status);
        ClStatus.Check(status, "clCreateBuffer(errors)");
        ZeroFill(_errors, ErrorWords * sizeof(int));

        // Launch geometry, fixed per device and baked into the programs as defines.
        int maxGroup = Math.Max(1, info.MaxWorkGroupSize);
        ElementGroup = Math.Min(64, maxGroup);
        ReduceGroup = 1;
        while (ReduceGroup * 2 <= Math.Min(256, maxGroup)) ReduceGroup *= 2;
        GemmTile = maxGroup >= 256 ? 64 : maxGroup >= 64 ? 32 : 16; // work-group = (tile/4)² items
    }

    public OpenClDeviceInfo Info { get; }

    /// <summary>"opencl:N", as in <c>--device opencl:N</c>.</summary>
    public override string Name => Info.Moniker;
    public override DeviceKind Kind => DeviceKind.OpenCl;

    /// <summary>Device commands enqueued so far (kernels and buffer fills/copies, not host transfers); monotonic.</summary>
    public long LaunchCount => Interlocked.Read(ref _launches);

    /// <summary>
    /// Times the host has waited for the queue so far (blocking reads — Item(), ToArray() — and Synchronize); monotonic.
    /// Uploads do not wait (they are staged), so a training step that reads nothing back adds none.
    /// </summary>
    public long HostWaits => Interlocked.Read(ref _hostWaits);

    /// <summary>Tensor storages (cl_mem buffers) alive on this device now: the leak detector of the buffer-lifetime tests.</summary>
    public long LiveBuffers => Interlocked.Read(ref _liveBuffers);

    internal ClContextHandle Context { get; }
    internal ClQueueHandle Queue { get; }
    internal int ElementGroup { get; }
    internal int ReduceGroup { get; }
    internal int GemmTile { get; }

    public override Storage Allocate(DType dtype, long length)
    {
        if (dtype == DType.Float64 && !Info.HasFp64)
            throw new NotSupportedException($"{Name} ({Info.Name}) has no cl_khr_fp64, so it cannot hold float64 tensors; use float32 on it, or the CPU device for float64");
        return new OpenClStorage(this, dtype, length);
    }

    internal void BufferCreated() => Interlocked.Increment(ref _liveBuffers);
    internal void BufferReleased() => Interlocked.Decrement(ref _liveBuffers);

    internal unsafe void ZeroFill(ClMemHandle buffer, long bytes)
    {
        int zero = 0;
        ClStatus.Check(ClApi.clEnqueueFillBuffer(Queue, buffer, &zero, sizeof(int), 0, (nuint)bytes, 0, null, null), "clEnqueueFillBuffer(zero)");
        Interlocked.Increment(ref _launches);
    }

    private static ClMemHandle Mem(Tensor t) => ((OpenClStorage)t.Storage).Handle;

    /// <summary>The program of <paramref name="dtype"/>, built on first use; the caller holds <see cref="_sync"/>.</summary>
    private OpenClProgram Program(DType dtype)
    {
        int slot = dtype == DType.Float64 ? 1 : 0;
        return _programs[slot] ??= OpenClProgram.Build(this, dtype, $"-D WG={ReduceGroup} -D GEMM_TS={GemmTile} -D GEMM_WPT=4");
    }

    /// <summary>Builds arbitrary source for this device (tests: a broken kernel must surface its build log).</summary>
    internal void BuildForTest(string source, DType dtype = DType.Float32) =>
        OpenClProgram.BuildProgram(Context, Info.DeviceId, source, OpenClProgram.Options(dtype, $"-D WG={ReduceGroup}")).Dispose();
}
