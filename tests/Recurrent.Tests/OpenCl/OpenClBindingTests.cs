// The binding and discovery: device listing, status names, build failures carrying the compiler's log, clear errors for bad input.
using Recurrent.Tensors;
using Recurrent.Tensors.OpenCl;
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tests.OpenCl;

public class OpenClBindingTests
{
    [OpenClFact]
    public void DiscoveryDescribesEveryDevice()
    {
        Assert.True(OpenClRuntime.IsAvailable);
        Assert.Null(OpenClRuntime.UnavailableReason);
        var devices = OpenClRuntime.Devices();
        Assert.NotEmpty(devices);
        for (int i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            Assert.Equal(i, d.Index);
            Assert.Equal($"opencl:{i}", d.Moniker);
            Assert.False(string.IsNullOrWhiteSpace(d.Name));
            Assert.False(string.IsNullOrWhiteSpace(d.PlatformName));
            Assert.StartsWith("OpenCL", d.PlatformVersion);
            Assert.StartsWith("OpenCL C", d.OpenClCVersion);
            Assert.True(d.GlobalMemoryBytes > 0 && d.MaxAllocationBytes > 0 && d.MaxAllocationBytes <= d.GlobalMemoryBytes);
            Assert.True(d.ComputeUnits > 0 && d.MaxWorkGroupSize > 0 && d.LocalMemoryBytes > 0);
            Assert.Contains(d.Moniker, d.ToString());
        }
    }

    [OpenClFact]
    public void OpenGivesOneDevicePerIndexAndRejectsOthers()
    {
        Assert.Same(OpenClRuntime.Open(0), OpenClRuntime.Open(0));
        Assert.Equal("opencl:0", OpenClRuntime.Open(0).Name);
        Assert.Equal(DeviceKind.OpenCl, OpenClRuntime.Open(0).Kind);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OpenClRuntime.Open(OpenClRuntime.Devices().Count));
        Assert.Contains("opencl:0", e.Message);
    }

    [Fact]
    public void StatusCodesHaveTheirClHeaderNames()
    {
        Assert.Equal("CL_OUT_OF_RESOURCES", ClStatus.Name(-5));
        Assert.Equal("CL_BUILD_PROGRAM_FAILURE", ClStatus.Name(-11));
        Assert.Equal("CL_INVALID_KERNEL_ARGS", ClStatus.Name(-52));
        Assert.Equal("CL_INVALID_GLOBAL_WORK_SIZE", ClStatus.Name(-63));
        Assert.Equal("CL_PLATFORM_NOT_FOUND_KHR", ClStatus.Name(-1001));
        Assert.Equal("CL_UNKNOWN_ERROR(-9999)", ClStatus.Name(-9999));
        var e = Assert.Throws<OpenClException>(() => ClStatus.Check(-4, "clCreateBuffer(64 bytes)"));
        Assert.Equal("CL_MEM_OBJECT_ALLOCATION_FAILURE", e.StatusName);
        Assert.Equal("clCreateBuffer(64 bytes)", e.Call);
        Assert.Contains("clCreateBuffer(64 bytes) failed with CL_MEM_OBJECT_ALLOCATION_FAILURE (-4)", e.Message);
        ClStatus.Check(0, "clFinish"); // success is silent
    }

    [OpenClFact]
    public void BrokenKernelSourceThrowsWithTheBuildLog()
    {
        const string broken = "__kernel void broken(__global REAL* x) { x[0] = undeclared_thing + ; }";
        var e = Assert.Throws<OpenClException>(() => Ocl.Device.BuildForTest(broken));
        Assert.Equal("CL_BUILD_PROGRAM_FAILURE", e.StatusName);
        Assert.Equal(-11, e.Status);
        Assert.Equal("clBuildProgram", e.Call);
        Assert.NotNull(e.BuildLog);
        Assert.Contains("undeclared_thing", e.BuildLog);
        Assert.Contains("CL_BUILD_PROGRAM_FAILURE", e.Message);
        Assert.Contains(e.BuildLog!.Trim().Split('\n')[0], e.Message);
    }

    [OpenClFact]
    public void TheEmbeddedKernelsBuildForEveryDtype()
    {
        Ocl.Device.BuildForTest("__kernel void ok(__global REAL* x) { x[get_global_id(0)] = (REAL)1; }");
        if (OpenClRuntime.Devices()[0].HasFp64)
            Ocl.Device.BuildForTest("__kernel void ok(__global REAL* x) { x[get_global_id(0)] = (REAL)1; }", DType.Float64);
    }

    [OpenClFact]
    public void MixingCpuAndOpenClTensorsNamesTheArgument()
    {
        var onDevice = Tensor.Zeros([3], DType.Float32, Ocl.Device);
        var onCpu = Tensor.Zeros([3], DType.Float32);
        var e = Assert.Throws<ArgumentException>(() => Ocl.Device.Add(onDevice, onCpu, onDevice));
        Assert.Equal("b", e.ParamName);
        Assert.Contains("cpu", e.Message);
        Assert.Contains("opencl:0", e.Message);
        e = Assert.Throws<ArgumentException>(() => Device.Cpu.Gemm(onCpu.Reshape(1, 3), false, onDevice.Reshape(3, 1), false, Tensor.Zeros(1, 1)));
        Assert.Equal("b", e.ParamName);
        Assert.Throws<InvalidOperationException>(() => onDevice.AsSpan<float>()); // host spans are CPU-only: use ToArray
    }

    /// <summary>
    /// Bad indices are found by the kernels (no read-back per call) and thrown by the next host read with the CPU
    /// device's message; overlapping operands are still rejected at the call, before anything is queued.
    /// </summary>
    [OpenClFact]
    public void BadIndicesAreReportedByTheNextReadAndOverlapsAtTheCall()
    {
        // A device of its own: a planted error is thrown by the next read from its device, whichever test makes it.
        var device = new OpenClDevice(OpenClRuntime.Devices()[0]);
        var table = Tensor.Zeros([4, 2], DType.Float32, device);
        var indices = Tensor.From([0, 4], [2]).To(device);
        var y = Tensor.Zeros([2, 2], DType.Float32, device);
        device.EmbeddingGather(table, indices, y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => y.ToArray<float>());
        Assert.Contains("indices[1] = 4 is outside [0, 4)", e.Message);
        Assert.Equal([0f, 0f, 0f, 0f], y.ToArray<float>()); // reported once; the bad row read as zeros

        var logits = Tensor.Zeros([2, 3], DType.Float32, device);
        var targets = Tensor.From([1, 3], [2]).To(device);
        var loss = Tensor.Zeros([1], DType.Float32, device);
        device.CrossEntropyLoss(logits, targets, null, Reduction.Mean, -100, loss);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Item());
        Assert.Contains("targets[1] = 3", e.Message);
        Assert.Equal(Math.Log(3), loss.Item(), 1e-6); // the bad row is not counted

        var x = Tensor.Zeros([8], DType.Float32, device);
        var ae = Assert.Throws<ArgumentException>(() => device.Add(x.Narrow(0, 4), x.Narrow(0, 4), x.Narrow(2, 4)));
        Assert.Equal("y", ae.ParamName);
    }

    [OpenClFact]
    public void Float64OnADeviceWithoutFp64IsAClearError()
    {
        // The same device, described as lacking cl_khr_fp64: what a consumer GPU without doubles looks like.
        var info = OpenClRuntime.Devices()[0] with { HasFp64 = false };
        var device = new OpenClDevice(info);
        var e = Assert.Throws<NotSupportedException>(() => Tensor.Zeros([2], DType.Float64, device));
        Assert.Contains("cl_khr_fp64", e.Message);
        Assert.Contains("float32", e.Message);
        using var ok = Tensor.Zeros([2], DType.Float32, device); // float32 still works
        Assert.Equal([0f, 0f], ok.ToArray<float>());
    }
}
