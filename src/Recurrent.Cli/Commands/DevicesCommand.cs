// `recurrent devices`: what this machine offers the library — the CPU's cores and SIMD, and every OpenCL platform and device.
using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using Recurrent.Tensors.Cpu;
using Recurrent.Tensors.OpenCl;

namespace Recurrent.Cli.Commands;

public static class DevicesCommand
{
    public static Command Build(TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };
        var cmd = new Command("devices", "List the compute devices: the CPU (cores, SIMD width in use) and every OpenCL platform and device " +
            "(memory, largest buffer, compute units, fp64), with the N of --device opencl:N.\n\nExamples:\n  recurrent devices\n  recurrent devices --json")
        {
            json,
        };
        cmd.SetAction(parse =>
        {
            var cpu = new
            {
                name = "cpu",
                cores = Environment.ProcessorCount,
                architecture = RuntimeInformation.ProcessArchitecture.ToString(),
                simd = SimdCaps.Best.ToString(),
                float_lanes = SimdCaps.Lanes<float>(SimdCaps.Best),
                cell_kernels = SimdCellKernels.Effective(SimdLevel.Vector512).ToString(),
                avx512f = Avx512F.IsSupported,
                avx2 = Avx2.IsSupported,
                fma = Fma.IsSupported,
            };
            var found = OpenClRuntime.Devices();
            // Platforms in the loader's order, each with its devices; a device's index is the N of --device opencl:N.
            var platforms = found.GroupBy(d => (d.PlatformName, d.PlatformVendor, d.PlatformVersion)).Select(g => new
            {
                name = g.Key.PlatformName,
                vendor = g.Key.PlatformVendor,
                version = g.Key.PlatformVersion,
                devices = g.Select(d => new
                {
                    index = d.Index,
                    device = d.Moniker,
                    name = d.Name,
                    type = d.Type.ToString().ToLowerInvariant(),
                    vendor = d.Vendor,
                    version = d.DeviceVersion,
                    driver_version = d.DriverVersion,
                    opencl_c_version = d.OpenClCVersion,
                    global_memory_bytes = d.GlobalMemoryBytes,
                    max_allocation_bytes = d.MaxAllocationBytes,
                    compute_units = d.ComputeUnits,
                    max_work_group_size = d.MaxWorkGroupSize,
                    local_memory_bytes = d.LocalMemoryBytes,
                    fp64 = d.HasFp64,
                }).ToArray(),
            }).ToArray();
            string auto = OpenClRuntime.FirstGpu() is { } gpu ? gpu.Moniker : "cpu";
            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new
                {
                    cpu,
                    opencl = new { available = OpenClRuntime.IsAvailable, reason = OpenClRuntime.UnavailableReason, platforms },
                    auto,
                }));
                return Cli.Success;
            }
            stdout.WriteLine($"cpu        {cpu.cores} cores, {cpu.architecture}, SIMD {cpu.simd} ({cpu.float_lanes} floats per vector), " +
                $"cell kernels use {cpu.cell_kernels}; AVX-512F {(cpu.avx512f ? "yes" : "no")}, AVX2 {(cpu.avx2 ? "yes" : "no")}, FMA {(cpu.fma ? "yes" : "no")}");
            if (!OpenClRuntime.IsAvailable)
                stdout.WriteLine($"opencl     none: {OpenClRuntime.UnavailableReason}. To add one, {DeviceChoice.InstallHint}");
            foreach (var p in platforms)
            {
                stdout.WriteLine($"platform   {p.name} ({p.vendor}), {p.version}");
                foreach (var d in p.devices)
                    stdout.WriteLine($"  {d.device,-9}{d.name} — {d.type}, {d.vendor}, {d.version}, driver {d.driver_version}; " +
                        $"{Mib(d.global_memory_bytes)} global memory, largest buffer {Mib(d.max_allocation_bytes)}, {d.compute_units} compute units, " +
                        $"work-groups up to {d.max_work_group_size}, {d.local_memory_bytes / 1024} KiB local memory, fp64 {(d.fp64 ? "yes" : "no")}");
            }
            stdout.WriteLine($"auto       {(auto == "cpu" ? "the CPU device (no OpenCL GPU; an OpenCL CPU device such as PoCL is slower than the CPU device)" : $"{auto}, the first OpenCL GPU")}");
            return Cli.Success;
        });
        return cmd;
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}
