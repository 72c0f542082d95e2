// `recurrent devices` and --device against the OpenCL devices this machine has: listing, auto's choice, indices out of range.
using System.Text.Json;
using Recurrent.Cli;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;
using Recurrent.Tensors.OpenCl;
using Recurrent.Tests.OpenCl;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public class DevicesCommandTests
{
    [OpenClFact]
    public void DevicesJsonListsEveryOpenClDeviceWithItsMemoryAndComputeUnits()
    {
        var (code, output, err) = Run("devices", "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var opencl = json.RootElement.GetProperty("opencl");
        Assert.True(opencl.GetProperty("available").GetBoolean());
        var listed = opencl.GetProperty("platforms").EnumerateArray()
            .SelectMany(p => p.GetProperty("devices").EnumerateArray().Select(d => (Platform: p, Device: d))).ToList();
        var found = OpenClRuntime.Devices();
        Assert.Equal(found.Count, listed.Count);
        for (int i = 0; i < found.Count; i++)
        {
            var (p, d) = listed[i];
            Assert.Equal(i, d.GetProperty("index").GetInt32());
            Assert.Equal($"opencl:{i}", d.GetProperty("device").GetString());
            Assert.Equal(found[i].Name, d.GetProperty("name").GetString());
            Assert.Equal(found[i].PlatformName, p.GetProperty("name").GetString());
            Assert.Equal(found[i].GlobalMemoryBytes, d.GetProperty("global_memory_bytes").GetInt64());
            Assert.Equal(found[i].MaxAllocationBytes, d.GetProperty("max_allocation_bytes").GetInt64());
            Assert.True(d.GetProperty("global_memory_bytes").GetInt64() > 0);
            Assert.True(d.GetProperty("compute_units").GetInt32() > 0);
            Assert.Equal(found[i].HasFp64, d.GetProperty("fp64").GetBoolean());
            Assert.Contains(d.GetProperty("type").GetString(), new[] { "gpu", "cpu", "accelerator", "other" });
        }
        Assert.Equal(OpenClRuntime.FirstGpu()?.Moniker ?? "cpu", json.RootElement.GetProperty("auto").GetString());

        var (textCode, text, _) = Run("devices");
        Assert.Equal(0, textCode);
        Assert.Contains($"platform   {found[0].PlatformName}", text);
        Assert.Contains($"  opencl:0 {found[0].Name}", text);
        Assert.Contains("compute units", text);
    }

    /// <summary>auto takes the first OpenCL GPU; with none (PoCL only, as here and in CI) it takes the CPU device and says why.</summary>
    [OpenClFact]
    public void AutoPrefersAGpuAndOtherwiseTheCpuDeviceOverAnOpenClCpuDevice()
    {
        var notes = new StringWriter();
        Device device = DeviceChoice.Parse("auto").Resolve(1, notes, gpuNodes: true); // as on a machine with a GPU node: the drivers are asked
        if (OpenClRuntime.FirstGpu() is { } gpu)
        {
            Assert.Equal(gpu.Moniker, device.Name);
            Assert.Contains($"device: auto chose {gpu.Moniker}, an OpenCL GPU", notes.ToString());
            return;
        }
        Assert.IsType<CpuDevice>(device);
        Assert.Contains("device: auto chose the CPU (1 thread): no OpenCL GPU; found opencl:0", notes.ToString());
        Assert.Contains("choose it with --device opencl:N", notes.ToString());
    }

    [OpenClFact]
    public void OpenClNamesTheDeviceAndAnIndexPastTheLastIsAUsageError()
    {
        var device = DeviceChoice.Parse("opencl").Resolve(1, null);
        Assert.Same(OpenClRuntime.Open(0), device);
        Assert.Same(device, DeviceChoice.Parse("opencl:0").Resolve(1, null));
        int count = OpenClRuntime.Devices().Count;
        var e = Assert.Throws<UsageException>(() => DeviceChoice.Parse($"opencl:{count}").Resolve(1, null));
        Assert.Contains($"--device opencl:{count}: there ", e.Message);
        Assert.Contains("recurrent devices", e.Message);

        var (code, output, err) = Run("bench", "gemm", "--size", "8", "--device", $"opencl:{count}");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains($"--device opencl:{count}: there ", err);
    }

    [OpenClFact]
    public void AllIsTheCpuThenEveryOpenClDevice()
    {
        var all = DeviceChoice.Parse("all", allowAll: true).ResolveAll(1, null);
        Assert.IsType<CpuDevice>(all[0]);
        Assert.Equal(OpenClRuntime.Devices().Select(d => d.Moniker), all.Skip(1).Select(d => d.Name));
    }

    /// <summary>The early OpenCL probe starts only for a command that will resolve --device auto, and finishes.</summary>
    [Theory]
    [InlineData(true, "run", "first-token")]
    [InlineData(true, "run", "sine", "--device", "auto", "--runs", "2")]
    [InlineData(true, "bench", "step", "--device=auto")]
    [InlineData(true, "train", "--device:auto")]
    [InlineData(false, "run", "sine", "--device", "cpu")]
    [InlineData(false, "bench", "step", "--device=opencl:0")]
    [InlineData(false, "bench", "gemm", "--device", "all")]
    [InlineData(false, "run", "sine", "--help")]
    [InlineData(false, "list")]
    [InlineData(false, "devices")]
    [InlineData(false)]
    public void TheEarlyProbeStartsOnlyForAnAutoDevice(bool expected, params string[] args)
    {
        Task? probe = DeviceChoice.ProbeEarly(args, gpuNodes: true);
        Assert.Equal(expected, probe is not null);
        probe?.Wait();
        Assert.True(probe is null || probe.IsCompletedSuccessfully);
        Assert.Null(DeviceChoice.ProbeEarly(args, gpuNodes: false)); // no GPU on the machine: auto asks no driver
    }

    /// <summary>Without a GPU node auto takes the CPU device at once and says why, whatever OpenCL drivers are installed.</summary>
    [Fact]
    public void AutoWithoutAGpuNodeTakesTheCpuWithoutAskingOpenCl()
    {
        var notes = new StringWriter();
        Device device = DeviceChoice.Parse("auto").Resolve(2, notes, gpuNodes: false);
        Assert.IsType<CpuDevice>(device);
        Assert.Contains("device: auto chose the CPU (2 threads): no GPU on this machine", notes.ToString());
        Assert.Contains("no OpenCL driver was loaded", notes.ToString());
        Assert.Contains("--device opencl:N", notes.ToString());
    }

    /// <summary>What counts as a GPU node: a non-empty /dev/dri, or an NVIDIA, ROCm, Arm, Qualcomm, Vivante or WSL node.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(false, "null", "tty0", "dri/")]
    [InlineData(true, "dri/renderD128")]
    [InlineData(true, "nvidia0", "nvidiactl")]
    [InlineData(true, "kfd")]
    [InlineData(true, "mali0")]
    [InlineData(true, "dxg")]
    [InlineData(false, "vda", "shm/")]
    public void GpuNodesAreFoundByName(bool expected, params string[] entries)
    {
        string dev = Path.Combine(Path.GetTempPath(), "recurrent-dev-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dev);
        try
        {
            foreach (string entry in entries)
            {
                string path = Path.Combine(dev, entry);
                if (entry.EndsWith('/')) Directory.CreateDirectory(path);
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, "");
                }
            }
            Assert.Equal(expected, GpuNodes.Look(dev));
        }
        finally
        {
            Directory.Delete(dev, recursive: true);
        }
    }
}
