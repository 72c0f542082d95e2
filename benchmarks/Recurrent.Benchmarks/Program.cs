// Entry point of the benchmark suite: BenchmarkDotNet for everything, plus quick stopwatch tables by name.
using BenchmarkDotNet.Running;
using Recurrent.Benchmarks;

// `gemm-table` prints our GEMM beside the sizes PyTorch's script times (fast, no BenchmarkDotNet job).
if (args.Length > 0 && args[0] == "gemm-table") return GemmTable.Run(args[1..]);

// `pointwise-table` times ours and TensorPrimitives alternately in one process (steadier than separate jobs on a busy machine).
if (args.Length > 0 && args[0] == "pointwise-table")
{
    Console.Write(PointwiseBenchmarks.InterleavedTable());
    return 0;
}

// `opencl-table` times the OpenCL device against the CPU device (GEMM sizes, the fused LSTM cell), interleaved.
if (args.Length > 0 && args[0] == "opencl-table") return OpenClTable.Run(args[1..]);
// `step-profile` splits one LSTM training step into phases and primitives, by CPU time.
if (args.Length > 0 && args[0] == "step-profile") return StepProfile.Run(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(GemmTable).Assembly).Run(args);
return 0;
