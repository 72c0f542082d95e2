// `recurrent devices`: what this machine offers the library — the CPU's cores and SIMD, and (to come) OpenCL devices.
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Cli.Commands;

public static class DevicesCommand
{
    public static Command Build(TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };
        var cmd = new Command("devices", "List the compute devices: the CPU (cores, SIMD width in use) and OpenCL platforms.\n\nExamples:\n  recurrent devices\n  recurrent devices --json")
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
            const string openCl = "not available in this build: the OpenCL device is the next piece of work (issue 7)";
            if (parse.GetValue(json))
                stdout.WriteLine(JsonSerializer.Serialize(new { cpu, opencl = new { available = false, reason = openCl } }));
            else
            {
                stdout.WriteLine($"cpu      {cpu.cores} cores, {cpu.architecture}, SIMD {cpu.simd} ({cpu.float_lanes} floats per vector), " +
                    $"cell kernels use {cpu.cell_kernels}; AVX-512F {(cpu.avx512f ? "yes" : "no")}, AVX2 {(cpu.avx2 ? "yes" : "no")}, FMA {(cpu.fma ? "yes" : "no")}");
                stdout.WriteLine($"opencl   {openCl}");
            }
            return Cli.Success;
        });
        return cmd;
    }
}
